#pragma once
// OpenSSL contexts for TLS transports: TLS 1.2 minimum (1.2 and 1.3 allowed).
// Built once at startup; a context is shared read-only by every worker.
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace callwire::net {

struct TlsServerOptions {
  std::string cert_file;  // PEM certificate chain
  std::string key_file;   // PEM private key
};

struct TlsClientOptions {
  bool verify_peer = true;  // check the server's certificate chain and name
  std::string ca_file;      // PEM CAs to trust; empty: the system store
};

// Fails with Errc::TlsConfig (detail names the file and OpenSSL's reason).
[[nodiscard]] Result<std::shared_ptr<boost::asio::ssl::context>> make_server_context(
    const TlsServerOptions& options);
[[nodiscard]] Result<std::shared_ptr<boost::asio::ssl::context>> make_client_context(
    const TlsClientOptions& options);

}  // namespace callwire::net
