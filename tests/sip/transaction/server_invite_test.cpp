// INVITE server transaction: §17.2.1 with RFC 6026 Accepted.
#include "tx_fixture.hpp"

namespace callwire::sip::test {
namespace {

class ServerInvite : public TxTest {
 protected:
  TxId receive_invite(Protocol p = Protocol::Udp) {
    if (p != Protocol::Udp) invite.transport = "TCP";
    feed(invite, p);
    EXPECT_EQ(tu.requests.size(), 1u);
    return tu.requests.empty() ? 0 : tu.requests.back().tx;
  }
  Req ack_for_non2xx() const {
    Req a = invite;
    a.method = "ACK";
    a.to_tag = "b1";
    return a;
  }
  Req invite;
};

TEST_F(ServerInvite, NewInviteGets100TryingAtOnceAndGoesToTheTu) {
  TxId tx = receive_invite();
  ASSERT_EQ(sent_count(), 1u);
  Message trying = sent(0);
  EXPECT_EQ(trying.status(), 100);
  EXPECT_EQ(trying.top_via().branch(), "z9hG4bK-1");
  EXPECT_EQ(trying.cseq().method, Method::Invite);
  EXPECT_TRUE(trying.to_tag().empty());  // §17.2.1: no tag on 100
  EXPECT_EQ(transport.sent[0].route.port, 5060);
  EXPECT_EQ(tu.requests[0].method, Method::Invite);
  EXPECT_EQ(layer().state(tx), TxState::Proceeding);
  EXPECT_EQ(layer().size(), 1u);
  EXPECT_EQ(layer().counters().server_created, 1u);
}

TEST_F(ServerInvite, RetransmissionInProceedingResendsTheLastProvisional) {
  TxId tx = receive_invite();
  feed(invite);
  ASSERT_EQ(sent_count(), 2u);
  EXPECT_EQ(sent(1).status(), 100);
  respond(tx, invite, 180);
  feed(invite);
  ASSERT_EQ(sent_count(), 4u);
  EXPECT_EQ(sent(3).status(), 180);
  EXPECT_EQ(sent(3).to_tag(), "b1");
  EXPECT_EQ(tu.requests.size(), 1u);  // never passed up twice
  EXPECT_EQ(layer().counters().retransmissions_absorbed, 2u);
  EXPECT_EQ(layer().counters().retransmissions_sent, 2u);
  // Provisionals are not retransmitted by timers.
  timers.advance(10s);
  EXPECT_EQ(sent_count(), 4u);
}

TEST_F(ServerInvite, Non2xxIsRetransmittedByTimerGUntilTimerH) {
  TxId tx = receive_invite();
  respond(tx, invite, 486);
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  ASSERT_EQ(sent_count(), 2u);
  // G: T1, doubling, capped at T2; H: 64*T1 = 32 s.
  auto at = send_times(timers, transport, 40s);
  EXPECT_EQ(at, (std::vector<long>{500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500}));
  for (std::size_t i = 2; i < sent_count(); ++i) EXPECT_EQ(sent(i).status(), 486);
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0], std::make_pair(tx, TxEnd::NoAck));
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_EQ(layer().counters().timeouts, 1u);
  EXPECT_EQ(timers.pending(), 0u);
  EXPECT_EQ(layer().size(), 0u);
}

TEST_F(ServerInvite, TimerHFiresAt64T1) {
  TxId tx = receive_invite();
  respond(tx, invite, 404);
  timers.advance(31999ms);
  EXPECT_TRUE(tu.ended.empty());
  timers.advance(1ms);
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0].second, TxEnd::NoAck);
}

TEST_F(ServerInvite, AckConfirmsThenTimerIEnds) {
  TxId tx = receive_invite();
  respond(tx, invite, 486);
  timers.advance(500ms);  // one G retransmission
  ASSERT_EQ(sent_count(), 3u);
  feed(ack_for_non2xx());
  EXPECT_EQ(layer().state(tx), TxState::Confirmed);
  EXPECT_TRUE(tu.acks.empty());  // absorbed: it belongs to the transaction
  feed(ack_for_non2xx());        // retransmitted ACK
  EXPECT_EQ(layer().state(tx), TxState::Confirmed);
  feed(invite);  // a late INVITE retransmission is absorbed in Confirmed
  timers.advance(4999ms);
  EXPECT_EQ(sent_count(), 3u);  // G stopped
  EXPECT_EQ(layer().state(tx), TxState::Confirmed);
  timers.advance(1ms);  // timer I = T4
  EXPECT_EQ(layer().state(tx), std::nullopt);
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0].second, TxEnd::Normal);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ServerInvite, RetransmittedInviteInCompletedResendsTheFinal) {
  TxId tx = receive_invite();
  respond(tx, invite, 603);
  feed(invite);
  ASSERT_EQ(sent_count(), 3u);
  EXPECT_EQ(sent(2).status(), 603);
  EXPECT_EQ(tu.requests.size(), 1u);
}

TEST_F(ServerInvite, SecondFinalResponseIsRefused) {
  TxId tx = receive_invite();
  respond(tx, invite, 486);
  auto again = layer().respond(tx, Builder::response_to(invite.msg(), 500).build());
  EXPECT_FALSE(again.has_value());
  EXPECT_EQ(sent_count(), 2u);
}

TEST_F(ServerInvite, RespondRejectsRequestsAndUnknownIds) {
  TxId tx = receive_invite();
  EXPECT_FALSE(layer().respond(tx, invite.str()).has_value());
  EXPECT_FALSE(layer().respond(tx + 100, Builder::response_to(invite.msg(), 200).build()).has_value());
  EXPECT_FALSE(layer().respond(tx, "garbage").has_value());
}

TEST_F(ServerInvite, ReliableTransportNeverRetransmitsAndEndsOnAck) {
  TxId tx = receive_invite(Protocol::Tcp);
  EXPECT_EQ(transport.sent[0].route.protocol, Protocol::Tcp);
  EXPECT_EQ(transport.sent[0].route.connection, 7u);
  respond(tx, invite, 486);
  timers.advance(31s);
  EXPECT_EQ(sent_count(), 2u);  // no timer G
  Req ack = ack_for_non2xx();
  ack.transport = "TCP";
  feed(ack, Protocol::Tcp);
  EXPECT_EQ(layer().state(tx), std::nullopt);  // timer I is 0
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0].second, TxEnd::Normal);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ServerInvite, ReliableTransportStillTimesOutWithTimerH) {
  TxId tx = receive_invite(Protocol::Tls);
  respond(tx, invite, 480);
  timers.advance(32s);
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0], std::make_pair(tx, TxEnd::NoAck));
  EXPECT_EQ(sent_count(), 2u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ServerInvite, TwoXxMovesToAcceptedWhichAbsorbsRetransmissions) {
  TxId tx = receive_invite();
  respond(tx, invite, 200);
  EXPECT_EQ(layer().state(tx), TxState::Accepted);
  feed(invite);  // RFC 6026: absorbed, nothing re-sent (the TU retransmits 2xx)
  EXPECT_EQ(sent_count(), 2u);
  EXPECT_EQ(tu.requests.size(), 1u);
  // The TU's own 2xx retransmissions go through the transaction.
  respond(tx, invite, 200);
  EXPECT_EQ(sent_count(), 3u);
  EXPECT_EQ(sent(2).status(), 200);
  // But no other response.
  EXPECT_FALSE(layer().respond(tx, Builder::response_to(invite.msg(), 486).build()).has_value());
  timers.advance(10s);
  EXPECT_EQ(sent_count(), 3u);  // no timer G for 2xx
}

TEST_F(ServerInvite, AckInAcceptedGoesToTheTuEvenWithTheInviteBranch) {
  TxId tx = receive_invite();
  respond(tx, invite, 200);
  Req ack = ack_for_non2xx();  // same branch: a UA reusing the INVITE branch
  feed(ack);
  ASSERT_EQ(tu.acks.size(), 1u);
  EXPECT_EQ(layer().state(tx), TxState::Accepted);
  Req other = ack;
  other.branch = "z9hG4bK-ack2";  // the usual case: a new branch
  feed(other);
  EXPECT_EQ(tu.acks.size(), 2u);
  EXPECT_EQ(layer().counters().acks_for_2xx, 2u);
}

TEST_F(ServerInvite, AcceptedEndsAfterTimerL) {
  TxId tx = receive_invite();
  respond(tx, invite, 200);
  timers.advance(31999ms);
  EXPECT_EQ(layer().state(tx), TxState::Accepted);
  timers.advance(1ms);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0].second, TxEnd::Normal);
  EXPECT_EQ(timers.pending(), 0u);
  // A late retransmission is now a new request (the dialog layer sees it).
  feed(invite);
  EXPECT_EQ(tu.requests.size(), 2u);
}

TEST_F(ServerInvite, AcceptedLastsTimerLOnReliableTransportsToo) {
  TxId tx = receive_invite(Protocol::Tcp);
  respond(tx, invite, 200);
  timers.advance(31s);
  EXPECT_EQ(layer().state(tx), TxState::Accepted);
  timers.advance(1s);
  EXPECT_EQ(layer().state(tx), std::nullopt);
}

TEST_F(ServerInvite, FailedSendEndsTheTransactionAndTellsTheTu) {
  TxId tx = receive_invite();
  transport.fail_all = true;
  respond(tx, invite, 486);
  EXPECT_TRUE(tu.ended.empty());  // reported on a fresh dispatch, not inside respond()
  timers.advance(0ms);
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0], std::make_pair(tx, TxEnd::TransportError));
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_FALSE(layer().respond(tx, Builder::response_to(invite.msg(), 486).build()).has_value());
  EXPECT_EQ(layer().counters().transport_errors, 1u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ServerInvite, FailedTryingEndsTheTransaction) {
  transport.fail_all = true;
  TxId tx = receive_invite();
  timers.advance(0ms);
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0], std::make_pair(tx, TxEnd::TransportError));
}

TEST_F(ServerInvite, TuMayRespondFromInsideOnRequest) {
  tu.on_request_hook = [&](TxId tx, const Message& req) {
    ASSERT_TRUE(layer().respond(tx, Builder::response_to(req, 486, {}, "x").build()).has_value());
  };
  Req i = invite;
  i.transport = "TCP";
  feed(i, Protocol::Tcp);
  // Answered before on_request returned: no 100 Trying is needed (§17.2.1).
  ASSERT_EQ(sent_count(), 1u);
  EXPECT_EQ(sent(0).status(), 486);
  Req ack = ack_for_non2xx();
  ack.transport = "TCP";
  feed(ack, Protocol::Tcp);
  EXPECT_EQ(layer().size(), 0u);
}

class ServerInviteFastTimers : public ServerInvite {
 protected:
  void SetUp() override { set_config({.t1 = 100ms, .t2 = 400ms, .t4 = 1000ms}); }
};

TEST_F(ServerInviteFastTimers, TimerGAndHFollowT1AndT2) {
  TxId tx = receive_invite();
  respond(tx, invite, 486);
  auto at = send_times(timers, transport, 10s);
  // G: 100, +200, +400, then +400 (T2) ...; H at 64*100 ms = 6.4 s.
  std::vector<long> expected{100, 300, 700};
  for (long t = 1100; t < 6400; t += 400) expected.push_back(t);
  EXPECT_EQ(at, expected);
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0].second, TxEnd::NoAck);
}

TEST_F(ServerInviteFastTimers, TimerIFollowsT4AndTimerLFollowsT1) {
  TxId tx = receive_invite();
  respond(tx, invite, 486);
  feed(ack_for_non2xx());
  timers.advance(999ms);
  EXPECT_EQ(layer().state(tx), TxState::Confirmed);
  timers.advance(1ms);
  EXPECT_EQ(layer().state(tx), std::nullopt);

  Req second = invite;
  second.branch = "z9hG4bK-2";
  second.cseq = 2;
  feed(second);
  TxId tx2 = tu.requests.back().tx;
  respond(tx2, second, 200);
  timers.advance(6399ms);
  EXPECT_EQ(layer().state(tx2), TxState::Accepted);
  timers.advance(1ms);
  EXPECT_EQ(layer().state(tx2), std::nullopt);
}

}  // namespace
}  // namespace callwire::sip::test
