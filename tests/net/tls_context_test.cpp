#include "net/tls_context.hpp"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <fstream>

#include "net/errc.hpp"
#include "test_cert.hpp"

namespace callwire::net {
namespace {

TEST(TlsContext, ServerContextLoadsPem) {
  test::TestCert cert;
  auto ctx = make_server_context({cert.cert_file, cert.key_file});
  ASSERT_TRUE(ctx) << ctx.error().what();
  EXPECT_EQ(SSL_CTX_get_min_proto_version((*ctx)->native_handle()), TLS1_2_VERSION);
}

TEST(TlsContext, ServerContextErrorsNameTheFile) {
  test::TestCert cert;
  auto missing = make_server_context({"/nonexistent/cert.pem", cert.key_file});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::TlsConfig);
  EXPECT_NE(missing.error().detail.find("/nonexistent/cert.pem"), std::string::npos);

  test::TestCert other;
  auto mismatch = make_server_context({cert.cert_file, other.key_file});
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, Errc::TlsConfig);
  EXPECT_NE(mismatch.error().detail.find(other.key_file), std::string::npos) << mismatch.error().detail;
}

TEST(TlsContext, ClientContextVerifiesByDefault) {
  auto ctx = make_client_context({});
  ASSERT_TRUE(ctx) << ctx.error().what();
  EXPECT_EQ(SSL_CTX_get_verify_mode((*ctx)->native_handle()), SSL_VERIFY_PEER);
  EXPECT_EQ(SSL_CTX_get_min_proto_version((*ctx)->native_handle()), TLS1_2_VERSION);

  TlsClientOptions no_verify;
  no_verify.verify_peer = false;
  auto lax = make_client_context(no_verify);
  ASSERT_TRUE(lax);
  EXPECT_EQ(SSL_CTX_get_verify_mode((*lax)->native_handle()), SSL_VERIFY_NONE);

  TlsClientOptions missing_ca;
  missing_ca.ca_file = "/nonexistent/ca.pem";
  auto bad_ca = make_client_context(missing_ca);
  ASSERT_FALSE(bad_ca);
  EXPECT_EQ(bad_ca.error().code, Errc::TlsConfig);
}

}  // namespace
}  // namespace callwire::net
