#pragma once
// Settings of the SIP transports, filled by the CLI from --sip-listen,
// --sips-listen, --tls-cert, --tls-key and --public-address.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "net/endpoint.hpp"
#include "net/tls_context.hpp"
#include "sip/message/message.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

struct ListenConfig {
  net::Endpoint endpoint;           // port 0: any free port (the same one for every protocol)
  std::vector<Protocol> protocols;  // --sip-listen: {Udp, Tcp}; --sips-listen: {Tls}
};

struct TransportConfig {
  std::vector<ListenConfig> listen;  // listener index = position here
  std::string tls_cert_file;         // PEM; required when a listener has Tls
  std::string tls_key_file;
  net::TlsClientOptions tls_client;  // outgoing TLS: verify peers (system CAs) by default
  std::string public_address;        // Via/Contact host; empty: the listener's address
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(15)};  // TCP/TLS without traffic
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(10)};
  std::size_t max_write_queue = 1024 * 1024;  // bytes per connection
  std::size_t max_connections = 10000;        // open TCP+TLS ones (both ways); beyond it accepts are refused
  std::size_t udp_receive_buffer = 4 * 1024 * 1024;  // bytes per UDP listener (net/udp_socket.hpp)
  ParseLimits limits;
};

// "ADDR:PORT", "[v6]:PORT", or just the address (port 5060, or 5061 when
// `secure`). Returns a listener for UDP+TCP, or TLS when `secure`.
[[nodiscard]] Result<ListenConfig> parse_listen(std::string_view text, bool secure = false);

}  // namespace callwire::sip
