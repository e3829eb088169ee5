#include "media/audio/decoded_audio_cache.hpp"

namespace callwire::media::audio {

std::string DecodedAudioCache::key_of(std::string_view url, int rate) {
  std::string key = std::to_string(rate);
  key += ' ';
  key += url;
  return key;
}

void DecodedAudioCache::put(std::string_view url, int rate, std::shared_ptr<const Audio> audio,
                            CachePolicy policy) {
  std::string key = key_of(url, rate);
  if (!audio || !policy.storable()) {
    cache_.erase(key);
    return;
  }
  // The key is held twice (list node and index); the node's own size counts too.
  const std::size_t bytes = audio->bytes() + 2 * key.size() + sizeof(Entry) + 64;
  cache_.put(std::move(key), Entry{std::move(audio), std::move(policy)}, bytes);
}

bool DecodedAudioCache::update_policy(std::string_view url, int rate, CachePolicy policy) {
  return cache_.modify(key_of(url, rate), [&](Entry& entry) {
    if (!policy.storable()) return false;
    entry.policy = std::move(policy);
    return true;
  });
}

}  // namespace callwire::media::audio
