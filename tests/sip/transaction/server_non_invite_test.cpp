// Non-INVITE server transaction: §17.2.2.
#include "tx_fixture.hpp"

namespace callwire::sip::test {
namespace {

class ServerNonInvite : public TxTest {
 protected:
  ServerNonInvite() {
    options.method = "OPTIONS";
    options.branch = "z9hG4bK-opt";
  }
  TxId receive_options(Protocol p = Protocol::Udp) {
    if (p != Protocol::Udp) options.transport = "TCP";
    feed(options, p);
    EXPECT_EQ(tu.requests.size(), 1u);
    return tu.requests.empty() ? 0 : tu.requests.back().tx;
  }
  Req options;
};

TEST_F(ServerNonInvite, NewRequestGoesToTheTuWithout100) {
  TxId tx = receive_options();
  EXPECT_EQ(sent_count(), 0u);
  EXPECT_EQ(layer().state(tx), TxState::Trying);
  EXPECT_EQ(tu.requests[0].method, Method::Options);
}

TEST_F(ServerNonInvite, RetransmissionInTryingIsAbsorbedSilently) {
  TxId tx = receive_options();
  feed(options);
  feed(options);
  EXPECT_EQ(sent_count(), 0u);
  EXPECT_EQ(tu.requests.size(), 1u);
  EXPECT_EQ(layer().state(tx), TxState::Trying);
  EXPECT_EQ(layer().counters().retransmissions_absorbed, 2u);
}

TEST_F(ServerNonInvite, RetransmissionInProceedingResendsTheProvisional) {
  TxId tx = receive_options();
  respond(tx, options, 100);
  EXPECT_EQ(layer().state(tx), TxState::Proceeding);
  feed(options);
  ASSERT_EQ(sent_count(), 2u);
  EXPECT_EQ(sent(1).status(), 100);
  EXPECT_EQ(tu.requests.size(), 1u);
}

TEST_F(ServerNonInvite, FinalResponseCompletesAndRetransmissionsGetItAgain) {
  TxId tx = receive_options();
  respond(tx, options, 200);
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  feed(options);
  feed(options);
  ASSERT_EQ(sent_count(), 3u);
  EXPECT_EQ(sent(1).status(), 200);
  EXPECT_EQ(sent(2).status(), 200);
  EXPECT_EQ(sent(2).to_tag(), "b1");
  EXPECT_EQ(tu.requests.size(), 1u);
  EXPECT_FALSE(layer().respond(tx, Builder::response_to(options.msg(), 500).build()).has_value());
  // Responses are never retransmitted by a timer.
  timers.advance(31s);
  EXPECT_EQ(sent_count(), 3u);
}

TEST_F(ServerNonInvite, TimerJEndsCompletedAfter64T1) {
  TxId tx = receive_options();
  respond(tx, options, 404);
  timers.advance(31999ms);
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  timers.advance(1ms);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0], std::make_pair(tx, TxEnd::Normal));
  EXPECT_EQ(timers.pending(), 0u);
  EXPECT_EQ(layer().size(), 0u);
}

TEST_F(ServerNonInvite, ReliableTransportEndsAtTheFinalResponse) {
  TxId tx = receive_options(Protocol::Tcp);
  respond(tx, options, 200);
  EXPECT_EQ(layer().state(tx), std::nullopt);  // timer J is 0
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(transport.sent[0].route.protocol, Protocol::Tcp);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ServerNonInvite, RespondInsideOnRequestOnReliableTransportIsSafe) {
  // The transaction ends inside the TU callback; it is freed only after.
  tu.on_request_hook = [&](TxId tx, const Message& req) {
    ASSERT_TRUE(layer().respond(tx, Builder::response_to(req, 200, {}, "t").build()).has_value());
    EXPECT_EQ(layer().state(tx), TxState::Terminated);
  };
  receive_options(Protocol::Tcp);
  EXPECT_EQ(layer().size(), 0u);
  EXPECT_EQ(sent_count(), 1u);
}

TEST_F(ServerNonInvite, TransportErrorEndsTheTransaction) {
  TxId tx = receive_options();
  transport.fail_all = true;
  respond(tx, options, 200);
  timers.advance(0ms);
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0], std::make_pair(tx, TxEnd::TransportError));
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ServerNonInvite, SameBranchDifferentSentByIsAnotherTransaction) {
  receive_options();
  Req other = options;
  other.sent_by = "198.51.100.7:5060";
  other.from_tag = "another-ua";  // else it would be a merged request
  feed(other);
  EXPECT_EQ(tu.requests.size(), 2u);
  EXPECT_NE(tu.requests[0].tx, tu.requests[1].tx);
}

TEST_F(ServerNonInvite, SentByHostMatchesCaseInsensitively) {
  options.sent_by = "pbx.example.com:5060";
  receive_options();
  Req again = options;
  again.sent_by = "PBX.Example.COM:5060";
  feed(again);
  EXPECT_EQ(tu.requests.size(), 1u);
}

TEST_F(ServerNonInvite, SameBranchDifferentMethodIsAnotherTransaction) {
  receive_options();
  Req info = options;
  info.method = "INFO";
  info.to_tag = "b1";
  feed(info);
  EXPECT_EQ(tu.requests.size(), 2u);
}

class ServerNonInviteFastTimers : public ServerNonInvite {
 protected:
  void SetUp() override { set_config({.t1 = 100ms, .t2 = 400ms, .t4 = 1000ms}); }
};

TEST_F(ServerNonInviteFastTimers, TimerJFollowsT1) {
  TxId tx = receive_options();
  respond(tx, options, 200);
  timers.advance(6399ms);
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  timers.advance(1ms);
  EXPECT_EQ(layer().state(tx), std::nullopt);
}

}  // namespace
}  // namespace callwire::sip::test
