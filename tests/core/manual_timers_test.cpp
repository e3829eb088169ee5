#include "core/manual_timers.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace callwire {
namespace {

using namespace std::chrono_literals;

TEST(ManualTimers, FiresInDeadlineOrderOnlyWhenTimeReachesThem) {
  ManualTimers timers;
  std::vector<int> fired;
  timers.start(300ms, [&] { fired.push_back(3); });
  timers.start(100ms, [&] { fired.push_back(1); });
  timers.start(200ms, [&] { fired.push_back(2); });
  timers.advance(99ms);
  EXPECT_TRUE(fired.empty());
  timers.advance(1ms);
  EXPECT_EQ(fired, (std::vector<int>{1}));
  timers.advance(1s);
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(timers.pending(), 0u);
}

TEST(ManualTimers, CancelledTimerNeverFires) {
  ManualTimers timers;
  bool fired = false;
  auto id = timers.start(10ms, [&] { fired = true; });
  timers.cancel(id);
  timers.cancel(id);  // twice is harmless
  timers.advance(1s);
  EXPECT_FALSE(fired);
}

TEST(ManualTimers, TimersStartedByCallbacksFireWithinTheSameAdvance) {
  ManualTimers timers;
  std::vector<Clock::duration> at;
  auto origin = timers.now();
  timers.start(100ms, [&] {
    at.push_back(timers.now() - origin);
    timers.start(100ms, [&] { at.push_back(timers.now() - origin); });
  });
  timers.advance(250ms);
  ASSERT_EQ(at.size(), 2u);
  EXPECT_EQ(at[0], 100ms);
  EXPECT_EQ(at[1], 200ms);
  EXPECT_EQ(timers.now() - origin, 250ms);
}

TEST(ManualTimers, NextDueReportsTheEarliestTimer) {
  ManualTimers timers;
  EXPECT_EQ(timers.next_due(), Millis::max());
  timers.start(500ms, [] {});
  timers.start(40ms, [] {});
  EXPECT_EQ(timers.next_due(), 40ms);
}

}  // namespace
}  // namespace callwire
