// Table tests of the transport's pure functions: response routing, the
// received/rport Via rewrite, listen-address parsing and stream framing.
#include <gtest/gtest.h>

#include "net/errc.hpp"
#include "sip/message/errc.hpp"
#include "sip/transport/stream_framer.hpp"
#include "sip/transport/transport.hpp"
#include "sip/transport/transport_config.hpp"
#include "transport_test_util.hpp"

namespace callwire::sip {
namespace {

using boost::asio::ip::make_address;

Source source(Protocol p, const char* ip, std::uint16_t port, std::uint64_t connection = 0) {
  Source s;
  s.protocol = p;
  s.remote_address = make_address(ip);
  s.remote_port = port;
  s.local_address = make_address(make_address(ip).is_v6() ? "::1" : "127.0.0.1");
  s.local_port = 5060;
  s.listener = 3;
  s.connection = connection;
  return s;
}

Via via(std::string_view text) {
  auto v = parse_via(text);
  EXPECT_TRUE(v) << text;
  return v ? *v : Via{};
}

TEST(Protocol, NamesAndReliability) {
  EXPECT_EQ(protocol_name(Protocol::Udp), "UDP");
  EXPECT_EQ(protocol_name(Protocol::Tcp), "TCP");
  EXPECT_EQ(protocol_name(Protocol::Tls), "TLS");
  EXPECT_FALSE(is_reliable(Protocol::Udp));
  EXPECT_TRUE(is_reliable(Protocol::Tcp));
  EXPECT_TRUE(is_reliable(Protocol::Tls));
  EXPECT_EQ(protocol_from_via("udp"), Protocol::Udp);
  EXPECT_EQ(protocol_from_via("Tcp"), Protocol::Tcp);
  EXPECT_EQ(protocol_from_via("TLS"), Protocol::Tls);
  EXPECT_EQ(protocol_from_via("SCTP"), std::nullopt);
  EXPECT_EQ(protocol_from_via("WSS"), std::nullopt);
  EXPECT_EQ(protocol_from_via(""), std::nullopt);
}

TEST(Protocol, MustUseStreamForLargeUdpRequests) {
  EXPECT_FALSE(must_use_stream(1300, Protocol::Udp));
  EXPECT_TRUE(must_use_stream(1301, Protocol::Udp));
  EXPECT_FALSE(must_use_stream(60000, Protocol::Tcp));
  EXPECT_FALSE(must_use_stream(60000, Protocol::Tls));
}

TEST(ResponseRoute, Table) {
  struct Case {
    const char* name;
    Protocol protocol;
    const char* src_ip;
    std::uint16_t src_port;
    std::uint64_t connection;
    const char* via;
    const char* want_ip;
    std::uint16_t want_port;
  } cases[] = {
      // RFC 3581 §4: rport → the packet's source address and port.
      {"rport", Protocol::Udp, "198.51.100.7", 40000, 0, "SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;rport",
       "198.51.100.7", 40000},
      {"rport with value", Protocol::Udp, "198.51.100.7", 40000, 0,
       "SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;rport=5070", "198.51.100.7", 40000},
      // §18.2.2: received (= source address) with the sent-by port.
      {"received, sent-by port", Protocol::Udp, "198.51.100.7", 40000, 0, "SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1",
       "198.51.100.7", 5070},
      {"same host, sent-by port", Protocol::Udp, "192.0.2.1", 40000, 0, "SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1",
       "192.0.2.1", 5070},
      {"default port", Protocol::Udp, "198.51.100.7", 40000, 0, "SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1",
       "198.51.100.7", 5060},
      {"maddr", Protocol::Udp, "198.51.100.7", 40000, 0,
       "SIP/2.0/UDP 192.0.2.1:5080;branch=z9hG4bK1;maddr=239.255.255.1;ttl=1", "239.255.255.1", 5080},
      {"maddr without port", Protocol::Udp, "198.51.100.7", 40000, 0,
       "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;maddr=203.0.113.5", "203.0.113.5", 5060},
      {"maddr name needs DNS: source", Protocol::Udp, "198.51.100.7", 40000, 0,
       "SIP/2.0/UDP 192.0.2.1:5080;branch=z9hG4bK1;maddr=proxy.example.com", "198.51.100.7", 5080},
      {"IPv6 rport", Protocol::Udp, "2001:db8::7", 40000, 0, "SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1;rport",
       "2001:db8::7", 40000},
      {"IPv6 no rport", Protocol::Udp, "2001:db8::7", 40000, 0, "SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1",
       "2001:db8::7", 5070},
      // Reliable: the connection, falling back to received + sent-by port.
      {"tcp", Protocol::Tcp, "198.51.100.7", 40000, 42, "SIP/2.0/TCP 192.0.2.1:5070;branch=z9hG4bK1;rport",
       "198.51.100.7", 5070},
      {"tcp default port", Protocol::Tcp, "198.51.100.7", 40000, 42, "SIP/2.0/TCP client.invalid;branch=z9hG4bK1",
       "198.51.100.7", 5060},
      {"tls default port", Protocol::Tls, "198.51.100.7", 40000, 43, "SIP/2.0/TLS client.invalid;branch=z9hG4bK1",
       "198.51.100.7", 5061},
  };
  for (const auto& c : cases) {
    auto src = source(c.protocol, c.src_ip, c.src_port, c.connection);
    auto route = response_route(src, via(c.via));
    EXPECT_EQ(route.protocol, c.protocol) << c.name;
    EXPECT_EQ(route.address, make_address(c.want_ip)) << c.name;
    EXPECT_EQ(route.port, c.want_port) << c.name;
    EXPECT_EQ(route.connection, c.connection) << c.name;
    EXPECT_EQ(route.listener, 3u) << c.name;
  }
}

TEST(ReceivedVia, Table) {
  struct Case {
    const char* via;
    const char* src_ip;
    std::uint16_t src_port;
    const char* want;
  } cases[] = {
      {"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1", "192.0.2.1", 5060, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1"},
      {"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1", "198.51.100.7", 5060,
       "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;received=198.51.100.7"},
      // With rport, received is always added (RFC 3581 §4) and rport filled.
      {"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport", "192.0.2.1", 40000,
       "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport=40000;received=192.0.2.1"},
      {"SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bK1", "198.51.100.7", 40000,
       "SIP/2.0/UDP 10.0.0.5:5060;rport=40000;branch=z9hG4bK1;received=198.51.100.7"},
      {"SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1", "192.0.2.1", 5060,
       "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1;received=192.0.2.1"},
      // A stale received is replaced, an rport value is kept.
      {"SIP/2.0/UDP 10.0.0.5;received=1.1.1.1;branch=z9hG4bK1", "198.51.100.7", 5060,
       "SIP/2.0/UDP 10.0.0.5;received=198.51.100.7;branch=z9hG4bK1"},
      {"SIP/2.0/UDP 10.0.0.5;rport=7000;branch=z9hG4bK1", "198.51.100.7", 40000,
       "SIP/2.0/UDP 10.0.0.5;rport=7000;branch=z9hG4bK1;received=198.51.100.7"},
      // IPv6: received without brackets (RFC 5118 §4.5).
      {"SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1", "2001:db8::1", 5060,
       "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1"},
      {"SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;rport", "2001:db8::2", 40001,
       "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;rport=40001;received=2001:db8::2"},
      {"SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1", "192.0.2.1", 40000, "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1"},
  };
  for (const auto& c : cases) {
    auto src = source(Protocol::Udp, c.src_ip, c.src_port);
    auto v = via(c.via);
    EXPECT_EQ(received_via(v, src), c.want) << c.via;
    // The result is itself a valid Via with the values the RFC asks for.
    std::string text = received_via(v, src);
    auto again = parse_via(text);
    ASSERT_TRUE(again) << c.via;
    if (v.has_rport()) {
      EXPECT_TRUE(again->rport().has_value()) << c.via;
    }
  }
}

TEST(ParseListen, Table) {
  auto plain = parse_listen("0.0.0.0:5070");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->endpoint.address, make_address("0.0.0.0"));
  EXPECT_EQ(plain->endpoint.port, 5070);
  EXPECT_EQ(plain->protocols, (std::vector<Protocol>{Protocol::Udp, Protocol::Tcp}));

  auto v6 = parse_listen("[::1]:5060");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->endpoint.address, make_address("::1"));

  auto secure = parse_listen("[::]", true);
  ASSERT_TRUE(secure);
  EXPECT_EQ(secure->endpoint.port, 5061);
  EXPECT_EQ(secure->protocols, std::vector<Protocol>{Protocol::Tls});
  EXPECT_EQ(parse_listen("127.0.0.1")->endpoint.port, 5060);

  for (const char* bad : {"", "localhost:5060", "1.2.3.4:99999", "[::1", "::1]:5060"}) {
    auto r = parse_listen(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, net::Errc::BadAddress) << bad;
  }
}

TEST(StreamFramer, KeepAlives) {
  ParseLimits limits;
  using K = StreamFrame::Kind;
  EXPECT_EQ(next_frame("", limits).kind, K::NeedMore);
  EXPECT_EQ(next_frame("\r", limits).kind, K::NeedMore);
  EXPECT_EQ(next_frame("\r\n", limits).kind, K::NeedMore);  // may become a ping
  EXPECT_EQ(next_frame("\r\n\r", limits).kind, K::NeedMore);
  auto ping = next_frame("\r\n\r\nOPTIONS", limits);
  EXPECT_EQ(ping.kind, K::Ping);
  EXPECT_EQ(ping.consume, 4u);
  auto pong = next_frame("\r\nOPTIONS", limits);
  EXPECT_EQ(pong.kind, K::Skip);
  EXPECT_EQ(pong.consume, 2u);
}

TEST(StreamFramer, Messages) {
  ParseLimits limits;
  using K = StreamFrame::Kind;
  std::string one = test::request("a", "SIP/2.0/TCP 127.0.0.1:5999", "hello");
  std::string two = one + test::request("b", "SIP/2.0/TCP 127.0.0.1:5999");
  auto f = next_frame(two, limits);
  ASSERT_EQ(f.kind, K::Message);
  EXPECT_EQ(f.skip, 0u);
  EXPECT_EQ(f.size, one.size());
  EXPECT_EQ(f.consume, one.size());
  // Every proper prefix needs more.
  for (std::size_t n = 1; n < one.size(); ++n) {
    ASSERT_EQ(next_frame(std::string_view(one).substr(0, n), limits).kind, K::NeedMore) << n;
  }
}

TEST(StreamFramer, Errors) {
  ParseLimits limits;
  limits.max_message_size = 1024;
  using K = StreamFrame::Kind;
  auto no_length = next_frame("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n\r\n", limits);
  EXPECT_EQ(no_length.kind, K::Error);
  EXPECT_EQ(no_length.error.code, Errc::BadContentLength);
  auto bad_length = next_frame("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: abc\r\n\r\n", limits);
  EXPECT_EQ(bad_length.kind, K::Error);
  std::string huge = "OPTIONS sip:a@b SIP/2.0\r\n" + std::string(2000, 'X');
  EXPECT_EQ(next_frame(huge, limits).kind, K::Error);
}

}  // namespace
}  // namespace callwire::sip
