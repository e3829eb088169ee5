#pragma once
// Small readers of TwiML attribute values shared by the executor's files.
// Each returns nullopt for a value the contract does not allow, so the
// caller can raise its warning and fall back to the default.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/text.hpp"  // iequals

namespace callwire::twiml {

// `name` is one of `names` (an attribute list of the contract).
template <std::size_t N>
bool is_one_of(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// A whole decimal number (no sign, no spaces).
inline std::optional<unsigned> parse_unsigned(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "true" / "false" as the helper libraries write them.
inline std::optional<bool> parse_bool(std::string_view text) {
  if (iequals(text, "true")) return true;
  if (iequals(text, "false")) return false;
  return std::nullopt;
}

// "GET" / "POST" in any case, as the canonical upper-case name.
inline std::optional<std::string> parse_method(std::string_view text) {
  if (iequals(text, "GET")) return std::string("GET");
  if (iequals(text, "POST")) return std::string("POST");
  return std::nullopt;
}

// A DTMF key a caller can press and TwiML can name: 0-9, *, #.
inline bool is_key(char c) { return (c >= '0' && c <= '9') || c == '*' || c == '#'; }

}  // namespace callwire::twiml
