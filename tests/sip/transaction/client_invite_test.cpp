// INVITE client transaction: §17.1.1 with RFC 6026 Accepted.
#include "sip/transaction/client_requests.hpp"
#include "tx_fixture.hpp"

namespace callwire::sip::test {
namespace {

class ClientInvite : public TxTest {
 protected:
  ClientInvite() {
    invite.branch = "z9hG4bK-out1";
    invite.sent_by = "192.0.2.1:5060";
    invite.routes = {"<sip:proxy.example.com;lr>"};
  }
  TxId start(Protocol p = Protocol::Udp) {
    if (p != Protocol::Udp) invite.transport = "TCP";
    auto id = layer().send_request(invite.str(), route_to(p), log.callbacks());
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().what());
    return id.value_or(0);
  }
  void answer(int status, std::string_view tag = "b1") { feed(reply(invite.str(), status, tag)); }

  Req invite;
  ClientLog log;
};

TEST_F(ClientInvite, SendsTheRequestOnTheRoute) {
  TxId tx = start();
  ASSERT_EQ(sent_count(), 1u);
  EXPECT_EQ(transport.sent[0].bytes, invite.str());
  EXPECT_EQ(transport.sent[0].route.port, 5060);
  EXPECT_EQ(layer().state(tx), TxState::Calling);
  EXPECT_EQ(layer().counters().client_created, 1u);
}

TEST_F(ClientInvite, TimerARetransmitsDoublingUntilTimerB) {
  TxId tx = start();
  auto at = send_times(timers, transport, 40s);
  // A: T1, 2T1, 4T1, ... without cap; B at 64*T1 = 32 s.
  EXPECT_EQ(at, (std::vector<long>{500, 1500, 3500, 7500, 15500, 31500}));
  for (std::size_t i = 1; i < sent_count(); ++i) EXPECT_EQ(transport.sent[i].bytes, invite.str());
  EXPECT_EQ(log.timeouts, 1);
  EXPECT_TRUE(log.statuses.empty());
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_EQ(layer().counters().timeouts, 1u);
  EXPECT_EQ(layer().counters().retransmissions_sent, 6u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientInvite, TimerBFiresAt64T1) {
  start();
  timers.advance(31999ms);
  EXPECT_EQ(log.timeouts, 0);
  timers.advance(1ms);
  EXPECT_EQ(log.timeouts, 1);
}

TEST_F(ClientInvite, ReliableTransportNeverRetransmitsButTimesOut) {
  start(Protocol::Tcp);
  timers.advance(31999ms);
  EXPECT_EQ(sent_count(), 1u);
  timers.advance(1ms);
  EXPECT_EQ(log.timeouts, 1);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientInvite, ProvisionalStopsRetransmissionsAndTimerB) {
  TxId tx = start();
  timers.advance(500ms);
  ASSERT_EQ(sent_count(), 2u);
  answer(180);
  EXPECT_EQ(layer().state(tx), TxState::Proceeding);
  EXPECT_EQ(log.statuses, (std::vector<int>{180}));
  timers.advance(120s);  // the TU (Dial timeout) decides how long to ring
  EXPECT_EQ(sent_count(), 2u);
  EXPECT_EQ(log.timeouts, 0);
  EXPECT_EQ(layer().state(tx), TxState::Proceeding);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientInvite, Non2xxIsAckedWithTheRightHeaders) {
  TxId tx = start();
  answer(180);
  answer(486, "callee-tag");
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  EXPECT_EQ(log.statuses, (std::vector<int>{180, 486}));
  ASSERT_EQ(sent_count(), 2u);
  Message ack = sent(1);
  Message inv = invite.msg();
  EXPECT_TRUE(ack.is_request());
  EXPECT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.request_uri(), inv.request_uri());
  EXPECT_EQ(ack.top_via().branch(), "z9hG4bK-out1");  // same branch (§17.1.1.3)
  EXPECT_EQ(ack.values(HeaderId::Via).size(), 1u);
  EXPECT_EQ(ack.call_id(), inv.call_id());
  EXPECT_EQ(ack.from_tag(), "a1");
  EXPECT_EQ(ack.to_tag(), "callee-tag");  // To from the response
  EXPECT_EQ(ack.cseq().number, 1u);
  EXPECT_EQ(ack.cseq().method, Method::Ack);
  EXPECT_EQ(ack.header(HeaderId::Route), "<sip:proxy.example.com;lr>");
  EXPECT_EQ(ack.max_forwards(), 70u);
  EXPECT_TRUE(ack.body().empty());
  EXPECT_EQ(transport.sent[1].route.port, transport.sent[0].route.port);
}

TEST_F(ClientInvite, RetransmittedFinalInCompletedResendsTheAckOnly) {
  TxId tx = start();
  answer(486);
  feed(reply(invite.str(), 486));
  feed(reply(invite.str(), 486));
  ASSERT_EQ(sent_count(), 4u);
  EXPECT_EQ(transport.sent[3].bytes, transport.sent[1].bytes);
  EXPECT_EQ(log.statuses, (std::vector<int>{486}));  // the TU hears it once
  EXPECT_EQ(layer().counters().retransmissions_absorbed, 2u);
  EXPECT_EQ(layer().state(tx), TxState::Completed);
}

TEST_F(ClientInvite, TimerDEndsCompletedAfter32Seconds) {
  TxId tx = start();
  answer(503);
  timers.advance(31999ms);
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  timers.advance(1ms);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_EQ(timers.pending(), 0u);
  // Afterwards a late final is a stray for the TU.
  feed(reply(invite.str(), 503));
  EXPECT_EQ(tu.strays.size(), 1u);
}

TEST_F(ClientInvite, ReliableTransportEndsRightAfterTheAck) {
  TxId tx = start(Protocol::Tcp);
  answer(404);
  ASSERT_EQ(sent_count(), 2u);
  EXPECT_EQ(sent(1).method(), Method::Ack);
  EXPECT_EQ(layer().state(tx), std::nullopt);  // timer D is 0
  EXPECT_EQ(log.statuses, (std::vector<int>{404}));
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientInvite, TwoXxMovesToAcceptedAndPassesEvery2xxForTimerM) {
  TxId tx = start();
  answer(180);
  answer(200);
  EXPECT_EQ(layer().state(tx), TxState::Accepted);
  EXPECT_EQ(sent_count(), 1u);  // the layer never ACKs a 2xx
  answer(200);                  // retransmission
  answer(200, "fork-2");        // another fork
  answer(486);                  // a non-2xx now means nothing
  EXPECT_EQ(log.statuses, (std::vector<int>{180, 200, 200, 200}));
  timers.advance(31999ms);
  EXPECT_EQ(layer().state(tx), TxState::Accepted);
  timers.advance(1ms);  // timer M
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_EQ(timers.pending(), 0u);
  answer(200);
  EXPECT_EQ(tu.strays.size(), 1u);
  EXPECT_EQ(log.statuses.size(), 4u);
}

TEST_F(ClientInvite, TwoXxInCallingStopsTimerA) {
  start();
  answer(200);
  timers.advance(20s);
  EXPECT_EQ(sent_count(), 1u);
}

TEST_F(ClientInvite, TransportErrorIsReportedOnce) {
  transport.fail_all = true;
  TxId tx = start();
  EXPECT_TRUE(log.errors.empty());  // not inside send_request()
  timers.advance(0ms);
  ASSERT_EQ(log.errors.size(), 1u);
  EXPECT_EQ(log.errors[0], std::errc::connection_refused);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  timers.advance(60s);
  EXPECT_EQ(log.timeouts, 0);
  EXPECT_EQ(timers.pending(), 0u);
  EXPECT_EQ(layer().counters().transport_errors, 1u);
}

TEST_F(ClientInvite, FailedRetransmissionIsATransportError) {
  transport.fail_from = 3;  // the INVITE and one retransmission go out
  start();
  timers.advance(1500ms);
  ASSERT_EQ(log.errors.size(), 1u);
  EXPECT_EQ(sent_count(), 2u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientInvite, DetachedTransactionRunsOnButReportsNothing) {
  TxId tx = start();
  layer().detach(tx);
  answer(486);
  EXPECT_TRUE(log.statuses.empty());
  EXPECT_EQ(sent_count(), 2u);  // still ACKed
  EXPECT_EQ(sent(1).method(), Method::Ack);
}

TEST_F(ClientInvite, ResponseWithOtherCSeqMethodDoesNotMatch) {
  start();
  Req bye = invite;
  bye.method = "BYE";
  feed(reply(bye.str(), 200));
  EXPECT_TRUE(log.statuses.empty());
  EXPECT_EQ(tu.strays.size(), 1u);
  EXPECT_EQ(layer().counters().stray_responses, 1u);
}

TEST_F(ClientInvite, TuMaySendFromInsideItsCallback) {
  Req bye = invite;
  bye.method = "BYE";
  bye.branch = "z9hG4bK-bye";
  ClientLog bye_log;
  TxId bye_tx = 0;
  auto cb = log.callbacks();
  cb.on_response = [&](Message r) {
    log.statuses.push_back(r.status());
    bye_tx = layer().send_request(bye.str(), route_to(Protocol::Udp), bye_log.callbacks()).value();
  };
  auto tx = layer().send_request(invite.str(), route_to(Protocol::Udp), std::move(cb));
  ASSERT_TRUE(tx.has_value());
  answer(200);
  ASSERT_NE(bye_tx, 0u);
  EXPECT_EQ(layer().state(bye_tx), TxState::Trying);
  EXPECT_EQ(sent(1).method(), Method::Bye);
}

TEST_F(ClientInvite, SendRequestRejectsWhatIsNoTransaction) {
  Req no_cookie = invite;
  no_cookie.branch = "old-2543-branch";
  EXPECT_FALSE(layer().send_request(no_cookie.str(), route_to(Protocol::Udp), {}).has_value());
  Req ack = invite;
  ack.method = "ACK";
  EXPECT_FALSE(layer().send_request(ack.str(), route_to(Protocol::Udp), {}).has_value());
  EXPECT_FALSE(
      layer().send_request(reply(invite.str(), 200), route_to(Protocol::Udp), {}).has_value());
  EXPECT_FALSE(layer().send_request("INVITE nonsense", route_to(Protocol::Udp), {}).has_value());
  ASSERT_TRUE(layer().send_request(invite.str(), route_to(Protocol::Udp), {}).has_value());
  EXPECT_FALSE(layer().send_request(invite.str(), route_to(Protocol::Udp), {}).has_value());  // branch in use
  EXPECT_EQ(sent_count(), 1u);
  EXPECT_EQ(layer().size(), 1u);
}

TEST_F(ClientInvite, RequestBuiltWithMakeViaIsAccepted) {
  std::string branch = "z9hG4bK" + std::string(24, 'a');
  std::string bytes = Builder::request("INVITE", "sip:bob@example.com")
                          .header(HeaderId::Via, make_via(Protocol::Udp, "192.0.2.1", 5060, branch))
                          .header(HeaderId::MaxForwards, "70")
                          .header(HeaderId::From, "<sip:alice@example.com>;tag=x")
                          .header(HeaderId::To, "<sip:bob@example.com>")
                          .header(HeaderId::CallId, "c@x")
                          .header(HeaderId::CSeq, "1 INVITE")
                          .build();
  auto tx = layer().send_request(bytes, route_to(Protocol::Udp), {});
  ASSERT_TRUE(tx.has_value()) << tx.error().what();
  EXPECT_EQ(sent(0).top_via().branch(), branch);
}

class ClientInviteFastTimers : public ClientInvite {
 protected:
  void SetUp() override { set_config({.t1 = 100ms, .t2 = 400ms, .t4 = 1000ms, .d = 5000ms}); }
};

TEST_F(ClientInviteFastTimers, TimersAAndBFollowT1) {
  start();
  auto at = send_times(timers, transport, 10s);
  EXPECT_EQ(at, (std::vector<long>{100, 300, 700, 1500, 3100, 6300}));
  EXPECT_EQ(log.timeouts, 1);  // at 6.4 s
}

TEST_F(ClientInviteFastTimers, TimerDAndMAreConfigurable) {
  TxId tx = start();
  answer(486);
  timers.advance(4999ms);
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  timers.advance(1ms);
  EXPECT_EQ(layer().state(tx), std::nullopt);

  invite.branch = "z9hG4bK-out2";
  TxId tx2 = start();
  answer(200);
  timers.advance(6399ms);
  EXPECT_EQ(layer().state(tx2), TxState::Accepted);
  timers.advance(1ms);
  EXPECT_EQ(layer().state(tx2), std::nullopt);
}

}  // namespace
}  // namespace callwire::sip::test
