#include "sip/message/via.hpp"

#include <gtest/gtest.h>

#include "sip/message/errc.hpp"

namespace callwire::sip {
namespace {

TEST(Via, Typical) {
  auto v = parse_via("SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;ttl=16");
  ASSERT_TRUE(v) << v.error().detail;
  EXPECT_EQ(v->protocol_name, "SIP");
  EXPECT_EQ(v->protocol_version, "2.0");
  EXPECT_EQ(v->transport, "UDP");
  EXPECT_EQ(v->host, "pc33.atlanta.example.com");
  EXPECT_EQ(v->port, 5066);
  EXPECT_EQ(v->branch(), "z9hG4bK776asdhds");
  EXPECT_FALSE(v->has_rport());
  EXPECT_FALSE(v->rport());
  EXPECT_EQ(v->received(), "");
  EXPECT_EQ(v->maddr(), "");
  EXPECT_EQ(v->params.size(), 2u);
}

TEST(Via, ParamsInlineAndSpilledSurviveCopyAndMove) {
  // Four params stay inline, six spill; the LWS form takes the general path.
  for (std::string_view text : {"SIP/2.0/UDP h.example.com;branch=z9hG4bK1;a;b=2;c",
                                "SIP/2.0/UDP h.example.com;branch=z9hG4bK1;a;b=2;c;d;e=5",
                                "SIP/2.0/UDP h.example.com ; branch=z9hG4bK1 ;a;b=2;c;d;e=5"}) {
    auto v = parse_via(text);
    ASSERT_TRUE(v) << v.error().detail;
    std::size_t n = text.ends_with("c") ? 4 : 6;
    ASSERT_EQ(v->params.size(), n) << text;
    Via copy = *v;
    Via moved = std::move(*v);
    for (const Via* w : {&copy, &moved}) {
      ASSERT_EQ(w->params.size(), n);
      EXPECT_EQ(w->branch(), "z9hG4bK1");
      EXPECT_EQ(w->params[2].value, "2");
      EXPECT_EQ(w->params[n - 1].name, n == 4 ? "c" : "e");
    }
    Via assigned;
    assigned = copy;
    EXPECT_EQ(assigned.params.size(), n);
    EXPECT_EQ(assigned.params[0].value, "z9hG4bK1");
    assigned = Via{};
    EXPECT_TRUE(assigned.params.empty());
  }
}

TEST(Via, RportWithAndWithoutValue) {
  auto bare = parse_via("SIP/2.0/UDP 192.0.2.1;rport;branch=z9hG4bK1");
  ASSERT_TRUE(bare);
  EXPECT_TRUE(bare->has_rport());
  EXPECT_FALSE(bare->rport());
  EXPECT_FALSE(bare->port);
  auto filled = parse_via("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;received=198.51.100.4;rport=61432");
  ASSERT_TRUE(filled);
  EXPECT_TRUE(filled->has_rport());
  EXPECT_EQ(filled->rport(), 61432);
  EXPECT_EQ(filled->received(), "198.51.100.4");
}

TEST(Via, Ipv6AndMaddr) {
  auto v = parse_via("SIP/2.0/TCP [2001:db8::9:1]:5061;branch=z9hG4bKas;received=2001:db8::9:255;maddr=[ff02::1]");
  ASSERT_TRUE(v) << v.error().detail;
  EXPECT_TRUE(v->host_is_ipv6);
  EXPECT_EQ(v->host, "2001:db8::9:1");
  EXPECT_EQ(v->port, 5061);
  EXPECT_EQ(v->received(), "2001:db8::9:255");
  EXPECT_EQ(v->maddr(), "[ff02::1]");
  auto no_port = parse_via("SIP/2.0/UDP [::1];branch=z9hG4bK2;received=[::2]");
  ASSERT_TRUE(no_port) << no_port.error().detail;
  EXPECT_EQ(no_port->host, "::1");
  EXPECT_FALSE(no_port->port);
}

TEST(Via, LinearWhitespaceEverywhereTheGrammarAllows) {
  auto v = parse_via("SIP  /   2.0    /UDP  192.0.2.2 : 5060  ;  branch  =   z9hG4bK9ikj8 ; rport");
  ASSERT_TRUE(v) << v.error().detail;
  EXPECT_EQ(v->transport, "UDP");
  EXPECT_EQ(v->host, "192.0.2.2");
  EXPECT_EQ(v->port, 5060);
  EXPECT_EQ(v->branch(), "z9hG4bK9ikj8");
  EXPECT_TRUE(v->has_rport());
}

TEST(Via, WhitespaceAfterTheLastSlash) {
  // "SIP/2.0/" is matched as a whole; SWS may still follow it.
  auto v = parse_via("SIP/2.0/ \tTCP h.example.com;branch=z9hG4bK5");
  ASSERT_TRUE(v) << v.error().detail;
  EXPECT_EQ(v->protocol_version, "2.0");
  EXPECT_EQ(v->transport, "TCP");
  EXPECT_EQ(v->host, "h.example.com");
  auto odd = parse_via("sip/2.0/udp h.example.com");  // protocol tokens are case-insensitive
  ASSERT_TRUE(odd) << odd.error().detail;
  EXPECT_EQ(odd->protocol_name, "sip");
  EXPECT_EQ(odd->transport, "udp");
}

TEST(Via, UnknownTransportsAndExtensions) {
  for (const char* t : {"SIP/2.0/SCTP a.example.com", "SIP/2.0/TLS-SCTP a.example.com;branch=z9hG4bK1",
                        "SIP/2.0/UNKNOWN a.example.com;branch=z9hG4bK1;x-ext=\"quoted, value\"",
                        "SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK1"}) {
    auto v = parse_via(t);
    EXPECT_TRUE(v) << t << ": " << (v ? "" : v.error().detail);
  }
}

class ViaInvalid : public ::testing::TestWithParam<const char*> {};

TEST_P(ViaInvalid, Fails) {
  auto v = parse_via(GetParam());
  ASSERT_FALSE(v) << GetParam();
  EXPECT_EQ(v.error().code, make_error_code(Errc::BadVia));
}

INSTANTIATE_TEST_SUITE_P(Vectors, ViaInvalid,
                         ::testing::Values("", "SIP", "SIP/2.0", "SIP/2.0/UDP", "SIP/2.0/UDP ", "SIP/2.0 UDP host",
                                           "SIP/2.0/UDPhost", "SIP/2.0/UDP 192.0.2.15;;", "SIP/2.0/UDP host;",
                                           "SIP/2.0/UDP host:", "SIP/2.0/UDP host:99999", "SIP/2.0/UDP [2001:db8::1",
                                           "SIP/2.0/UDP [2001:db8::1::2]", "SIP/2.0/UDP 2001:db8::1",
                                           "SIP/2.0/UDP host;rport=x", "SIP/2.0/UDP host;rport=70000",
                                           "SIP/2.0/UDP host;ttl=256", "SIP/2.0/UDP host;received=example.com",
                                           "SIP/2.0/UDP host;branch=\"q\"", "SIP/2.0/UDP host;maddr",
                                           "SIP/2.0/UDP host junk", "SIP/2.0/UDP ho st",
                                           "SIP/2.0/ text/plain", "SIP/2.0/UDP a..b", "SIP/2.0/UDP -a.b",
                                           "SIP/2.0/UDP a-.b", "SIP/2.0/UDP 1.2.3.256", "SIP/2.0/UDP 1.2.3",
                                           "SIP/2.0/UDP 1.2.3.4."));

}  // namespace
}  // namespace callwire::sip
