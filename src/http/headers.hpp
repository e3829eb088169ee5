#pragma once
// Header fields with case-insensitive names, in arrival order.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.hpp"

namespace callwire::http {

using callwire::iequals;

class Headers {
 public:
  struct Field {
    std::string name;
    std::string value;
  };

  // The first value of `name`, compared ASCII case-insensitively.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }
  // Appends a field (a repeated header stays repeated).
  void add(std::string name, std::string value) { fields_.push_back({std::move(name), std::move(value)}); }
  // Replaces every field of that name by one.
  void set(std::string_view name, std::string value);
  void remove(std::string_view name);

  std::size_t size() const { return fields_.size(); }
  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace callwire::http
