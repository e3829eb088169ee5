#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "sip/message/params.hpp"

namespace callwire::sip {

// One via-parm: "SIP/2.0/UDP host:port;branch=z9hG4bK..;rport".
struct Via {
  std::string_view protocol_name;     // "SIP"
  std::string_view protocol_version;  // "2.0"
  std::string_view transport;         // "UDP", "TCP", "TLS", ... as written
  std::string_view host;              // IPv6 without brackets
  bool host_is_ipv6 = false;
  std::optional<std::uint16_t> port;
  Params params;
  std::string_view text;              // the whole via-parm

  std::string_view branch() const;    // "" when absent
  std::string_view received() const;
  std::string_view maddr() const;
  bool has_rport() const;
  std::optional<std::uint16_t> rport() const;  // the value, when the param has one
};

[[nodiscard]] Result<Via> parse_via(std::string_view via_parm);

}  // namespace callwire::sip
