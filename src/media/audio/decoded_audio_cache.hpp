#pragma once
// Decoded <Play> media by (URL, output rate), within a byte budget, least
// recently used first out. Entries stay after they go stale so the player
// can revalidate them (conditional GET) instead of refetching and decoding
// again. Safe to use from any thread; the audio is shared read-only.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/lru_cache.hpp"
#include "media/audio/cache_policy.hpp"
#include "media/audio/decoder.hpp"

namespace callwire::media::audio {

class DecodedAudioCache {
 public:
  static constexpr std::size_t kDefaultBudget = 128u << 20;  // 128 MiB

  struct Entry {
    std::shared_ptr<const Audio> audio;
    CachePolicy policy;
  };
  using Stats = LruCacheStats;

  explicit DecodedAudioCache(std::size_t budget_bytes = kDefaultBudget) : cache_(budget_bytes) {}

  // The entry, fresh or stale (check entry.policy.fresh(now)), made most
  // recently used; nullopt on a miss.
  std::optional<Entry> get(std::string_view url, int rate) { return cache_.get(key_of(url, rate)); }
  // Stores or replaces. Not kept when the policy forbids storing
  // (no-store, private) or the audio alone exceeds the budget; a
  // forbidden store also drops an older entry for the key.
  void put(std::string_view url, int rate, std::shared_ptr<const Audio> audio, CachePolicy policy);
  // After a 304: the entry's new policy. False if the entry is gone.
  bool update_policy(std::string_view url, int rate, CachePolicy policy);
  void erase(std::string_view url, int rate) { cache_.erase(key_of(url, rate)); }
  Stats stats() const { return cache_.stats(); }

 private:
  static std::string key_of(std::string_view url, int rate);

  LruCache<Entry> cache_;
};

}  // namespace callwire::media::audio
