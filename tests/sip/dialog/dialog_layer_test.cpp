// The dialog layer end to end on the test clock: routing of received
// requests and responses, BYE, 481, ACKs, forking, 2xx and ACK resending.
#include "sip/dialog/dialog_layer.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace callwire::sip {
namespace {

using namespace std::chrono_literals;
using test::alice_request;
using test::kInvite;
using test::kLocalContact;
using test::msg;
using test::parse;
using Action = RequestVerdict::Action;
using RAction = ResponseVerdict::Action;

const LocalVia kVia{Protocol::Udp, "192.0.2.10", 5060};

Route udp_route(std::string_view ip, std::uint16_t port = 5060, Protocol p = Protocol::Udp) {
  Route r;
  r.protocol = p;
  r.address = boost::asio::ip::make_address(ip);
  r.port = port;
  return r;
}

struct Layer : ::testing::Test {
  ManualTimers timers;
  test::LoopTransport transport{&timers, {"192.0.2.10", 5060}};
  test::RecordingHandler handler;
  DialogLayer layer{timers, transport, handler};
  Message invite = msg(kInvite);
  DialogId id{"call-1@198.51.100.7", "cw-tag", "alice-tag"};

  // Answers kInvite with a 200 through the layer, as the stack would.
  Dialog& answered(Protocol p = Protocol::Udp) {
    auto created = Dialog::uas(invite, "cw-tag", std::string(kLocalContact));
    EXPECT_TRUE(created);
    auto inserted = layer.table().insert(std::move(*created));
    EXPECT_TRUE(inserted);
    Dialog& d = **inserted;
    auto ok = std::make_shared<const std::string>(d.make_response(invite, 200));
    layer.send_2xx(d, ok, invite.cseq().number, udp_route("192.0.2.2", 5060, p));
    return d;
  }
};

TEST_F(Layer, RequestWithoutToTagIsNotOurs) {
  auto v = layer.on_request(invite);
  EXPECT_EQ(v.action, Action::NotInDialog);
}

TEST_F(Layer, UnknownDialogGets481AndAckIsDropped) {
  auto v = layer.on_request(alice_request("INFO", 11));
  EXPECT_EQ(v.action, Action::Respond);
  EXPECT_EQ(v.status, 481);
  EXPECT_EQ(parse(v.response).status(), 481);
  auto ack = layer.on_request(alice_request("ACK", 10));
  EXPECT_EQ(ack.action, Action::Drop);
  EXPECT_TRUE(ack.response.empty());
  EXPECT_TRUE(handler.requests.empty());
}

TEST_F(Layer, TwoXxIsResentUntilAckWhichIsDeliveredOnce) {
  answered();
  EXPECT_EQ(transport.sent.size(), 1u);
  timers.advance(1500ms);
  EXPECT_EQ(transport.sent.size(), 3u);  // 0, 500, 1500
  EXPECT_EQ(parse(transport.sent.back().bytes).status(), 200);
  EXPECT_EQ(transport.sent.back().route.address.to_string(), "192.0.2.2");

  auto v = layer.on_request(alice_request("ACK", 10));
  EXPECT_EQ(v.action, Action::Delivered);
  ASSERT_NE(v.dialog, nullptr);
  EXPECT_EQ(handler.acks.size(), 1u);
  EXPECT_EQ(layer.on_request(alice_request("ACK", 10)).action, Action::Drop);  // retransmitted ACK
  EXPECT_EQ(handler.acks.size(), 1u);
  timers.advance(60s);
  EXPECT_EQ(transport.sent.size(), 3u);
  EXPECT_TRUE(handler.ack_timeouts.empty());
}

TEST_F(Layer, MissingAckRaisesAckTimeoutAfter64T1) {
  answered();
  timers.advance(31999ms);
  EXPECT_TRUE(handler.ack_timeouts.empty());
  timers.advance(1ms);
  ASSERT_EQ(handler.ack_timeouts.size(), 1u);
  EXPECT_EQ(handler.ack_timeouts[0], id);
  // The dialog stays (the call sends BYE); a late ACK changes nothing.
  EXPECT_NE(layer.table().find(id), nullptr);
  EXPECT_EQ(layer.on_request(alice_request("ACK", 10)).action, Action::Drop);
}

TEST_F(Layer, ReliableTransportNoResendButAckTimeout) {
  answered(Protocol::Tcp);
  timers.advance(32s);
  EXPECT_EQ(transport.sent.size(), 1u);
  EXPECT_EQ(handler.ack_timeouts.size(), 1u);
}

TEST_F(Layer, InDialogRequestsAreDeliveredAndByeEndsTheDialog) {
  answered();
  ASSERT_EQ(layer.on_request(alice_request("ACK", 10)).action, Action::Delivered);
  for (std::string_view m : {"INFO", "OPTIONS", "UPDATE"}) {
    auto v = layer.on_request(alice_request(m, 11 + handler.requests.size(), "Contact: <sip:alice@198.51.100.7>\n"));
    EXPECT_EQ(v.action, Action::Delivered) << m;
    EXPECT_NE(v.dialog, nullptr);
  }
  ASSERT_EQ(handler.requests.size(), 3u);
  EXPECT_EQ(handler.requests[2].second, "UPDATE");

  auto bye = layer.on_request(alice_request("BYE", 20));
  EXPECT_EQ(bye.action, Action::Respond);
  EXPECT_EQ(bye.status, 200);
  auto ok = parse(bye.response);
  EXPECT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.cseq().method, Method::Bye);
  ASSERT_EQ(handler.terminated.size(), 1u);
  EXPECT_EQ(handler.terminated[0].second, TerminationReason::ByeReceived);
  EXPECT_EQ(handler.requests.back().second, "BYE");
  EXPECT_EQ(layer.table().size(), 0u);

  auto after = layer.on_request(alice_request("INFO", 21));
  EXPECT_EQ(after.status, 481);
}

TEST_F(Layer, OutOfOrderAndGlareAreAnsweredHere) {
  Dialog& d = answered();
  ASSERT_EQ(layer.on_request(alice_request("ACK", 10)).action, Action::Delivered);
  auto old = layer.on_request(alice_request("INFO", 9));
  EXPECT_EQ(old.action, Action::Respond);
  EXPECT_EQ(old.status, 500);

  auto first = alice_request("INVITE", 11, "Contact: <sip:alice@198.51.100.7>\n");
  EXPECT_EQ(layer.on_request(first).action, Action::Delivered);
  auto second = layer.on_request(alice_request("INVITE", 12, "Contact: <sip:alice@198.51.100.7>\n"));
  EXPECT_EQ(second.action, Action::Respond);
  EXPECT_EQ(second.status, 500);
  EXPECT_TRUE(parse(second.response).has(HeaderId::RetryAfter));

  // Answer theirs, then send our own re-INVITE: the next one of theirs collides.
  auto ok = std::make_shared<const std::string>(d.make_response(first, 200));
  layer.send_2xx(d, ok, 11, udp_route("192.0.2.2"));
  EXPECT_EQ(layer.on_request(alice_request("ACK", 11)).action, Action::Delivered);
  (void)d.make_request(Method::Invite, kVia, "z9hG4bKours");
  auto glare = layer.on_request(alice_request("INVITE", 13, "Contact: <sip:alice@198.51.100.7>\n"));
  EXPECT_EQ(glare.status, 491);
  EXPECT_EQ(parse(glare.response).status(), 491);
}

// callwire calls bob; the INVITE forks to two phones.
constexpr std::string_view kOurInvite =
    "INVITE sip:bob@example.org SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKinv1;rport\n"
    "Max-Forwards: 70\n"
    "From: <sip:callwire@example.net>;tag=our-tag\n"
    "To: <sip:bob@example.org>\n"
    "Call-ID: out-3@192.0.2.10\n"
    "CSeq: 1 INVITE\n"
    "Contact: <sip:callwire@192.0.2.10:5060>\n"
    "\n";

std::string bob(int status, std::string_view tag, std::string_view contact, unsigned cseq = 1,
                std::string_view method = "INVITE") {
  std::string t = "SIP/2.0 " + std::to_string(status) + " X\n";
  t += "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKinv1;rport=5060\n";
  t += "Record-Route: <sip:203.0.113.1;lr>\n";
  t += "From: <sip:callwire@example.net>;tag=our-tag\n";
  t += "To: <sip:bob@example.org>;tag=" + std::string(tag) + "\n";
  t += "Call-ID: out-3@192.0.2.10\n";
  t += "CSeq: " + std::to_string(cseq) + " " + std::string(method) + "\n";
  if (!contact.empty()) t += "Contact: <" + std::string(contact) + ">\n";
  return t;
}

TEST_F(Layer, ForkedProvisionalsMakeSeparateEarlyDialogs) {
  auto request = msg(kOurInvite);
  auto a = layer.on_response(msg(bob(180, "phone-a", "sip:bob@203.0.113.5")), &request);
  auto b = layer.on_response(msg(bob(183, "phone-b", "sip:bob@203.0.113.6")), &request);
  ASSERT_EQ(a.action, RAction::Created);
  ASSERT_EQ(b.action, RAction::Created);
  EXPECT_NE(a.dialog, b.dialog);
  EXPECT_EQ(a.dialog->state(), DialogState::Early);
  EXPECT_EQ(b.dialog->remote_target(), "sip:bob@203.0.113.6");
  EXPECT_EQ(layer.table().size(), 2u);
  // The same fork's next provisional updates its dialog.
  auto again = layer.on_response(msg(bob(180, "phone-a", "sip:bob@203.0.113.50")), &request);
  EXPECT_EQ(again.action, RAction::Updated);
  EXPECT_EQ(again.dialog, a.dialog);
  EXPECT_EQ(a.dialog->remote_target(), "sip:bob@203.0.113.50");

  auto ok = layer.on_response(msg(bob(200, "phone-b", "sip:bob@203.0.113.6")), &request);
  EXPECT_EQ(ok.action, RAction::Updated);
  EXPECT_EQ(b.dialog->state(), DialogState::Confirmed);
  EXPECT_EQ(a.dialog->state(), DialogState::Early);
  // A 2xx from a fork with no early dialog makes a confirmed one.
  auto c = layer.on_response(msg(bob(200, "phone-c", "sip:bob@203.0.113.7")), &request);
  ASSERT_EQ(c.action, RAction::Created);
  EXPECT_EQ(c.dialog->state(), DialogState::Confirmed);
  EXPECT_EQ(layer.table().size(), 3u);
}

TEST_F(Layer, FinalFailureEndsEveryEarlyDialogOfTheInvite) {
  auto request = msg(kOurInvite);
  ASSERT_EQ(layer.on_response(msg(bob(180, "phone-a", "sip:bob@203.0.113.5")), &request).action, RAction::Created);
  ASSERT_EQ(layer.on_response(msg(bob(180, "phone-b", "sip:bob@203.0.113.6")), &request).action, RAction::Created);
  auto busy = layer.on_response(msg(bob(486, "phone-b", "")), &request);
  EXPECT_EQ(busy.action, RAction::Terminated);
  EXPECT_EQ(layer.table().size(), 0u);
  ASSERT_EQ(handler.terminated.size(), 2u);
  EXPECT_EQ(handler.terminated[0].second, TerminationReason::Rejected);
}

TEST_F(Layer, RetransmittedTwoXxGetsTheSameAckAgain) {
  auto request = msg(kOurInvite);
  auto ok_text = bob(200, "phone-a", "sip:bob@203.0.113.5");
  auto created = layer.on_response(msg(ok_text), &request);
  ASSERT_EQ(created.action, RAction::Created);
  Dialog& d = *created.dialog;
  auto route = d.route();
  ASSERT_TRUE(route);
  EXPECT_EQ(route->address.to_string(), "203.0.113.1");
  layer.send_ack(d, 1, *route, kVia, "z9hG4bKack");
  ASSERT_EQ(transport.sent.size(), 1u);
  auto ack = parse(transport.sent[0].bytes);
  EXPECT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.cseq().number, 1u);
  EXPECT_EQ(ack.top_via().branch(), "z9hG4bKack");

  // The 2xx again, now without the transaction's request.
  auto again = layer.on_response(msg(ok_text));
  EXPECT_EQ(again.action, RAction::AckResent);
  ASSERT_EQ(transport.sent.size(), 2u);
  EXPECT_EQ(transport.sent[1].bytes, transport.sent[0].bytes);
  EXPECT_EQ(transport.sent[1].route.address.to_string(), "203.0.113.1");
}

TEST_F(Layer, PeerLosingTheDialogEndsIt) {
  auto request = msg(kOurInvite);
  auto created = layer.on_response(msg(bob(200, "phone-a", "sip:bob@203.0.113.5")), &request);
  ASSERT_EQ(created.action, RAction::Created);
  auto gone = layer.on_response(msg(bob(481, "phone-a", "", 2, "INFO")));
  EXPECT_EQ(gone.action, RAction::Terminated);
  ASSERT_EQ(handler.terminated.size(), 1u);
  EXPECT_EQ(handler.terminated[0].second, TerminationReason::NoDialogAtPeer);
  EXPECT_EQ(layer.table().size(), 0u);
  EXPECT_EQ(layer.on_response(msg(bob(200, "phone-x", "sip:bob@203.0.113.9", 5, "INFO"))).action, RAction::NoDialog);
}

TEST_F(Layer, TimeoutAndLocalTerminate) {
  auto request = msg(kOurInvite);
  auto a = layer.on_response(msg(bob(200, "phone-a", "sip:bob@203.0.113.5")), &request);
  auto b = layer.on_response(msg(bob(200, "phone-b", "sip:bob@203.0.113.6")), &request);
  DialogId ida = a.dialog->id(), idb = b.dialog->id();
  layer.on_request_timeout(ida);
  EXPECT_TRUE(layer.terminate(idb, TerminationReason::Local));
  EXPECT_FALSE(layer.terminate(idb, TerminationReason::Local));
  ASSERT_EQ(handler.terminated.size(), 2u);
  EXPECT_EQ(handler.terminated[0].second, TerminationReason::RequestTimeout);
  EXPECT_EQ(handler.terminated[1].second, TerminationReason::Local);
  EXPECT_EQ(layer.table().size(), 0u);
}

TEST_F(Layer, TerminatingDuringRetransmissionStopsIt) {
  answered();
  EXPECT_TRUE(layer.terminate(id, TerminationReason::Local));
  timers.advance(60s);
  EXPECT_EQ(transport.sent.size(), 1u);
  EXPECT_TRUE(handler.ack_timeouts.empty());
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(Layer, DialogRemovedFromTheTableIsForgottenAtAckTimeout) {
  answered();
  EXPECT_TRUE(layer.table().remove(id));
  timers.advance(40s);
  EXPECT_TRUE(handler.ack_timeouts.empty());
  EXPECT_TRUE(handler.terminated.empty());
  EXPECT_EQ(timers.pending(), 0u);
}

}  // namespace
}  // namespace callwire::sip
