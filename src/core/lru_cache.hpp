#pragma once
// A string-keyed cache within a byte budget, least recently used first out.
// The caller says what each entry costs (payload plus key); an entry larger
// than the whole budget is not kept. Safe to use from any thread: values are
// returned by copy (typically a shared_ptr to read-only data).
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace callwire {

struct LruCacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t evictions = 0;
  std::size_t entries = 0;
  std::size_t bytes = 0;
};

template <typename Value>
class LruCache {
 public:
  explicit LruCache(std::size_t budget_bytes) : budget_(budget_bytes) {}

  // The value for `key`, made most recently used; nullopt on a miss.
  std::optional<Value> get(const std::string& key) {
    std::lock_guard lock(mutex_);
    const auto it = index_.find(key);
    if (it == index_.end()) {
      ++stats_.misses;
      return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    ++stats_.hits;
    return it->second->value;
  }

  // Stores or replaces `key`, evicting the least recently used entries to
  // make room. An older entry for the key goes even when the new one is too
  // large to keep.
  void put(std::string key, Value value, std::size_t bytes) {
    std::lock_guard lock(mutex_);
    if (const auto it = index_.find(key); it != index_.end()) remove(it->second);
    if (bytes > budget_) return;
    evict_to(budget_ - bytes);
    lru_.push_front(Node{key, std::move(value), bytes});
    index_.emplace(std::move(key), lru_.begin());
    stats_.bytes += bytes;
  }

  // Changes the value in place (same cost) and makes it most recently used;
  // `change` returns false to drop the entry instead. False when absent or
  // dropped.
  template <typename Change>
  bool modify(const std::string& key, Change&& change) {
    std::lock_guard lock(mutex_);
    const auto it = index_.find(key);
    if (it == index_.end()) return false;
    if (!change(it->second->value)) {
      remove(it->second);
      return false;
    }
    lru_.splice(lru_.begin(), lru_, it->second);
    return true;
  }

  void erase(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (const auto it = index_.find(key); it != index_.end()) remove(it->second);
  }

  LruCacheStats stats() const {
    std::lock_guard lock(mutex_);
    LruCacheStats s = stats_;
    s.entries = index_.size();
    return s;
  }

 private:
  struct Node {
    std::string key;
    Value value;
    std::size_t bytes;
  };
  using Iterator = typename std::list<Node>::iterator;

  void remove(Iterator it) {  // mutex_ held
    stats_.bytes -= it->bytes;
    index_.erase(it->key);
    lru_.erase(it);
  }
  void evict_to(std::size_t budget) {  // mutex_ held
    while (stats_.bytes > budget && !lru_.empty()) {
      remove(std::prev(lru_.end()));
      ++stats_.evictions;
    }
  }

  mutable std::mutex mutex_;
  std::size_t budget_;
  std::list<Node> lru_;  // front = most recently used
  std::unordered_map<std::string, Iterator> index_;
  LruCacheStats stats_;
};

}  // namespace callwire
