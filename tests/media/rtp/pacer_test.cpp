#include "media/rtp/pacer.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace callwire::media::rtp {
namespace {

using namespace std::chrono_literals;

const Clock::time_point T0 = Clock::time_point{} + 12345678us;

std::uint64_t floor_frames(Clock::duration elapsed, Clock::duration ptime) {
  return static_cast<std::uint64_t>(elapsed / ptime) + 1;
}

TEST(Pacer, FirstFrameAtStartNothingBefore) {
  Pacer p(T0);
  EXPECT_EQ(p.due(T0 - 1ms).send, 0u);
  EXPECT_EQ(p.due(T0).send, 1u);
  EXPECT_EQ(p.due(T0 + 19ms).send, 0u);
  EXPECT_EQ(p.next_deadline(), T0 + 20ms);
  EXPECT_EQ(p.due(T0 + 20ms).send, 1u);
  EXPECT_EQ(p.due(T0 + 20ms).send, 0u);  // never twice
}

// Ten hours of 20 ms frames, woken late by 0-9.999 ms each time (as a busy
// worker would be): after every wake-up the frames handed out equal
// floor(t / ptime) + 1 and none was skipped, so the schedule cannot drift.
TEST(Pacer, TenHourCallDoesNotDrift) {
  Pacer p(T0, 20ms, 3);
  std::uint64_t lcg = 12345;
  std::uint64_t handed = 0;
  Clock::time_point now = T0;
  const Clock::time_point end = T0 + 10h;
  while (now < end) {
    auto tick = p.due(now);
    handed += tick.send + tick.skipped;
    ASSERT_EQ(tick.skipped, 0u);
    ASSERT_EQ(handed, floor_frames(now - T0, 20ms));
    // Sleep until the next deadline, then overshoot a little.
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    auto late = std::chrono::microseconds((lcg >> 33) % 10000);
    ASSERT_GE(p.next_deadline(), now);
    now = p.next_deadline() + late;
  }
  auto tick = p.due(end);
  handed += tick.send;
  EXPECT_EQ(handed, 10ull * 3600 * 50 + 1);
  EXPECT_EQ(p.frames_sent(), handed);
  EXPECT_EQ(p.next_deadline(), T0 + 20ms * static_cast<std::int64_t>(handed));
}

TEST(Pacer, OddPtimeStaysOnGrid) {
  Pacer p(T0, 30ms);
  std::uint64_t handed = 0;
  for (auto t = T0; t < T0 + 1h; t += 7ms) {  // wakes every 7 ms, unrelated to ptime
    auto tick = p.due(t);
    handed += tick.send + tick.skipped;
    ASSERT_EQ(handed, floor_frames(t - T0, 30ms));
  }
}

TEST(Pacer, StallCatchesUpBoundedThenResyncs) {
  Pacer p(T0, 20ms, 3);
  EXPECT_EQ(p.due(T0).send, 1u);
  // 1 s stall: frames 1..50 are due; 3 are sent, 47 skipped.
  auto tick = p.due(T0 + 1000ms);
  EXPECT_EQ(tick.send, 3u);
  EXPECT_EQ(tick.skipped, 47u);
  EXPECT_EQ(p.frames_skipped(), 47u);
  // Back on the same grid: the next frame is at 1020 ms, not "now + 20 ms".
  EXPECT_EQ(p.next_deadline(), T0 + 1020ms);
  EXPECT_EQ(p.due(T0 + 1019ms).send, 0u);
  EXPECT_EQ(p.due(T0 + 1025ms).send, 1u);
  // A short stall within the bound is caught up entirely.
  tick = p.due(T0 + 1085ms);  // frames 52, 53, 54 due
  EXPECT_EQ(tick.send, 3u);
  EXPECT_EQ(tick.skipped, 0u);
  EXPECT_EQ(p.frames_sent() + p.frames_skipped(), floor_frames(1085ms, 20ms));
}

}  // namespace
}  // namespace callwire::media::rtp
