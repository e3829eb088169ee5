#pragma once
// Small scanning helpers shared by the parser's line and attribute code.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/text.hpp"
#include "media/sdp/session_description.hpp"

namespace callwire::media::sdp::detail {

inline bool is_space(char c) { return c == ' ' || c == '\t'; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The next whitespace-separated field of `s` (consumed); empty at the end.
inline std::string_view next_field(std::string_view& s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  std::size_t n = 0;
  while (n < s.size() && !is_space(s[n])) ++n;
  std::string_view field = s.substr(0, n);
  s.remove_prefix(n);
  return field;
}

// Digits only, no sign, at most `max`.
template <class T>
std::optional<T> parse_uint(std::string_view s, T max) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v > static_cast<std::uint64_t>(max)) return std::nullopt;
  return static_cast<T>(v);
}

using callwire::iequals;

// "IN IP4 <address>[/suffix]" from the fields left in `s`; nullopt when bad.
std::optional<Connection> parse_connection(std::string_view s);

}  // namespace callwire::media::sdp::detail
