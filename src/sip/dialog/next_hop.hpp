#pragma once
// Where a request goes (RFC 3261 §8.1.2, §12.2.1.1): the host, port and
// transport named by a route or remote-target URI. IP literals map straight
// to a transport Route; host names need RFC 3263 DNS, which a later layer does.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

struct NextHop {
  std::string host;                  // maddr when present, else the URI host; IPv6 without brackets
  std::optional<std::uint16_t> port;
  std::optional<Protocol> protocol;  // from ;transport= (TLS for sips); nullopt: not specified
  bool secure = false;               // sips: must go over TLS
};

// The next hop a sip/sips URI names. BadTarget for other schemes or an
// unknown transport parameter.
[[nodiscard]] Result<NextHop> next_hop_for(std::string_view uri_text);

// A transport Route for a next hop whose host is an IP literal: protocol UDP
// unless given (TLS when secure), port 5060 (5061 for TLS) unless given.
// NeedsDns (detail: the host) for host names.
[[nodiscard]] Result<Route> literal_route(const NextHop& hop);

}  // namespace callwire::sip
