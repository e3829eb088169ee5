#include "core/lru_cache.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace callwire {
namespace {

TEST(LruCache, EvictsTheLeastRecentlyUsedWithinTheBudget) {
  LruCache<int> cache(30);
  cache.put("a", 1, 10);
  cache.put("b", 2, 10);
  cache.put("c", 3, 10);
  EXPECT_EQ(cache.get("a"), 1);  // a is now the most recent
  cache.put("d", 4, 10);         // b goes
  EXPECT_FALSE(cache.get("b"));
  EXPECT_EQ(cache.get("c"), 3);
  EXPECT_EQ(cache.get("d"), 4);
  const auto s = cache.stats();
  EXPECT_EQ(s.entries, 3u);
  EXPECT_EQ(s.bytes, 30u);
  EXPECT_EQ(s.evictions, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.hits, 3u);
}

TEST(LruCache, ReplacingDropsTheOldEntryEvenWhenTheNewOneIsTooLarge) {
  LruCache<std::string> cache(100);
  cache.put("k", "small", 40);
  cache.put("k", "larger", 60);
  EXPECT_EQ(cache.get("k"), "larger");
  EXPECT_EQ(cache.stats().bytes, 60u);
  cache.put("k", "huge", 101);
  EXPECT_FALSE(cache.get("k"));
  EXPECT_EQ(cache.stats().bytes, 0u);
  EXPECT_EQ(cache.stats().evictions, 0u);
}

TEST(LruCache, ModifyChangesOrDropsInPlace) {
  LruCache<int> cache(20);
  cache.put("a", 1, 10);
  cache.put("b", 2, 10);
  EXPECT_TRUE(cache.modify("a", [](int& v) { v = 5; return true; }));  // a becomes most recent
  cache.put("c", 3, 10);                                                // b goes
  EXPECT_EQ(cache.get("a"), 5);
  EXPECT_FALSE(cache.get("b"));
  EXPECT_FALSE(cache.modify("a", [](int&) { return false; }));
  EXPECT_FALSE(cache.get("a"));
  EXPECT_FALSE(cache.modify("missing", [](int&) { return true; }));
  EXPECT_EQ(cache.stats().bytes, 10u);
}

TEST(LruCache, ConcurrentUseKeepsTheAccountsRight) {
  LruCache<int> cache(1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = std::to_string((i * 7 + t) % 300);
        if (i % 3 == 0) cache.erase(key);
        else if (!cache.get(key)) cache.put(key, i, 10);
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto s = cache.stats();
  EXPECT_LE(s.bytes, 1000u);
  EXPECT_EQ(s.bytes, s.entries * 10);
}

}  // namespace
}  // namespace callwire
