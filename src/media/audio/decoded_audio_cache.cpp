#include "media/audio/decoded_audio_cache.hpp"

namespace callwire::media::audio {

std::string DecodedAudioCache::key_of(std::string_view url, int rate) {
  std::string key = std::to_string(rate);
  key += ' ';
  key += url;
  return key;
}

std::optional<DecodedAudioCache::Entry> DecodedAudioCache::get(std::string_view url, int rate) {
  const std::string key = key_of(url, rate);
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) {
    ++stats_.misses;
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++stats_.hits;
  return it->second->entry;
}

void DecodedAudioCache::put(std::string_view url, int rate, std::shared_ptr<const Audio> audio,
                            CachePolicy policy) {
  std::string key = key_of(url, rate);
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) remove(it->second);
  if (!audio || !policy.storable()) return;
  const std::size_t bytes = audio->bytes() + 2 * key.size() + sizeof(Node);
  if (bytes > budget_) return;
  evict_to(budget_ - bytes);
  lru_.push_front(Node{key, Entry{std::move(audio), std::move(policy)}, bytes});
  index_.emplace(std::move(key), lru_.begin());
  stats_.bytes += bytes;
}

bool DecodedAudioCache::update_policy(std::string_view url, int rate, CachePolicy policy) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key_of(url, rate));
  if (it == index_.end()) return false;
  if (!policy.storable()) {
    remove(it->second);
    return false;
  }
  it->second->entry.policy = std::move(policy);
  lru_.splice(lru_.begin(), lru_, it->second);
  return true;
}

void DecodedAudioCache::erase(std::string_view url, int rate) {
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key_of(url, rate)); it != index_.end()) remove(it->second);
}

void DecodedAudioCache::remove(std::list<Node>::iterator it) {
  stats_.bytes -= it->bytes;
  index_.erase(it->key);
  lru_.erase(it);
}

void DecodedAudioCache::evict_to(std::size_t budget) {
  while (stats_.bytes > budget && !lru_.empty()) {
    remove(std::prev(lru_.end()));
    ++stats_.evictions;
  }
}

DecodedAudioCache::Stats DecodedAudioCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = stats_;
  s.entries = index_.size();
  return s;
}

}  // namespace callwire::media::audio
