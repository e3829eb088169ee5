// HTTPS webhooks: certificate verification against a CA made by the test.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "webhook/client.hpp"
#include "webhook/client_test_util.hpp"
#include "webhook/test_server.hpp"

namespace callwire::webhook::test {
namespace {

namespace fs = std::filesystem;

// A throw-away CA and two leaf certificates it signed: one valid for
// 127.0.0.1/localhost, one for another name only. Made with the openssl CLI.
class Pki : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/callwire-webhook-pki-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    const std::string d = dir_.string();
    const std::string script =
        "set -e; cd '" + d + "';"
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem "
        "-days 2 -subj /CN=callwire-test-ca -addext basicConstraints=critical,CA:TRUE "
        "-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null;"
        "for n in good wrong; do "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $n.key -out $n.csr "
        "-subj /CN=$n 2>/dev/null; done;"
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > good.ext;"
        "printf 'subjectAltName=DNS:wrong.example\\nbasicConstraints=CA:FALSE\\n' > wrong.ext;"
        "for n in good wrong; do "
        "openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile $n.ext "
        "-out $n.pem 2>/dev/null; done";
    ASSERT_EQ(std::system(script.c_str()), 0) << "openssl failed in " << d;
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> server_ctx(const std::string& name) {
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
    EXPECT_EQ(SSL_CTX_use_certificate_chain_file(ctx.get(), (dir_ / (name + ".pem")).c_str()), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey_file(ctx.get(), (dir_ / (name + ".key")).c_str(), SSL_FILETYPE_PEM), 1);
    return ctx;
  }
  static std::string ca_file() { return (dir_ / "ca.pem").string(); }

  static inline fs::path dir_;
};

Reply ok(const ReceivedRequest&) { return reply(200, "<Response/>"); }

TEST_F(Pki, TrustedCaIsAccepted) {
  auto ctx = server_ctx("good");
  TestServer server(ok, ctx.get());
  ClientConfig config;
  config.ca_file = ca_file();
  TestClient client(config);
  for (std::string url : {server.url("/v"), "https://localhost:" + std::to_string(server.port()) + "/v"}) {
    auto out = send_and_wait(client, make_request(url, "POST", {{"A", "1"}}));
    ASSERT_TRUE(out) << url << ": " << out.error().message;
    EXPECT_EQ(out->status, 200);
  }
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.requests()[0].body, "A=1");
}

TEST_F(Pki, UnknownCaIsRefusedAs11237) {
  auto ctx = server_ctx("good");
  TestServer server(ok, ctx.get());
  TestClient client(ClientConfig{});  // system store only
  auto out = send_and_wait(client, make_request(server.url("/v")));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().error_code, 11237) << out.error().message;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(Pki, HostNameMismatchIsRefusedAs11236) {
  auto ctx = server_ctx("wrong");
  TestServer server(ok, ctx.get());
  ClientConfig config;
  config.ca_file = ca_file();
  TestClient client(config);
  auto out = send_and_wait(client, make_request(server.url("/v")));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().error_code, 11236) << out.error().message;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(Pki, HandshakeFailureIs11220) {
  // A TLS server without any certificate can only abort the handshake.
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> bare(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  TestServer server(ok, bare.get());
  ClientConfig config;
  config.ca_file = ca_file();
  TestClient client(config);
  auto out = send_and_wait(client, make_request("https://127.0.0.1:" + std::to_string(server.port()) + "/v#rc=0"));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().error_code, 11220) << out.error().message;
}

TEST_F(Pki, RedirectFromHttpToHttpsIsFollowedWithVerification) {
  // In loop mode the plain http:// request goes without curl and the https://
  // location is handed to curl; in thread mode curl does both. Same result.
  auto ctx = server_ctx("good");
  TestServer secure(ok, ctx.get());
  TestServer plain([&](const ReceivedRequest&) { return reply(302, "", "", "Location: " + secure.url("/tls") + "\r\n"); });
  ClientConfig config;
  config.ca_file = ca_file();
  TestClient client(config);
  auto out = send_and_wait(client, make_request(plain.url("/start"), "POST", {{"A", "1"}}));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->url, secure.url("/tls"));
  ASSERT_EQ(plain.requests().size(), 1u);
  ASSERT_EQ(secure.requests().size(), 1u);
  const auto first = plain.requests()[0];
  const auto second = secure.requests()[0];
  EXPECT_EQ(first.method, "POST");
  EXPECT_EQ(second.method, "GET");  // a 302 turns the POST into a GET
  EXPECT_EQ(second.target, "/tls");
  EXPECT_EQ(second.header("X-Twilio-Signature"), first.header("X-Twilio-Signature"));
  EXPECT_EQ(second.header("I-Twilio-Idempotency-Token"), first.header("I-Twilio-Idempotency-Token"));

  // The redirect to an untrusted certificate fails as a direct request would.
  ClientConfig untrusting;
  TestClient strict(untrusting);
  auto refused = send_and_wait(strict, make_request(plain.url("/start")));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().error_code, 11237) << refused.error().message;
  EXPECT_EQ(refused.error().url, plain.url("/start"));
}

}  // namespace
}  // namespace callwire::webhook::test
