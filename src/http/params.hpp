#pragma once
// An ordered multi-map of decoded name/value pairs: query strings and form
// bodies. Twilio sends list parameters as the same key repeated, so order and
// repeats are kept.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callwire::http {

struct Param {
  std::string name;
  std::string value;
  friend bool operator==(const Param&, const Param&) = default;
};

class Params {
 public:
  Params() = default;
  Params(std::initializer_list<Param> items) : items_(items) {}

  void add(std::string name, std::string value) { items_.push_back({std::move(name), std::move(value)}); }

  // The first value of `name` (names are case-sensitive, as Twilio's are).
  std::optional<std::string_view> get(std::string_view name) const;
  // Every value of `name`, in request order.
  std::vector<std::string_view> all(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  const std::vector<Param>& items() const { return items_; }

  friend bool operator==(const Params&, const Params&) = default;

 private:
  std::vector<Param> items_;
};

}  // namespace callwire::http
