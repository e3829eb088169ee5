#pragma once
// Synthesized prompts kept within a byte budget, least recently used first
// out. Safe to use from any thread; entries are shared read-only.
#include <cstddef>
#include <memory>
#include <string>

#include "core/lru_cache.hpp"
#include "media/tts/request.hpp"

namespace callwire::media::tts {

class AudioCache {
 public:
  static constexpr std::size_t kDefaultBudget = 64u << 20;  // 64 MiB
  using Stats = LruCacheStats;

  explicit AudioCache(std::size_t budget_bytes = kDefaultBudget) : cache_(budget_bytes) {}

  // The entry for `key`, made most recently used; null on a miss.
  std::shared_ptr<const Audio> get(const std::string& key) { return cache_.get(key).value_or(nullptr); }
  // Stores (or replaces) `key`. Audio larger than the whole budget is not kept.
  void put(const std::string& key, std::shared_ptr<const Audio> audio) {
    if (!audio) return;
    const std::size_t bytes = audio->bytes() + key.size();
    cache_.put(key, std::move(audio), bytes);
  }
  Stats stats() const { return cache_.stats(); }

 private:
  LruCache<std::shared_ptr<const Audio>> cache_;
};

}  // namespace callwire::media::tts
