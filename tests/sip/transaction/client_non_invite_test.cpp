// Non-INVITE client transaction: §17.1.2.
#include "tx_fixture.hpp"

namespace callwire::sip::test {
namespace {

class ClientNonInvite : public TxTest {
 protected:
  ClientNonInvite() {
    bye.method = "BYE";
    bye.branch = "z9hG4bK-bye1";
    bye.sent_by = "192.0.2.1:5060";
    bye.to_tag = "b1";
  }
  TxId start(Protocol p = Protocol::Udp) {
    if (p != Protocol::Udp) bye.transport = "TCP";
    auto id = layer().send_request(bye.str(), route_to(p), log.callbacks());
    EXPECT_TRUE(id.has_value()) << (id ? "" : id.error().what());
    return id.value_or(0);
  }
  void answer(int status) { feed(reply(bye.str(), status)); }

  Req bye;
  ClientLog log;
};

TEST_F(ClientNonInvite, TimerEDoublesUpToT2UntilTimerF) {
  TxId tx = start();
  EXPECT_EQ(layer().state(tx), TxState::Trying);
  auto at = send_times(timers, transport, 40s);
  // E: 500, 1000, 2000, then capped at T2 = 4 s; F at 64*T1 = 32 s.
  EXPECT_EQ(at, (std::vector<long>{500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500}));
  EXPECT_EQ(log.timeouts, 1);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientNonInvite, TimerFFiresAt64T1) {
  start();
  timers.advance(31999ms);
  EXPECT_EQ(log.timeouts, 0);
  timers.advance(1ms);
  EXPECT_EQ(log.timeouts, 1);
}

TEST_F(ClientNonInvite, AfterAProvisionalTimerERunsAtT2) {
  TxId tx = start();
  timers.advance(600ms);  // one retransmission at 500; next E due at 1500
  ASSERT_EQ(sent_count(), 2u);
  answer(100);
  EXPECT_EQ(layer().state(tx), TxState::Proceeding);
  EXPECT_EQ(log.statuses, (std::vector<int>{100}));
  auto at = send_times(timers, transport, 12s);
  // The pending E still fires at 1500 (900 ms from now), then every T2.
  EXPECT_EQ(at, (std::vector<long>{900, 4900, 8900}));
}

TEST_F(ClientNonInvite, FinalCompletesAndTimerKEnds) {
  TxId tx = start();
  answer(200);
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  EXPECT_EQ(log.statuses, (std::vector<int>{200}));
  answer(200);  // retransmission: absorbed
  EXPECT_EQ(log.statuses.size(), 1u);
  EXPECT_EQ(layer().counters().retransmissions_absorbed, 1u);
  timers.advance(4999ms);
  EXPECT_EQ(sent_count(), 1u);  // E stopped
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  timers.advance(1ms);  // timer K = T4
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_EQ(timers.pending(), 0u);
  EXPECT_EQ(log.timeouts, 0);
}

TEST_F(ClientNonInvite, ProvisionalThenFinal) {
  TxId tx = start();
  answer(100);
  answer(183);
  answer(481);
  EXPECT_EQ(log.statuses, (std::vector<int>{100, 183, 481}));
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  EXPECT_EQ(sent_count(), 1u);  // no ACK for non-INVITE
}

TEST_F(ClientNonInvite, ReliableTransportNoETimerAndNoK) {
  TxId tx = start(Protocol::Tls);
  timers.advance(20s);
  EXPECT_EQ(sent_count(), 1u);
  answer(200);
  EXPECT_EQ(layer().state(tx), std::nullopt);  // timer K is 0
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientNonInvite, ReliableTransportStillTimesOutWithF) {
  start(Protocol::Tcp);
  timers.advance(32s);
  EXPECT_EQ(log.timeouts, 1);
  EXPECT_EQ(sent_count(), 1u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientNonInvite, TransportErrorEndsIt) {
  transport.fail_all = true;
  TxId tx = start();
  timers.advance(0ms);
  EXPECT_EQ(log.errors.size(), 1u);
  EXPECT_EQ(layer().state(tx), std::nullopt);
  EXPECT_EQ(timers.pending(), 0u);
}

class ClientNonInviteFastTimers : public ClientNonInvite {
 protected:
  void SetUp() override { set_config({.t1 = 100ms, .t2 = 400ms, .t4 = 1000ms}); }
};

TEST_F(ClientNonInviteFastTimers, TimersEFAndKFollowTheConfig) {
  start();
  auto at = send_times(timers, transport, 10s);
  std::vector<long> expected{100, 300, 700};
  for (long t = 1100; t < 6400; t += 400) expected.push_back(t);
  EXPECT_EQ(at, expected);
  EXPECT_EQ(log.timeouts, 1);  // F at 6.4 s

  bye.branch = "z9hG4bK-bye2";
  TxId tx = start();
  answer(200);
  timers.advance(999ms);
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  timers.advance(1ms);  // K = T4 = 1 s
  EXPECT_EQ(layer().state(tx), std::nullopt);
}

}  // namespace
}  // namespace callwire::sip::test
