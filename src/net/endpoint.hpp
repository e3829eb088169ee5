#pragma once
// Address text as it appears on the command line and in SIP headers.
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace callwire::net {

struct Endpoint {
  boost::asio::ip::address address;
  std::uint16_t port = 0;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// Parses "1.2.3.4:5060", "[::1]:5060", "0.0.0.0:0". Without a port ("1.2.3.4",
// "[::1]", "::1") `default_port` is used, or it fails when none is given.
// Host names are not accepted: no DNS at startup (Errc::BadAddress).
[[nodiscard]] Result<Endpoint> parse_endpoint(std::string_view text,
                                              std::optional<std::uint16_t> default_port = std::nullopt);

// "1.2.3.4" or "[::1]": the host part of a URI or Via.
// The address as text, IPv6 without brackets (what address::to_string()
// gives). IPv4 is written here: to_string() goes through inet_ntop and
// sprintf, which cost more than the rest of building a response's Via.
std::string address_text(const boost::asio::ip::address& address);
std::string format_host(const boost::asio::ip::address& address);
// "1.2.3.4:5060" or "[::1]:5060".
std::string format_endpoint(const boost::asio::ip::address& address, std::uint16_t port);
inline std::string format_endpoint(const Endpoint& e) { return format_endpoint(e.address, e.port); }

}  // namespace callwire::net
