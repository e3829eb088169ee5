#include "net/asio_timers.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace callwire::net {
namespace {

using namespace std::chrono_literals;

// Runs the context on the test thread until `done` or the deadline.
template <class Pred>
bool run_until(boost::asio::io_context& ctx, Pred done, std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    ctx.restart();
    ctx.run_for(10ms);
  }
  return done();
}

TEST(AsioTimers, FireInDeadlineOrder) {
  boost::asio::io_context ctx;
  AsioTimers timers(ctx);
  std::vector<int> order;
  auto t0 = timers.now();
  timers.start(60ms, [&] { order.push_back(3); });
  timers.start(20ms, [&] { order.push_back(1); });
  timers.start(40ms, [&] { order.push_back(2); });
  EXPECT_EQ(timers.pending(), 3u);
  ASSERT_TRUE(run_until(ctx, [&] { return order.size() == 3; }));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(timers.now() - t0, 60ms);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST(AsioTimers, IdsAreUniqueAndNonZero) {
  boost::asio::io_context ctx;
  AsioTimers timers(ctx);
  auto a = timers.start(1s, [] {});
  auto b = timers.start(1s, [] {});
  EXPECT_NE(a, 0u);
  EXPECT_NE(b, 0u);
  EXPECT_NE(a, b);
}

TEST(AsioTimers, CancelPreventsCallback) {
  boost::asio::io_context ctx;
  AsioTimers timers(ctx);
  bool cancelled_ran = false, other_ran = false;
  auto id = timers.start(10ms, [&] { cancelled_ran = true; });
  timers.start(30ms, [&] { other_ran = true; });
  timers.cancel(id);
  timers.cancel(id);      // twice: no-op
  timers.cancel(999999);  // unknown: no-op
  ASSERT_TRUE(run_until(ctx, [&] { return other_ran; }));
  EXPECT_FALSE(cancelled_ran);
}

TEST(AsioTimers, CancelAfterExpiryBeforeRunDoesNotRun) {
  boost::asio::io_context ctx;
  AsioTimers timers(ctx);
  bool ran = false;
  auto id = timers.start(1ms, [&] { ran = true; });
  std::this_thread::sleep_for(5ms);  // expired, but the loop has not run the handler yet
  timers.cancel(id);
  ctx.run_for(20ms);
  EXPECT_FALSE(ran);
}

TEST(AsioTimers, CallbackMayStartAndCancelTimers) {
  boost::asio::io_context ctx;
  AsioTimers timers(ctx);
  int fired = 0;
  Timers::Id victim = 0;
  timers.start(5ms, [&] {
    ++fired;
    timers.cancel(victim);
    timers.start(5ms, [&] { fired += 10; });
  });
  victim = timers.start(20ms, [&] { fired += 100; });
  ASSERT_TRUE(run_until(ctx, [&] { return fired == 11; }));
  ctx.run_for(40ms);
  EXPECT_EQ(fired, 11);
}

TEST(AsioTimers, DestroyedWithPendingTimersRunsNone) {
  boost::asio::io_context ctx;
  bool ran = false;
  {
    AsioTimers timers(ctx);
    timers.start(1ms, [&] { ran = true; });
    std::this_thread::sleep_for(5ms);
  }
  ctx.run_for(20ms);
  EXPECT_FALSE(ran);
}

TEST(AsioTimers, AnEarlierTimerStartedLaterFiresFirst) {
  boost::asio::io_context ctx;
  AsioTimers timers(ctx);
  std::vector<int> order;
  timers.start(80ms, [&] { order.push_back(2); });
  ctx.run_for(5ms);  // the shared wait is armed for 80 ms now
  timers.start(10ms, [&] { order.push_back(1); });
  ASSERT_TRUE(run_until(ctx, [&] { return order.size() == 2; }));
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(AsioTimers, EqualDeadlinesFireInStartOrderAndZeroDelayRunsOnTheNextWake) {
  boost::asio::io_context ctx;
  AsioTimers timers(ctx);
  std::vector<int> order;
  for (int i = 0; i < 5; ++i) timers.start(0ms, [&, i] { order.push_back(i); });
  timers.start(0ms, [&] {
    order.push_back(10);
    timers.start(0ms, [&] { order.push_back(20); });  // not in the same pass, but soon
  });
  ASSERT_TRUE(run_until(ctx, [&] { return order.size() == 7; }));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 10, 20}));
}

TEST(AsioTimers, CancelledDeadlinesDoNotPileUp) {
  boost::asio::io_context ctx;
  AsioTimers timers(ctx);
  bool kept_ran = false;
  auto kept = timers.start(30ms, [&] { kept_ran = true; });
  for (int i = 0; i < 100000; ++i) timers.cancel(timers.start(32s, [] {}));
  EXPECT_EQ(timers.pending(), 1u);
  EXPECT_LE(timers.queued(), 2 * timers.pending() + 1024 + 1);
  ASSERT_TRUE(run_until(ctx, [&] { return kept_ran; }));
  EXPECT_EQ(timers.pending(), 0u);
  (void)kept;
}

}  // namespace
}  // namespace callwire::net
