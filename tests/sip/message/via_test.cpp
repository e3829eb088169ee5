#include "sip/message/via.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "sip/message/errc.hpp"
#include "sip/message/scan.hpp"

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

// The parser's fast path for the top Via (scan::usual_top_via, on a value
// as the parser's block holds it) stores what the general parse stores
// whenever it takes a value, and leaves every other value to it.
TEST(Via, UsualTopViaAgreesWithTheGeneralParse) {
  struct Case {
    const char* text;
    bool usual;
  };
  const Case cases[] = {
      {"SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9a8c1e2d;rport", true},
      {"SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9a8c1e2d;rport=5060;received=192.0.2.101", true},
      {"SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bK776asdhds", true},
      {"SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx,SIP/2.0/UDP 10.0.0.2", true},
      {"SIP/2.0/UDP h.example.com;branch=z9hG4bK1;a;b=2;c", true},
      {"SIP/2.0/TLS-SCTP a.example.com:65535;BRANCH=z9hG4bK1;TTL=16;MADDR=224.2.0.1", true},
      {"sip/2.0/udp 192.0.2.1", false},
      {"SIP/2.0/UDP 1.2.3.4", true},
      {"SIP/2.0/UDP h.example.com;branch=z9hG4bK1;a;b=2;c;d", false},  // more than four params
      {"SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1", false},
      {"SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx , SIP/2.0/UDP 10.0.0.2", false},
      {"SIP/2.0/UDP 10.0.0.1 ;branch=z9hG4bKx", false},
      {"SIP/2.0/UDP 10.0.0.1;received=2001:db8::9", false},
      {"SIP/2.0/UDP 10.0.0.1;x=\"q\"", false},
      {"SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK~1", true},  // a token character other than - . _
      {"SIP/2.0/UDP 10.0.0.1;Branch=z9hG4bK1;RPORT=5060", true},
      {"SIP/2.0/UDP 10.0.0.1;BRANCH=z9hG4bK1;rPoRt", true},
      {"SIP/2.0/UDP 10.0.0.1;rportx;branchy=1;x-~!=y", true},
      {"SIP/2.0/UDP 10.0.0.1;rport=5060x", false},
      {"SIP/2.0/UDP 10.0.0.1;rport=123456", false},
      {"SIP/2.0/UDP 10.0.0.1;rport=", false},
      {"SIP/2.0/UDP 10.0.0.1;branch=", false},
      {"SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK:1", false},
      {"SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1 ;rport", false},
      {"SIP/2.0/UDP 10.0.0.1:050601;branch=z9hG4bK1", false},
      {"SIP/2.0/UDP 10.0.0.1;branch", false},
      {"SIP/2.0/UDP 10.0.0.1;maddr", false},
      {"SIP/2.0/UDP 10.0.0.1;received", false},  // found by sip_uri_fuzz: the fast path took it
      {"SIP/2.0/UDP 10.0.0.1;ttl", false},
      {"SIP/2.0/UDP 10.0.0.1;TTL=1;Received=10.0.0.2;rport", true},
      {"SIP/2.0/UDP 10.0.0.1;rport=x", false},
      {"SIP/2.0/UDP 10.0.0.1;rport=70000", false},
      {"SIP/2.0/UDP 10.0.0.1;ttl=256", false},
      {"SIP/2.0/UDP 10.0.0.1;received=example.com", false},
      {"SIP/2.0/UDP 1.2.3.256", false},
      {"SIP/2.0/UDP a..b", false},
      {"SIP/2.0/UDP 10.0.0.1;;", false},
      {"SIP/2.0/UDP 10.0.0.1;", false},
      {"SIP/2.0/UDP 10.0.0.1;a=", false},
      {"SIP/2.0/UDP 10.0.0.1:", false},
      {"SIP/2.0/UDP", false},
      {"SIP/2.0/iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii", false},
  };
  // A value may be followed by the whitespace trimmed off it, then the line
  // end (a fuzzer found the fast path reading a transport's trailing SP).
  for (const char* after : {"\r\n", " \r\n", "\t \n"}) {
    for (const Case& c : cases) {
      std::string block(c.text);
      block += after;
      block.append(64, '\0');
      std::string_view text(block.data(), std::strlen(c.text));
      Via fast, slow;
      bool took = scan::usual_top_via(fast, text);
      EXPECT_EQ(took, c.usual) << c.text;
      const char* why = scan::parse_via_into(slow, text, true);
      if (!took) continue;
      ASSERT_EQ(why, nullptr) << c.text;
      EXPECT_EQ(fast.protocol_name, slow.protocol_name) << c.text;
      EXPECT_EQ(fast.protocol_version, slow.protocol_version) << c.text;
      EXPECT_EQ(fast.transport, slow.transport) << c.text;
      EXPECT_EQ(fast.host, slow.host) << c.text;
      EXPECT_EQ(fast.host_is_ipv6, slow.host_is_ipv6) << c.text;
      EXPECT_EQ(fast.port, slow.port) << c.text;
      EXPECT_EQ(fast.text, slow.text) << c.text;
      ASSERT_EQ(fast.params.size(), slow.params.size()) << c.text;
      for (std::size_t i = 0; i < fast.params.size(); ++i) {
        EXPECT_EQ(fast.params[i].name, slow.params[i].name) << c.text;
        EXPECT_EQ(fast.params[i].value, slow.params[i].value) << c.text;
        EXPECT_EQ(fast.params[i].has_value, slow.params[i].has_value) << c.text;
      }
    }
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
