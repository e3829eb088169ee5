// The requests a UAC derives from its INVITE (§17.1.1.3, §9.1).
#include "sip/transaction/client_requests.hpp"

#include "tx_fixture.hpp"

namespace callwire::sip::test {
namespace {

TEST(MakeVia, WritesTransportSentByBranchAndRport) {
  EXPECT_EQ(make_via(Protocol::Udp, "192.0.2.1", 5060, "z9hG4bKx"),
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx;rport");
  EXPECT_EQ(make_via(Protocol::Tls, "[2001:db8::1]", 5061, "z9hG4bKy"),
            "SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bKy;rport");
  EXPECT_EQ(make_via(Protocol::Tcp, "pbx.example.com", 0, "z9hG4bKz"),
            "SIP/2.0/TCP pbx.example.com;branch=z9hG4bKz;rport");
  std::string text = make_via(Protocol::Tcp, "192.0.2.1", 5070, "z9hG4bKabc");
  auto via = parse_via(text);
  ASSERT_TRUE(via.has_value());
  EXPECT_EQ(via->transport, "TCP");
  EXPECT_EQ(via->port, 5070);
  EXPECT_EQ(via->branch(), "z9hG4bKabc");
  EXPECT_TRUE(via->has_rport());
}

class ClientRequests : public ::testing::Test {
 protected:
  ClientRequests() {
    invite.branch = "z9hG4bK-inv";
    invite.uri = "sip:+15551234567@gw.example.com;user=phone";
    invite.routes = {"<sip:edge.example.com;lr>"};
    invite.cseq = 42;
  }
  Req invite;
};

TEST_F(ClientRequests, AckForNon2xx) {
  Message inv = invite.msg();
  Message resp = parse_ok(reply(invite.str(), 404, "t-404"));
  auto ack = build_ack_for_non2xx(inv, resp);
  ASSERT_TRUE(ack.has_value()) << ack.error().what();
  Message m = parse_ok(*ack);
  EXPECT_EQ(m.method(), Method::Ack);
  EXPECT_EQ(m.request_uri(), "sip:+15551234567@gw.example.com;user=phone");
  EXPECT_EQ(m.top_via().text, inv.top_via().text);
  EXPECT_EQ(m.values(HeaderId::Via).size(), 1u);
  EXPECT_EQ(m.header(HeaderId::Route), "<sip:edge.example.com;lr>");
  EXPECT_EQ(m.header(HeaderId::From), inv.header(HeaderId::From));
  EXPECT_EQ(m.header(HeaderId::To), resp.header(HeaderId::To));
  EXPECT_EQ(m.to_tag(), "t-404");
  EXPECT_EQ(m.call_id(), inv.call_id());
  EXPECT_EQ(m.cseq().number, 42u);
  EXPECT_EQ(m.cseq().method, Method::Ack);
  EXPECT_EQ(m.max_forwards(), 70u);
  EXPECT_FALSE(m.has(HeaderId::Contact));
  EXPECT_TRUE(m.body().empty());
}

TEST_F(ClientRequests, AckRefusesA2xxOrANonInvite) {
  Message inv = invite.msg();
  EXPECT_FALSE(build_ack_for_non2xx(inv, parse_ok(reply(invite.str(), 200))).has_value());
  EXPECT_FALSE(build_ack_for_non2xx(inv, parse_ok(reply(invite.str(), 180))).has_value());
  Req options = invite;
  options.method = "OPTIONS";
  EXPECT_FALSE(
      build_ack_for_non2xx(options.msg(), parse_ok(reply(options.str(), 404))).has_value());
}

TEST_F(ClientRequests, Cancel) {
  Message inv = invite.msg();
  auto cancel = build_cancel(inv);
  ASSERT_TRUE(cancel.has_value());
  Message m = parse_ok(*cancel);
  EXPECT_EQ(m.method(), Method::Cancel);
  EXPECT_EQ(m.request_uri(), inv.request_uri());
  EXPECT_EQ(m.top_via().text, inv.top_via().text);
  EXPECT_EQ(m.header(HeaderId::Route), "<sip:edge.example.com;lr>");
  EXPECT_EQ(m.header(HeaderId::To), inv.header(HeaderId::To));
  EXPECT_TRUE(m.to_tag().empty());
  EXPECT_EQ(m.cseq().number, 42u);
  EXPECT_EQ(m.cseq().method, Method::Cancel);
  EXPECT_EQ(m.call_id(), inv.call_id());
  Req bye = invite;
  bye.method = "BYE";
  EXPECT_FALSE(build_cancel(bye.msg()).has_value());
}

}  // namespace
}  // namespace callwire::sip::test
