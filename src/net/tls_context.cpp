#include "net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net/errc.hpp"

namespace callwire::net {

namespace ssl = boost::asio::ssl;

namespace {
std::unexpected<Error> tls_error(std::string what, const boost::system::error_code& ec) {
  return fail(Errc::TlsConfig, what + ": " + ec.message());
}

Result<std::shared_ptr<ssl::context>> base_context(ssl::context::method method) {
  auto ctx = std::make_shared<ssl::context>(method);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                   ec);
  if (ec) return tls_error("options", ec);
  // The protocol floor is also set explicitly: option bits alone do not
  // stop a future OpenSSL default from allowing older versions.
  if (SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION) != 1) {
    return fail(Errc::TlsConfig, "cannot set TLS 1.2 minimum");
  }
  return ctx;
}
}  // namespace

Result<std::shared_ptr<ssl::context>> make_server_context(const TlsServerOptions& options) {
  auto ctx = base_context(ssl::context::tls_server);
  if (!ctx) return ctx;
  boost::system::error_code ec;
  (*ctx)->use_certificate_chain_file(options.cert_file, ec);
  if (ec) return tls_error("certificate \"" + options.cert_file + "\"", ec);
  (*ctx)->use_private_key_file(options.key_file, ssl::context::pem, ec);
  if (ec) return tls_error("private key \"" + options.key_file + "\"", ec);
  if (SSL_CTX_check_private_key((*ctx)->native_handle()) != 1) {
    return fail(Errc::TlsConfig, "private key \"" + options.key_file + "\" does not match the certificate");
  }
  return ctx;
}

Result<std::shared_ptr<ssl::context>> make_client_context(const TlsClientOptions& options) {
  auto ctx = base_context(ssl::context::tls_client);
  if (!ctx) return ctx;
  boost::system::error_code ec;
  if (options.verify_peer) {
    if (options.ca_file.empty()) {
      (*ctx)->set_default_verify_paths(ec);
      if (ec) return tls_error("system CA store", ec);
    } else {
      (*ctx)->load_verify_file(options.ca_file, ec);
      if (ec) return tls_error("CA file \"" + options.ca_file + "\"", ec);
    }
    (*ctx)->set_verify_mode(ssl::verify_peer, ec);
  } else {
    (*ctx)->set_verify_mode(ssl::verify_none, ec);
  }
  if (ec) return tls_error("verify mode", ec);
  return ctx;
}

}  // namespace callwire::net
