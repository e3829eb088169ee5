// Requests a dialog builds (§12.2.1.1) and the ACK for a 2xx (§13.2.2.4),
// checked by parsing the bytes back.
#include <gtest/gtest.h>

#include "sip/dialog/dialog.hpp"
#include "sip/dialog/dialog_errc.hpp"
#include "sip/message/name_addr.hpp"
#include "test_support.hpp"

namespace callwire::sip {
namespace {

using test::kInvite;
using test::kLocalContact;
using test::msg;
using test::parse;
using test::strings;

const LocalVia kVia{Protocol::Udp, "192.0.2.10", 5060};

Dialog confirmed_uas(std::string_view invite_text) {
  auto invite = msg(invite_text);
  auto d = Dialog::uas(invite, "cw-tag", std::string(kLocalContact));
  if (!d) throw std::runtime_error(d.error().what());
  (void)d->make_response(invite, 200);
  return std::move(*d);
}

std::string with_record_route(std::string_view rr) {
  std::string invite(kInvite);
  auto start = invite.find("Record-Route:");
  auto end = invite.find("Max-Forwards:");
  invite.replace(start, end - start, rr);
  return invite;
}

TEST(DialogRequest, LooseRoutingKeepsTargetAsRequestUriAndRouteSetAsRoutes) {
  auto d = confirmed_uas(kInvite);
  auto bye = parse(d.make_request(Method::Bye, kVia, "z9hG4bKbye1"));
  EXPECT_EQ(bye.method(), Method::Bye);
  EXPECT_EQ(bye.request_uri(), "sip:alice@198.51.100.7:5060");
  EXPECT_EQ(strings(bye.values(HeaderId::Route)),
            (std::vector<std::string>{"<sip:192.0.2.2;lr>", "<sip:192.0.2.1;lr;transport=udp>"}));
  EXPECT_EQ(bye.call_id(), "call-1@198.51.100.7");
  EXPECT_EQ(bye.from_tag(), "cw-tag");
  EXPECT_EQ(bye.to_tag(), "alice-tag");
  auto from = parse_name_addr(bye.header(HeaderId::From));
  ASSERT_TRUE(from);
  EXPECT_EQ(from->uri_text, "sip:callwire@example.net");
  EXPECT_EQ(from->display_name, "Callwire");
  auto to = parse_name_addr(bye.header(HeaderId::To));
  ASSERT_TRUE(to);
  EXPECT_EQ(to->uri_text, "sip:alice@example.com");
  EXPECT_EQ(to->display_name, "\"Alice Liddell\"");
  EXPECT_EQ(bye.max_forwards(), 70u);
  EXPECT_EQ(bye.top_via().branch(), "z9hG4bKbye1");
  EXPECT_EQ(bye.top_via().transport, "UDP");
  EXPECT_EQ(bye.top_via().host, "192.0.2.10");
  EXPECT_EQ(bye.top_via().port, 5060);
  EXPECT_TRUE(bye.top_via().has_rport());
  EXPECT_EQ(bye.cseq().method, Method::Bye);
  EXPECT_EQ(bye.cseq().number, *d.local_cseq());
  EXPECT_FALSE(bye.has(HeaderId::Contact));  // BYE refreshes no target
  EXPECT_TRUE(bye.body().empty());
}

TEST(DialogRequest, StrictRoutingPutsFirstRouteInRequestUriAndTargetLast) {
  auto d = confirmed_uas(with_record_route("Record-Route: <sip:192.0.2.2;maddr=192.0.2.3?X=y>\n"
                                           "Record-Route: <sip:192.0.2.1;lr>\n"));
  auto info = parse(d.make_request("INFO", kVia, "z9hG4bKinfo", {{{"X-Test", "1"}}, "application/dtmf-relay", "Signal=5\r\n"}));
  EXPECT_EQ(info.request_uri(), "sip:192.0.2.2;maddr=192.0.2.3");
  EXPECT_EQ(strings(info.values(HeaderId::Route)),
            (std::vector<std::string>{"<sip:192.0.2.1;lr>", "<sip:alice@198.51.100.7:5060>"}));
  EXPECT_EQ(info.header("X-Test"), "1");
  EXPECT_EQ(info.header(HeaderId::ContentType), "application/dtmf-relay");
  EXPECT_EQ(info.body(), "Signal=5\r\n");
  // The next hop is still the first route (its maddr).
  auto route = d.route();
  ASSERT_TRUE(route) << route.error().what();
  EXPECT_EQ(route->address.to_string(), "192.0.2.3");
  EXPECT_EQ(route->port, 5060);
}

TEST(DialogRequest, NoRouteSetMeansNoRouteHeaders) {
  auto d = confirmed_uas(with_record_route(""));
  auto options = parse(d.make_request(Method::Options, kVia, "z9hG4bKopt"));
  EXPECT_EQ(options.request_uri(), "sip:alice@198.51.100.7:5060");
  EXPECT_FALSE(options.has(HeaderId::Route));
  auto route = d.route();
  ASSERT_TRUE(route);
  EXPECT_EQ(route->address.to_string(), "198.51.100.7");
  EXPECT_EQ(route->port, 5060);
  EXPECT_EQ(route->protocol, Protocol::Udp);
}

TEST(DialogRequest, NextHopIsFirstRoute) {
  auto d = confirmed_uas(kInvite);
  auto hop = d.next_hop();
  ASSERT_TRUE(hop);
  EXPECT_EQ(hop->host, "192.0.2.2");
  auto route = d.route();
  ASSERT_TRUE(route);
  EXPECT_EQ(route->address.to_string(), "192.0.2.2");
  EXPECT_EQ(route->port, 5060);
}

TEST(DialogRequest, CSeqCountsUpAndAckCancelReuseTheInvites) {
  auto d = confirmed_uas(kInvite);
  EXPECT_FALSE(d.local_cseq());
  auto first = parse(d.make_request(Method::Info, kVia, "z9hG4bK1"));
  std::uint32_t n = first.cseq().number;
  EXPECT_GE(n, 1u);
  EXPECT_LT(n, 1u << 31);
  auto reinvite = parse(d.make_request(Method::Invite, kVia, "z9hG4bK2", {{}, "application/sdp", "v=0\r\n"}));
  EXPECT_EQ(reinvite.cseq().number, n + 1);
  EXPECT_EQ(reinvite.header(HeaderId::Contact), kLocalContact);
  EXPECT_EQ(reinvite.body(), "v=0\r\n");
  auto cancel = parse(d.make_request(Method::Cancel, kVia, "z9hG4bK2"));
  EXPECT_EQ(cancel.cseq().number, n + 1);
  EXPECT_EQ(cancel.cseq().method, Method::Cancel);
  EXPECT_FALSE(cancel.has(HeaderId::Contact));
  auto ack = parse(d.make_request(Method::Ack, kVia, "z9hG4bK3"));
  EXPECT_EQ(ack.cseq().number, n + 1);
  auto update = parse(d.make_request("UPDATE", kVia, "z9hG4bK4"));
  EXPECT_EQ(update.cseq().number, n + 2);
  EXPECT_EQ(update.header(HeaderId::Contact), kLocalContact);
  EXPECT_EQ(*d.local_cseq(), n + 2);
}

TEST(DialogRequest, ViaCarriesTheGivenProtocolAndIpv6SentBy) {
  auto d = confirmed_uas(kInvite);
  auto bye = parse(d.make_request(Method::Bye, {Protocol::Tls, "[2001:db8::1]", 5061}, "z9hG4bKv6"));
  EXPECT_EQ(bye.top_via().transport, "TLS");
  EXPECT_EQ(bye.top_via().host, "2001:db8::1");
  EXPECT_EQ(bye.top_via().port, 5061);
}

// callwire called bob; the 2xx came through two proxies.
constexpr std::string_view kOurInvite =
    "INVITE sip:bob@203.0.113.5 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKinv1;rport\n"
    "Max-Forwards: 70\n"
    "From: <sip:callwire@example.net>;tag=our-tag\n"
    "To: <sip:bob@example.org>\n"
    "Call-ID: out-2@192.0.2.10\n"
    "CSeq: 7 INVITE\n"
    "Contact: <sip:callwire@192.0.2.10:5060>\n"
    "\n";
constexpr std::string_view kBobOk =
    "SIP/2.0 200 OK\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKinv1;rport=5060\n"
    "Record-Route: <sip:203.0.113.1;lr>\n"
    "Record-Route: <sip:203.0.113.2;lr>\n"
    "From: <sip:callwire@example.net>;tag=our-tag\n"
    "To: <sip:bob@example.org>;tag=bob-tag\n"
    "Call-ID: out-2@192.0.2.10\n"
    "CSeq: 7 INVITE\n"
    "Contact: <sip:bob@203.0.113.5:5070>\n"
    "Content-Type: application/sdp\n"
    "\n"
    "v=0\r\n";

TEST(DialogAck, AckFor2xxKeepsCSeqNumberTakesNewBranchAndTheRouteSet) {
  auto invite = msg(kOurInvite);
  auto ok = msg(kBobOk);
  auto d = Dialog::uac(invite, ok);
  ASSERT_TRUE(d);
  auto bytes = d->make_ack(ok.cseq().number, kVia, "z9hG4bKack1", {{}, "application/sdp", "v=0 answer\r\n"});
  ASSERT_TRUE(bytes);
  auto ack = parse(*bytes);
  EXPECT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.cseq().number, 7u);
  EXPECT_EQ(ack.cseq().method, Method::Ack);
  EXPECT_NE(ack.top_via().branch(), invite.top_via().branch());
  EXPECT_EQ(ack.top_via().branch(), "z9hG4bKack1");
  EXPECT_EQ(ack.request_uri(), "sip:bob@203.0.113.5:5070");
  EXPECT_EQ(strings(ack.values(HeaderId::Route)),
            (std::vector<std::string>{"<sip:203.0.113.2;lr>", "<sip:203.0.113.1;lr>"}));
  EXPECT_EQ(ack.from_tag(), "our-tag");
  EXPECT_EQ(ack.to_tag(), "bob-tag");
  EXPECT_EQ(ack.body(), "v=0 answer\r\n");
  EXPECT_FALSE(ack.has(HeaderId::Contact));
  EXPECT_EQ(*d->local_cseq(), 7u);  // an ACK takes no new number

  // The same 2xx again gets the same ACK; other responses do not.
  EXPECT_EQ(d->ack_for(ok), bytes);
  auto other = std::string(kBobOk);
  other.replace(other.find("CSeq: 7"), 7, "CSeq: 8");
  EXPECT_EQ(d->ack_for(msg(other)), nullptr);
  auto route = d->route();
  ASSERT_TRUE(route);
  EXPECT_EQ(route->address.to_string(), "203.0.113.2");
}

TEST(DialogAck, NoAckKeptBeforeOneIsMade) {
  auto invite = msg(kOurInvite);
  auto ok = msg(kBobOk);
  auto d = Dialog::uac(invite, ok);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->ack_for(ok), nullptr);
}

TEST(DialogRequest, RequestsFromUacSideUseNextCSeq) {
  auto invite = msg(kOurInvite);
  auto d = Dialog::uac(invite, msg(kBobOk));
  ASSERT_TRUE(d);
  auto bye = parse(d->make_request(Method::Bye, kVia, "z9hG4bKb"));
  EXPECT_EQ(bye.cseq().number, 8u);
  EXPECT_EQ(bye.from_tag(), "our-tag");
  EXPECT_EQ(bye.to_tag(), "bob-tag");
  EXPECT_EQ(bye.request_uri(), "sip:bob@203.0.113.5:5070");
}

}  // namespace
}  // namespace callwire::sip
