#pragma once
// The transport a Dial target names with ;transport= (contract 8.9).
#include <cstdint>
#include <optional>
#include <string_view>

namespace callwire::dial {

enum class SipTransport { Udp, Tcp, Tls };

// "udp" | "tcp" | "tls", any case; nullopt otherwise.
std::optional<SipTransport> parse_sip_transport(std::string_view text);
std::string_view to_string(SipTransport transport);  // "udp" | "tcp" | "tls"
// 5060, or 5061 for TLS.
constexpr std::uint16_t default_port(SipTransport transport) { return transport == SipTransport::Tls ? 5061 : 5060; }

}  // namespace callwire::dial
