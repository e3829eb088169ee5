#include "media/audio/decoded_audio_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace callwire::media::audio {
namespace {

using namespace std::chrono_literals;
using H = std::vector<std::pair<std::string, std::string>>;

std::shared_ptr<const Audio> audio_of(std::size_t samples) {
  auto a = std::make_shared<Audio>();
  a->samples.assign(samples, 1);
  return a;
}

const auto kNow = std::chrono::system_clock::time_point{} + 1000h;

CachePolicy policy(std::string_view cache_control) {
  return CachePolicy::from_headers(H{{"Cache-Control", std::string(cache_control)}}, kNow);
}

TEST(DecodedAudioCache, KeyedByUrlAndRate) {
  DecodedAudioCache cache;
  const auto a8 = audio_of(100), a16 = audio_of(200);
  cache.put("http://x/a.wav", 8000, a8, policy("max-age=60"));
  cache.put("http://x/a.wav", 16000, a16, policy("max-age=60"));
  ASSERT_TRUE(cache.get("http://x/a.wav", 8000));
  EXPECT_EQ(cache.get("http://x/a.wav", 8000)->audio, a8);
  EXPECT_EQ(cache.get("http://x/a.wav", 16000)->audio, a16);
  EXPECT_FALSE(cache.get("http://x/a.wav", 48000));
  EXPECT_FALSE(cache.get("http://x/b.wav", 8000));
  const auto e = cache.get("http://x/a.wav", 8000);
  EXPECT_TRUE(e->policy.fresh(kNow + 59s));
  const auto s = cache.stats();
  EXPECT_EQ(s.entries, 2u);
  EXPECT_EQ(s.misses, 2u);
  EXPECT_EQ(s.hits, 4u);
}

TEST(DecodedAudioCache, LruEvictionWithinTheBudget) {
  DecodedAudioCache probe;
  probe.put("u0", 8000, audio_of(1000), policy("max-age=1"));
  const std::size_t entry = probe.stats().bytes;  // one entry with a 2-char URL
  DecodedAudioCache cache(entry * 3);
  cache.put("u0", 8000, audio_of(1000), policy("max-age=1"));
  cache.put("u1", 8000, audio_of(1000), policy("max-age=1"));
  cache.put("u2", 8000, audio_of(1000), policy("max-age=1"));
  EXPECT_TRUE(cache.get("u0", 8000));                          // u0 now most recent
  cache.put("u3", 8000, audio_of(1000), policy("max-age=1"));  // evicts u1
  EXPECT_FALSE(cache.get("u1", 8000));
  EXPECT_TRUE(cache.get("u0", 8000));
  EXPECT_TRUE(cache.get("u2", 8000));
  EXPECT_TRUE(cache.get("u3", 8000));
  EXPECT_EQ(cache.stats().evictions, 1u);
  EXPECT_LE(cache.stats().bytes, entry * 3);
  // Larger than the whole budget: not kept, nothing else evicted.
  cache.put("big", 8000, audio_of(100000), policy("max-age=1"));
  EXPECT_FALSE(cache.get("big", 8000));
  EXPECT_EQ(cache.stats().entries, 3u);
}

TEST(DecodedAudioCache, PolicyDecidesStorage) {
  DecodedAudioCache cache;
  cache.put("u", 8000, audio_of(10), policy("max-age=60"));
  cache.put("u", 8000, audio_of(10), policy("no-store"));  // drops the old copy too
  EXPECT_FALSE(cache.get("u", 8000));
  cache.put("p", 8000, audio_of(10), policy("private"));
  EXPECT_FALSE(cache.get("p", 8000));
  // no-cache is stored (to revalidate), never fresh.
  cache.put("n", 8000, audio_of(10), policy("no-cache"));
  ASSERT_TRUE(cache.get("n", 8000));
  EXPECT_FALSE(cache.get("n", 8000)->policy.fresh(kNow));
}

TEST(DecodedAudioCache, UpdatePolicyAfterA304AndErase) {
  DecodedAudioCache cache;
  const auto a = audio_of(10);
  cache.put("u", 8000, a, policy("max-age=1"));
  EXPECT_FALSE(cache.get("u", 8000)->policy.fresh(kNow + 10s));
  const auto renewed = cache.get("u", 8000)->policy.revalidated(H{{"Cache-Control", "max-age=60"}}, kNow + 10s);
  EXPECT_TRUE(cache.update_policy("u", 8000, renewed));
  EXPECT_TRUE(cache.get("u", 8000)->policy.fresh(kNow + 30s));
  EXPECT_EQ(cache.get("u", 8000)->audio, a);
  EXPECT_FALSE(cache.update_policy("u", 16000, renewed));
  EXPECT_FALSE(cache.update_policy("u", 8000, policy("no-store")));
  EXPECT_FALSE(cache.get("u", 8000));
  cache.put("v", 8000, a, policy("max-age=1"));
  cache.erase("v", 8000);
  EXPECT_FALSE(cache.get("v", 8000));
  EXPECT_EQ(cache.stats().bytes, 0u);
}

TEST(DecodedAudioCache, ConcurrentUse) {
  DecodedAudioCache cache(200 * 1024);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string url = "u" + std::to_string((i * 7 + t) % 50);
        if (i % 3 == 0) {
          cache.put(url, 8000, audio_of(500), policy("max-age=60"));
        } else if (auto e = cache.get(url, 8000)) {
          EXPECT_EQ(e->audio->samples.size(), 500u);
        }
        if (i % 97 == 0) cache.erase(url, 8000);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.stats().bytes, 200u * 1024);
}

}  // namespace
}  // namespace callwire::media::audio
