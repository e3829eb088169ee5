// What a call keeps of its INVITE and the webhook parameters built from it
// (contract 8.6, 9.3).
#include "calls/invite_facts.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace callwire::calls {
namespace {

sip::Message parse(const std::string& text) {
  auto m = sip::Message::parse(text);
  EXPECT_TRUE(m) << m.error().what();
  return std::move(*m);
}

const std::string kInvite =
    "INVITE sip:+14155550100@acme.sip.dublin.example.com;user=phone SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-1\r\n"
    "From: \"Alice Smith\" <sip:alice@203.0.113.5;transport=udp>;tag=abc\r\n"
    "To: <sip:+14155550100@acme.sip.example.com>\r\n"
    "Call-ID: call-1@pbx\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
    "User-Agent: FPBX-16\r\n"
    "X-Customer-Id: 42\r\n"
    "x-info: a=1;b=2\r\n"
    "X-Customer-Id: 43\r\n"
    "User-to-User: 56a390f3d2b7310023a2fb8ed0fca6a3;encoding=hex\r\n"
    "P-Asserted-Identity: <sip:+15550001111@pbx>\r\n"
    "Xtra: not a custom header\r\n"
    "Content-Length: 0\r\n\r\n";

sip::Source source() {
  sip::Source s;
  s.remote_address = boost::asio::ip::make_address("203.0.113.5");
  s.remote_port = 5060;
  return s;
}

std::string value_of(const Params& p, std::string_view name) {
  auto it = std::find_if(p.begin(), p.end(), [&](const auto& kv) { return kv.first == name; });
  return it == p.end() ? "<absent>" : it->second;
}

TEST(InviteFacts, UrisCallIdSourceAndCustomHeaders) {
  auto invite = parse(kInvite);
  auto f = invite_facts(invite, source());
  EXPECT_EQ(f.from, "sip:alice@203.0.113.5;transport=udp");  // no display name, no tag
  EXPECT_EQ(f.to, "sip:+14155550100@acme.sip.dublin.example.com;user=phone");
  EXPECT_EQ(f.sip_call_id, "call-1@pbx");
  EXPECT_EQ(f.source_ip, "203.0.113.5");
  EXPECT_EQ(f.user_agent, "FPBX-16");
  Params expected{{"SipHeader_X-Customer-Id", "42,43"},
                  {"SipHeader_x-info", "a=1;b=2"},
                  {"SipHeader_User-to-User", "56a390f3d2b7310023a2fb8ed0fca6a3;encoding=hex"}};
  EXPECT_EQ(f.sip_headers, expected);
}

TEST(InviteFacts, AddrSpecFromWithoutBrackets) {
  std::string text = kInvite;
  text.replace(text.find("From: "), text.find("\r\n", text.find("From: ")) - text.find("From: "),
               "From: sip:bob@pbx.example.com;tag=xyz");
  auto f = invite_facts(parse(text), source());
  EXPECT_EQ(f.from, "sip:bob@pbx.example.com");
}

TEST(CallParams, BaseSetAndSipSpecifics) {
  auto f = invite_facts(parse(kInvite), source());
  CallIdentity id{"AC1", "CA1", "acme.sip.example.com", "SD1", ""};
  auto p = call_params(id, f, "ringing");
  EXPECT_EQ(value_of(p, "AccountSid"), "AC1");
  EXPECT_EQ(value_of(p, "ApiVersion"), "2010-04-01");
  EXPECT_EQ(value_of(p, "CallSid"), "CA1");
  EXPECT_EQ(value_of(p, "CallStatus"), "ringing");
  EXPECT_EQ(value_of(p, "Direction"), "inbound");
  EXPECT_EQ(value_of(p, "From"), f.from);
  EXPECT_EQ(value_of(p, "Caller"), f.from);
  EXPECT_EQ(value_of(p, "To"), f.to);
  EXPECT_EQ(value_of(p, "Called"), f.to);
  EXPECT_EQ(value_of(p, "SipDomain"), "acme.sip.example.com");
  EXPECT_EQ(value_of(p, "SipDomainSid"), "SD1");
  EXPECT_EQ(value_of(p, "SipCallId"), "call-1@pbx");
  EXPECT_EQ(value_of(p, "SipSourceIp"), "203.0.113.5");
  EXPECT_EQ(value_of(p, "SipUsername"), "<absent>");  // only with credential auth
  EXPECT_EQ(value_of(p, "SipHeader_x-info"), "a=1;b=2");
  EXPECT_EQ(value_of(p, "SipHeader_P-Asserted-Identity"), "<absent>");
  EXPECT_EQ(value_of(p, "SipHeader_Xtra"), "<absent>");

  id.username = "alice";
  EXPECT_EQ(value_of(call_params(id, f, "in-progress"), "SipUsername"), "alice");
}

}  // namespace
}  // namespace callwire::calls
