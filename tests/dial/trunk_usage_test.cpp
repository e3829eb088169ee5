#include "dial/trunk_usage.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace callwire::dial {
namespace {

TEST(TrunkUsage, LimitsAndReleasesOnDestruction) {
  TrunkUsage usage;
  auto a = usage.try_acquire("BY1", 2);
  auto b = usage.try_acquire("BY1", 2);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(usage.active("BY1"), 2u);
  EXPECT_FALSE(usage.try_acquire("BY1", 2).has_value());
  EXPECT_TRUE(usage.try_acquire("BY2", 2).has_value());  // other trunks count apart (and this one is released)
  EXPECT_EQ(usage.active("BY2"), 0u);
  a.reset();
  EXPECT_EQ(usage.active("BY1"), 1u);
  auto c = usage.try_acquire("BY1", 2);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->trunk_sid(), "BY1");
  c->release();
  c->release();  // idempotent
  EXPECT_EQ(usage.active("BY1"), 1u);
}

TEST(TrunkUsage, ZeroIsUnlimitedAndMovesKeepOneSlot) {
  TrunkUsage usage;
  std::vector<TrunkSlot> slots;
  for (int i = 0; i < 100; ++i) slots.push_back(*usage.try_acquire("BY1", 0));
  EXPECT_EQ(usage.active("BY1"), 100u);
  TrunkSlot moved = std::move(slots.back());
  slots.pop_back();
  EXPECT_EQ(usage.active("BY1"), 100u);
  slots.clear();
  EXPECT_EQ(usage.active("BY1"), 1u);
  moved = *usage.try_acquire("BY1", 0);  // the old slot is released by the assignment
  EXPECT_EQ(usage.active("BY1"), 1u);
}

TEST(TrunkUsage, SlotMayOutliveTheUsage) {
  std::optional<TrunkSlot> slot;
  {
    TrunkUsage usage;
    slot = usage.try_acquire("BY1", 1);
  }
  slot.reset();  // no crash, no leak (ASan)
  SUCCEED();
}

TEST(TrunkUsage, ConcurrentAcquiresNeverExceedTheLimit) {
  TrunkUsage usage;
  constexpr int kMax = 5;
  std::atomic<int> peak{0};
  std::atomic<int> inside{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto slot = usage.try_acquire("BY1", kMax);
        if (!slot) continue;
        const int now = ++inside;
        int p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(peak.load(), kMax);
  EXPECT_GE(peak.load(), 1);
  EXPECT_EQ(usage.active("BY1"), 0u);
}

}  // namespace
}  // namespace callwire::dial
