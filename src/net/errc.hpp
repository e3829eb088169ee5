#pragma once
// Errors of the network layer that Asio has no code for.
#include <system_error>

#include "core/result.hpp"

namespace callwire::net {

enum class Errc {
  BadAddress = 1,      // "ADDR:PORT" text that does not parse
  QueueFull,           // a connection's write queue went over its bound
  ConnectTimeout,      // TCP connect took too long
  HandshakeTimeout,    // TLS handshake took too long
  IdleTimeout,         // no traffic for the configured idle time
  ReadBufferFull,      // peer sent more unconsumed bytes than allowed
  Closed,              // the connection or socket is closed
  NoListener,          // nothing bound for that protocol / address family
  TlsConfig,           // certificate, key or CA file unusable
};

const std::error_category& net_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), net_category()}; }

}  // namespace callwire::net

template <>
struct std::is_error_code_enum<callwire::net::Errc> : std::true_type {};
