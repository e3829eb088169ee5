#pragma once
// Synthesized prompts kept within a byte budget, least recently used first
// out. Safe to use from any thread; entries are shared read-only.
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "media/tts/request.hpp"

namespace callwire::media::tts {

class AudioCache {
 public:
  static constexpr std::size_t kDefaultBudget = 64u << 20;  // 64 MiB

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t evictions = 0;
    std::size_t entries = 0;
    std::size_t bytes = 0;
  };

  explicit AudioCache(std::size_t budget_bytes = kDefaultBudget) : budget_(budget_bytes) {}

  // The entry for `key`, made most recently used; null on a miss.
  std::shared_ptr<const Audio> get(const std::string& key);
  // Stores (or replaces) `key`. Audio larger than the whole budget is not kept.
  void put(const std::string& key, std::shared_ptr<const Audio> audio);
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Audio> audio;
    std::size_t bytes;
  };
  void evict_to(std::size_t budget);  // mutex_ held

  mutable std::mutex mutex_;
  std::size_t budget_;
  std::list<Entry> lru_;  // front = most recently used
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  Stats stats_;
};

}  // namespace callwire::media::tts
