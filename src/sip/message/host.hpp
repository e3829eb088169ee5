#pragma once
// Host syntax shared by URIs and Via (RFC 3261 §25.1 host, RFC 5118 IPv6).
// Private to callwire_sip_message.
#include <cstdint>
#include <optional>
#include <string_view>

#include "sip/message/chars.hpp"

namespace callwire::sip::host {

bool is_ipv4(std::string_view s);
bool is_ipv6(std::string_view s);  // without brackets
// hostname or IPv4address ('_' tolerated in labels, as many stacks do).
bool is_hostname(std::string_view s);

// The run of hostname characters (alphanum - . _) that `s` starts with, and
// whether that run is_hostname(), in one pass.
struct HostRun {
  std::size_t size = 0;
  bool valid = false;
};
HostRun scan_hostname(std::string_view s);

// Parses port digits (1-5 digits, 0..65535).
std::optional<std::uint16_t> parse_port(std::string_view s);

namespace detail {

// Bounds: Checked tests each position against e; unchecked is for a run
// with at least 16 bytes left (an IPv4 address and the byte after it).
template <bool Checked>
inline bool digit_at(const char* p, const char* e) {
  return (!Checked || p < e) && static_cast<unsigned>(*p - '0') < 10;
}

// 1-3 digits at p with a value up to 255: the position after them, or null.
template <bool Checked>
inline const char* octet(const char* p, const char* e) {
  if (!digit_at<Checked>(p, e)) return nullptr;
  unsigned v = static_cast<unsigned>(*p++ - '0');
  if (digit_at<Checked>(p, e)) {
    v = v * 10 + static_cast<unsigned>(*p++ - '0');
    if (digit_at<Checked>(p, e)) v = v * 10 + static_cast<unsigned>(*p++ - '0');
  }
  return v <= 255 ? p : nullptr;
}

inline bool host_char(const char* p, const char* e) { return p < e && chars::is(*p, chars::kHost); }

// A dotted-quad IPv4 address that ends the host run: its length, or 0 (then
// the general scan decides). Such a run is a valid hostname by definition.
template <bool Checked>
[[gnu::always_inline]] inline std::size_t ipv4_run_in(const char* b, const char* e) {
  const char* p = octet<Checked>(b, e);
  for (int part = 1; part < 4 && p; ++part)
    p = ((!Checked || p < e) && *p == '.') ? octet<Checked>(p + 1, e) : nullptr;
  if (!p || host_char(p, e)) return 0;
  return static_cast<std::size_t>(p - b);
}

}  // namespace detail

// The length of the dotted-quad IPv4 address that [b, e) starts with, when
// no host character follows it: scan_hostname's run is then that address,
// and valid. 0 otherwise (scan_hostname decides). Inline, for a caller's
// usual case.
[[gnu::always_inline]] inline std::size_t ipv4_prefix(const char* b, const char* e) {
  return e - b >= 16 ? detail::ipv4_run_in<false>(b, e) : detail::ipv4_run_in<true>(b, e);
}

}  // namespace callwire::sip::host
