// §13.3.1.4 2xx retransmission on the test clock.
#include "sip/dialog/two_xx_retransmitter.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace callwire::sip {
namespace {

using namespace std::chrono_literals;
using test::alice_request;

struct TwoXxRetransmit : ::testing::Test {
  ManualTimers timers;
  test::LoopTransport transport{&timers, {"192.0.2.10", 5060}};
  int timeouts = 0;
  std::shared_ptr<const std::string> ok = std::make_shared<const std::string>("SIP/2.0 200 OK\r\n...");
  Clock::time_point t0 = timers.now();

  std::unique_ptr<TwoXxRetransmitter> make(Protocol p, DialogTimings timings = {}) {
    Route route;
    route.protocol = p;
    route.address = boost::asio::ip::make_address("198.51.100.7");
    route.port = 5060;
    return std::make_unique<TwoXxRetransmitter>(timers, transport, route, ok, 10, timings,
                                                [this] { ++timeouts; });
  }
  std::vector<Millis> send_times() const {
    std::vector<Millis> out;
    for (const auto& s : transport.sent) out.push_back(std::chrono::duration_cast<Millis>(s.at - t0));
    return out;
  }
};

TEST_F(TwoXxRetransmit, ResendsAtT1DoublingUpToT2ThenTimesOutAt64T1) {
  auto r = make(Protocol::Udp);
  r->start();
  timers.advance(40s);
  // 0, then intervals 500, 1000, 2000, 4000, 4000 ... until 32 s.
  std::vector<Millis> expected{0ms, 500ms, 1500ms, 3500ms, 7500ms, 11500ms, 15500ms, 19500ms, 23500ms, 27500ms, 31500ms};
  EXPECT_EQ(send_times(), expected);
  EXPECT_EQ(timeouts, 1);
  EXPECT_FALSE(r->active());
  EXPECT_EQ(r->sends(), expected.size());
  EXPECT_EQ(timers.pending(), 0u);
  for (const auto& s : transport.sent) EXPECT_EQ(s.shared, ok);
}

TEST_F(TwoXxRetransmit, TimingsFollowConfiguredT1AndT2) {
  auto r = make(Protocol::Udp, {100ms, 300ms});
  r->start();
  timers.advance(6399ms);
  EXPECT_EQ(timeouts, 0);
  timers.advance(1ms);
  EXPECT_EQ(timeouts, 1);
  auto times = send_times();
  ASSERT_GE(times.size(), 5u);
  EXPECT_EQ(times[1], 100ms);
  EXPECT_EQ(times[2], 300ms);
  EXPECT_EQ(times[3], 600ms);  // capped at T2 = 300
  EXPECT_EQ(times[4], 900ms);
}

TEST_F(TwoXxRetransmit, MatchingAckStopsEverything) {
  auto r = make(Protocol::Udp);
  r->start();
  timers.advance(1600ms);
  EXPECT_EQ(transport.sent.size(), 3u);
  EXPECT_FALSE(r->on_ack(alice_request("ACK", 9)));  // another INVITE's
  EXPECT_TRUE(r->active());
  EXPECT_TRUE(r->on_ack(alice_request("ACK", 10)));
  EXPECT_FALSE(r->active());
  EXPECT_FALSE(r->on_ack(alice_request("ACK", 10)));  // a repeat
  timers.advance(60s);
  EXPECT_EQ(transport.sent.size(), 3u);
  EXPECT_EQ(timeouts, 0);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(TwoXxRetransmit, ReliableTransportSendsOnceButStillTimesOut) {
  auto r = make(Protocol::Tcp);
  r->start();
  timers.advance(31999ms);
  EXPECT_EQ(transport.sent.size(), 1u);
  EXPECT_EQ(timeouts, 0);
  timers.advance(1ms);
  EXPECT_EQ(timeouts, 1);
  EXPECT_EQ(transport.sent.size(), 1u);
}

TEST_F(TwoXxRetransmit, CallerMaySendTheFirstCopyItself) {
  auto r = make(Protocol::Udp);
  r->start(false);
  EXPECT_TRUE(transport.sent.empty());
  timers.advance(500ms);
  EXPECT_EQ(transport.sent.size(), 1u);
}

TEST_F(TwoXxRetransmit, DestroyingCancelsTimersAndTimeoutMayDestroyIt) {
  auto r = make(Protocol::Udp);
  r->start();
  r.reset();
  EXPECT_EQ(timers.pending(), 0u);

  std::unique_ptr<TwoXxRetransmitter> self;
  Route route;
  route.address = boost::asio::ip::make_address("198.51.100.7");
  self = std::make_unique<TwoXxRetransmitter>(timers, transport, route, ok, 1, DialogTimings{},
                                              [&] { ++timeouts; self.reset(); });
  self->start();
  timers.advance(40s);
  EXPECT_EQ(timeouts, 1);
  EXPECT_EQ(self, nullptr);
}

}  // namespace
}  // namespace callwire::sip
