#pragma once
// A trunk's TerminationUri: `sip:host[:port][;transport=udp|tcp|tls]`, the
// carrier's address. No user part, no other parameters, no headers: the
// number goes into the user part of each INVITE's Request-URI.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "dial/sip_transport.hpp"

namespace callwire::dial {

struct TerminationUri {
  std::string host;  // a name or an IP literal; IPv6 without brackets
  bool host_is_ipv6 = false;
  std::optional<std::uint16_t> port;  // nullopt = DNS SRV / default port
  SipTransport transport = SipTransport::Udp;
  bool transport_given = false;

  std::uint16_t effective_port() const { return port.value_or(default_port(transport)); }
};

// InvalidSipUri (or SipsNotSupported, UriTooLong) with the reason.
[[nodiscard]] Result<TerminationUri> parse_termination_uri(std::string_view text);

// The Request-URI of a call to `number` (already formatted for the trunk):
// "sip:+14155551234@carrier.example.net:5080;transport=tcp". ";transport" is
// written only when the TerminationUri had it.
std::string request_uri_for(const TerminationUri& trunk, std::string_view number);

}  // namespace callwire::dial
