#include "media/rtp/port_allocator.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

namespace callwire::media::rtp {
namespace {

TEST(PortAllocator, HandsOutEvenPairsUntilExhausted) {
  auto a = PortAllocator::make(10000, 10009).value();
  EXPECT_EQ(a.capacity(), 5u);
  std::set<std::uint16_t> seen;
  for (int i = 0; i < 5; ++i) {
    auto p = a.allocate();
    ASSERT_TRUE(p);
    EXPECT_EQ(p->rtp % 2, 0);
    EXPECT_EQ(p->rtcp(), p->rtp + 1);
    EXPECT_GE(p->rtp, 10000);
    EXPECT_LE(p->rtcp(), 10009);
    EXPECT_TRUE(seen.insert(p->rtp).second);
    EXPECT_TRUE(a.in_use(*p));
  }
  EXPECT_EQ(a.available(), 0u);
  EXPECT_EQ(a.allocate().error().code, make_error_code(Errc::PortsExhausted));
  ASSERT_TRUE(a.release({10004}));
  EXPECT_EQ(a.allocate().value(), PortPair{10004});
}

TEST(PortAllocator, ReleasedPairIsReusedLast) {
  auto a = PortAllocator::make(20000, 20007).value();  // 4 pairs
  auto first = a.allocate().value();
  EXPECT_EQ(first.rtp, 20000);
  ASSERT_TRUE(a.release(first));
  // Every other free pair comes before the one just released.
  EXPECT_EQ(a.allocate()->rtp, 20002);
  EXPECT_EQ(a.allocate()->rtp, 20004);
  EXPECT_EQ(a.allocate()->rtp, 20006);
  EXPECT_EQ(a.allocate()->rtp, 20000);
}

TEST(PortAllocator, RefusesBadReleases) {
  auto a = PortAllocator::make(10000, 10009).value();
  auto p = a.allocate().value();
  EXPECT_EQ(a.release({10002}).error().code, make_error_code(Errc::PortNotAllocated));  // free
  EXPECT_EQ(a.release({10001}).error().code, make_error_code(Errc::PortNotAllocated));  // odd
  EXPECT_EQ(a.release({9998}).error().code, make_error_code(Errc::PortNotAllocated));   // below
  EXPECT_EQ(a.release({10010}).error().code, make_error_code(Errc::PortNotAllocated));  // above
  ASSERT_TRUE(a.release(p));
  EXPECT_EQ(a.release(p).error().code, make_error_code(Errc::PortNotAllocated));  // twice
  EXPECT_EQ(a.available(), 5u);
}

TEST(PortAllocator, RangesAndParsing) {
  auto odd = PortAllocator::make(10001, 10010).value();  // 10002..10009 → 4 pairs
  EXPECT_EQ(odd.capacity(), 4u);
  EXPECT_EQ(odd.allocate()->rtp, 10002);
  EXPECT_EQ(PortAllocator::parse("10000-20000")->capacity(), 5000u);
  auto full = PortAllocator::make(1, 65535).value();
  EXPECT_EQ(full.capacity(), 32767u);
  for (const char* bad : {"", "10000", "-20000", "10000-", "a-b", "20000-10000", "10000-10000", "0-100",
                          "10000-70000", "10000 -20000"}) {
    EXPECT_EQ(PortAllocator::parse(bad).error().code, make_error_code(Errc::BadPortRange)) << bad;
  }
}

// Random allocate/release against a set model: a pair in use is never handed out.
TEST(PortAllocator, NeverHandsOutAPairInUse) {
  auto a = PortAllocator::make(30000, 30199).value();  // 100 pairs
  std::set<std::uint16_t> used;
  std::vector<std::uint16_t> order;
  std::uint64_t lcg = 99;
  for (int i = 0; i < 100000; ++i) {
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    bool alloc = ((lcg >> 40) % 3) != 0 || used.empty();
    if (alloc) {
      auto p = a.allocate();
      if (used.size() == 100) {
        ASSERT_FALSE(p);
        continue;
      }
      ASSERT_TRUE(p);
      ASSERT_TRUE(used.insert(p->rtp).second) << "pair " << p->rtp << " handed out twice";
      order.push_back(p->rtp);
    } else {
      auto it = used.begin();
      std::advance(it, static_cast<long>((lcg >> 20) % used.size()));
      ASSERT_TRUE(a.release({*it}));
      used.erase(it);
    }
    ASSERT_EQ(a.available(), 100 - used.size());
  }
}

}  // namespace
}  // namespace callwire::media::rtp
