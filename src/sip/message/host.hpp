#pragma once
// Host syntax shared by URIs and Via (RFC 3261 §25.1 host, RFC 5118 IPv6).
// Private to callwire_sip_message.
#include <cstdint>
#include <optional>
#include <string_view>

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

}  // namespace callwire::sip::host
