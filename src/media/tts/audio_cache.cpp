#include "media/tts/audio_cache.hpp"

namespace callwire::media::tts {

std::shared_ptr<const Audio> AudioCache::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) {
    ++stats_.misses;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++stats_.hits;
  return it->second->audio;
}

void AudioCache::put(const std::string& key, std::shared_ptr<const Audio> audio) {
  if (!audio) return;
  const std::size_t bytes = audio->bytes() + key.size();
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    stats_.bytes -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }
  if (bytes > budget_) return;
  evict_to(budget_ - bytes);
  lru_.push_front(Entry{key, std::move(audio), bytes});
  index_.emplace(key, lru_.begin());
  stats_.bytes += bytes;
}

void AudioCache::evict_to(std::size_t budget) {
  while (stats_.bytes > budget && !lru_.empty()) {
    const Entry& victim = lru_.back();
    stats_.bytes -= victim.bytes;
    index_.erase(victim.key);
    lru_.pop_back();
    ++stats_.evictions;
  }
}

AudioCache::Stats AudioCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = stats_;
  s.entries = index_.size();
  return s;
}

}  // namespace callwire::media::tts
