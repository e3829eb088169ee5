#include "http/params.hpp"

namespace callwire::http {

std::optional<std::string_view> Params::get(std::string_view name) const {
  for (const auto& p : items_) {
    if (p.name == name) return std::string_view(p.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> Params::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& p : items_) {
    if (p.name == name) out.emplace_back(p.value);
  }
  return out;
}

}  // namespace callwire::http
