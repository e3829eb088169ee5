#pragma once
// Plain-text tables for the operator commands: a header row, then one row per
// item, columns padded to their widest cell.
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace callwire::cli::admin {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // Cells beyond the header count are dropped; missing ones print empty.
  void add_row(std::vector<std::string> cells);
  std::size_t rows() const { return rows_.size(); }

  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// A JSON field as a table cell: strings as they are, null or missing as "-",
// booleans and numbers in JSON form, an empty string as "" (so it shows).
std::string cell(const nlohmann::json& object, std::string_view key);

}  // namespace callwire::cli::admin
