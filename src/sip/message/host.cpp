#include "sip/message/host.hpp"

#include "sip/message/chars.hpp"

namespace callwire::sip::host {

bool is_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t b = i;
    unsigned v = 0;
    while (i < s.size() && chars::is_digit(s[i]) && i - b < 3) v = v * 10 + static_cast<unsigned>(s[i++] - '0');
    if (i == b || v > 255) return false;
    ++parts;
    if (i == s.size()) return parts == 4;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
}

bool is_ipv6(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s[0] == ':') {
    if (s[1] != ':') return false;
    compressed = true;
    i = 2;
    if (i == s.size()) return true;  // "::"
  }
  while (i < s.size()) {
    std::size_t b = i;
    while (i < s.size() && chars::is_hex(s[i]) && i - b < 5) ++i;
    std::size_t len = i - b;
    if (i < s.size() && s[i] == '.') {  // trailing IPv4 takes two groups
      if (!is_ipv4(s.substr(b))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  return compressed ? groups < 8 : groups == 8;
}

bool is_hostname(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  std::size_t label = 0;
  bool digits = true, prev_digits = true;  // current / previous label all digits
  char prev = 0;
  for (char c : s) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      prev_digits = digits;
      label = 0;
      digits = true;
    } else {
      if (!chars::is(c, chars::kHost) || (label == 0 && c == '-')) return false;
      digits = digits && chars::is_digit(c);
      ++label;
    }
    prev = c;
  }
  // A numeric top label means an IPv4 address (toplabel starts with ALPHA).
  if (label == 0) return s.size() > 1 && !prev_digits;  // trailing dot
  if (prev == '-') return false;
  return digits ? is_ipv4(s) : true;
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
  std::uint64_t v = 0;
  if (s.size() > 5 || !chars::parse_uint(s, 65535, v)) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

}  // namespace callwire::sip::host
