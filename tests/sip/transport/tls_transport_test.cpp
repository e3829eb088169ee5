// AsioTransport over TLS on loopback, with a certificate made by the test.
#include <gtest/gtest.h>

#include <future>

#include "harness.hpp"
#include "net/errc.hpp"
#include "sip/message/builder.hpp"
#include "test_cert.hpp"

namespace callwire::sip {
namespace {

using namespace std::chrono_literals;
using test::Harness;

constexpr const char* kTlsVia = "SIP/2.0/TLS 127.0.0.1:5999";

TransportConfig server_config(const test::TestCert& cert) {
  auto c = test::config_for({test::listen("127.0.0.1", {Protocol::Tls})});
  c.tls_cert_file = cert.cert_file;
  c.tls_key_file = cert.key_file;
  return c;
}

TransportConfig client_config(const std::string& ca_file) {
  auto c = test::config_for({test::listen("127.0.0.1", {Protocol::Udp, Protocol::Tcp})});
  c.tls_client.ca_file = ca_file;  // empty: system CAs
  return c;
}

Route tls_route(const Harness& server) {
  Route r;
  r.protocol = Protocol::Tls;
  r.address = boost::asio::ip::make_address("127.0.0.1");
  r.port = server.port(Protocol::Tls);
  return r;
}

std::error_code send_and_wait(Harness& client, const Route& route, std::string text) {
  std::promise<std::error_code> done;
  client.transport->worker(0).send(route, std::make_shared<const std::string>(std::move(text)),
                                   [&](std::error_code ec) { done.set_value(ec); });
  auto f = done.get_future();
  if (f.wait_for(10s) != std::future_status::ready) return net::Errc::ConnectTimeout;
  return f.get();
}

TEST(TlsTransport, RequestAndResponse) {
  test::TestCert cert;
  Harness server(server_config(cert));
  Harness client(client_config(cert.cert_file));
  server.recorder.set_on_request([&server](const Message& m, const Source& src) {
    auto bytes = std::make_shared<const std::string>(Builder::response_to(m, 200).build());
    server.transport->worker(server.pool.current()).send(response_route(src, m.top_via()), bytes);
  });
  EXPECT_EQ(send_and_wait(client, tls_route(server), test::request("tls-1", kTlsVia)), std::error_code());
  ASSERT_TRUE(server.recorder.wait_for(1));
  auto request = server.recorder.items().at(0);
  EXPECT_FALSE(request.parse_error) << request.error;
  EXPECT_EQ(request.src.protocol, Protocol::Tls);
  EXPECT_NE(request.src.connection, 0u);
  EXPECT_EQ(request.src.local_port, server.port(Protocol::Tls));

  ASSERT_TRUE(client.recorder.wait_for(1));  // the response, over the same TLS connection
  auto response = client.recorder.items().at(0);
  EXPECT_TRUE(response.bytes.starts_with("SIP/2.0 200 OK\r\n")) << response.bytes;
  EXPECT_EQ(response.src.protocol, Protocol::Tls);
  EXPECT_EQ(response.src.remote_port, server.port(Protocol::Tls));
  EXPECT_EQ(client.transport->stats().connections_opened, 1u);
  EXPECT_EQ(server.transport->stats().connections_opened, 0u);
}

TEST(TlsTransport, ServerNameIsVerified) {
  test::TestCert cert;
  Harness server(server_config(cert));
  Harness client(client_config(cert.cert_file));
  auto route = tls_route(server);
  route.server_name = "sip.wrong.example";  // not in the certificate
  EXPECT_TRUE(send_and_wait(client, route, test::request("tls-wrong-name", kTlsVia)));
  route.server_name = "localhost";  // in the SAN
  EXPECT_EQ(send_and_wait(client, route, test::request("tls-localhost", kTlsVia)), std::error_code());
  ASSERT_TRUE(server.recorder.wait_for(1));
  EXPECT_EQ(server.recorder.items().size(), 1u);
}

TEST(TlsTransport, UntrustedCertificateIsRejected) {
  test::TestCert cert;
  Harness server(server_config(cert));
  Harness client(client_config(""));  // system CAs do not know our test certificate
  EXPECT_TRUE(send_and_wait(client, tls_route(server), test::request("tls-untrusted", kTlsVia)));
  EXPECT_TRUE(test::eventually([&] { return client.transport->stats().connections_open == 0; }));
  EXPECT_TRUE(server.recorder.items().empty());
}

TEST(TlsTransport, VerificationCanBeDisabled) {
  test::TestCert cert;
  Harness server(server_config(cert));
  auto config = client_config("");
  config.tls_client.verify_peer = false;
  Harness client(config);
  EXPECT_EQ(send_and_wait(client, tls_route(server), test::request("tls-noverify", kTlsVia)), std::error_code());
  ASSERT_TRUE(server.recorder.wait_for(1));
}

TEST(TlsTransport, SilentClientHitsTheHandshakeTimeout) {
  test::TestCert cert;
  auto config = server_config(cert);
  config.handshake_timeout = 300ms;
  Harness server(config);
  test::TcpPeer peer(server.tcp_endpoint(Protocol::Tls));  // TCP only, never says hello
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(peer.wait_closed(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
  EXPECT_TRUE(test::eventually([&] { return server.transport->stats().connections_dropped == 1; }));
}

TEST(TlsTransport, CrlfPingOverTls) {
  test::TestCert cert;
  Harness server(server_config(cert));
  Harness client(client_config(cert.cert_file));
  // A ping from our own client side: the server's pong is a lone CRLF that
  // the client skips, and the connection stays usable.
  auto route = tls_route(server);
  EXPECT_EQ(send_and_wait(client, route, "\r\n\r\n"), std::error_code());
  EXPECT_TRUE(test::eventually([&] { return server.transport->stats().keepalives_received == 1; }));
  EXPECT_EQ(send_and_wait(client, route, test::request("tls-after-ping", kTlsVia)), std::error_code());
  ASSERT_TRUE(server.recorder.wait_for(1));
  EXPECT_EQ(client.transport->stats().connections_opened, 1u);
}

}  // namespace
}  // namespace callwire::sip
