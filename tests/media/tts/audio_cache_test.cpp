#include "media/tts/audio_cache.hpp"

#include <gtest/gtest.h>

namespace callwire::media::tts {
namespace {

std::shared_ptr<const Audio> audio_of(std::size_t samples) {
  auto a = std::make_shared<Audio>();
  a->samples.assign(samples, 1);
  return a;
}

TEST(AudioCache, HitsMissesAndLruEviction) {
  const auto one = audio_of(1000);
  const std::size_t entry = one->bytes() + 1;  // key "a" is one byte
  AudioCache cache(entry * 3);
  cache.put("a", one);
  cache.put("b", audio_of(1000));
  cache.put("c", audio_of(1000));
  EXPECT_EQ(cache.get("a"), one);  // "a" is now the most recently used
  cache.put("d", audio_of(1000));  // evicts "b", the least recently used
  EXPECT_EQ(cache.get("b"), nullptr);
  EXPECT_NE(cache.get("a"), nullptr);
  EXPECT_NE(cache.get("c"), nullptr);
  EXPECT_NE(cache.get("d"), nullptr);
  const auto s = cache.stats();
  EXPECT_EQ(s.entries, 3u);
  EXPECT_EQ(s.evictions, 1u);
  EXPECT_EQ(s.hits, 4u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_LE(s.bytes, entry * 3);
}

TEST(AudioCache, ReplacesAndRefusesOversized) {
  AudioCache cache(10000);
  cache.put("k", audio_of(100));
  const auto bigger = audio_of(200);
  cache.put("k", bigger);
  EXPECT_EQ(cache.get("k"), bigger);
  EXPECT_EQ(cache.stats().entries, 1u);
  EXPECT_EQ(cache.stats().bytes, bigger->bytes() + 1);
  cache.put("huge", audio_of(100000));
  EXPECT_EQ(cache.get("huge"), nullptr);
  EXPECT_EQ(cache.get("k"), bigger);
}

}  // namespace
}  // namespace callwire::media::tts
