#pragma once
// Decoded <Play> media by (URL, output rate), within a byte budget, least
// recently used first out. Entries stay after they go stale so the player
// can revalidate them (conditional GET) instead of refetching and decoding
// again. Safe to use from any thread; the audio is shared read-only.
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

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

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t evictions = 0;
    std::size_t entries = 0;
    std::size_t bytes = 0;
  };

  explicit DecodedAudioCache(std::size_t budget_bytes = kDefaultBudget) : budget_(budget_bytes) {}

  // The entry, fresh or stale (check entry.policy.fresh(now)), made most
  // recently used; nullopt on a miss.
  std::optional<Entry> get(std::string_view url, int rate);
  // Stores or replaces. Not kept when the policy forbids storing
  // (no-store, private) or the audio alone exceeds the budget; a
  // forbidden store also drops an older entry for the key.
  void put(std::string_view url, int rate, std::shared_ptr<const Audio> audio, CachePolicy policy);
  // After a 304: the entry's new policy. False if the entry is gone.
  bool update_policy(std::string_view url, int rate, CachePolicy policy);
  void erase(std::string_view url, int rate);
  Stats stats() const;

 private:
  struct Node {
    std::string key;
    Entry entry;
    std::size_t bytes;
  };
  static std::string key_of(std::string_view url, int rate);
  void remove(std::list<Node>::iterator it);  // mutex_ held
  void evict_to(std::size_t budget);          // mutex_ held

  mutable std::mutex mutex_;
  std::size_t budget_;
  std::list<Node> lru_;  // front = most recently used
  std::unordered_map<std::string, std::list<Node>::iterator> index_;
  Stats stats_;
};

}  // namespace callwire::media::audio
