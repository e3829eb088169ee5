#pragma once
// Encoded frames of shared prompts, per engine (so per worker: no locks).
// 2,000 calls looping the same <Say> share one tts::Audio; each codec/ptime
// encodes it once here and every session then only copies payload bytes
// into packets. Keyed by the Audio's address, codec and ptime; the entry
// keeps a weak_ptr to the Audio so a freed prompt whose address is reused is
// never mistaken for the old one, and sweep() drops entries of freed prompts.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "media/engine/errc.hpp"
#include "media/tts/request.hpp"

namespace callwire::media::engine {

struct CodecParams {
  std::string name = "PCMU";
  std::uint32_t clock_rate = 8000;
  unsigned channels = 1;
  std::string fmtp;
};

// Frame i is bytes[offsets[i], offsets[i+1]).
struct EncodedPrompt {
  std::vector<std::uint8_t> bytes;
  std::vector<std::uint32_t> offsets;
  std::size_t frames() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::span<const std::uint8_t> frame(std::size_t i) const {
    return {bytes.data() + offsets[i], offsets[i + 1] - offsets[i]};
  }
};

// Encodes `pcm` (at `rate`) into ptime frames with a fresh codec instance;
// the last frame is padded with silence.
[[nodiscard]] Result<std::shared_ptr<const EncodedPrompt>> encode_prompt(std::span<const std::int16_t> pcm,
                                                                         std::uint32_t rate,
                                                                         const CodecParams& codec,
                                                                         std::chrono::milliseconds ptime);

class PromptCache {
 public:
  [[nodiscard]] Result<std::shared_ptr<const EncodedPrompt>> get(const std::shared_ptr<const tts::Audio>& audio,
                                                                 const CodecParams& codec,
                                                                 std::chrono::milliseconds ptime);
  // Drops the entries whose Audio no longer exists.
  void sweep();

  std::size_t entries() const { return map_.size(); }
  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  std::size_t bytes() const;

 private:
  struct Key {
    const tts::Audio* audio;
    std::string codec;
    std::uint32_t clock_rate;
    std::int64_t ptime_ms;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  struct Entry {
    std::weak_ptr<const tts::Audio> audio;
    std::shared_ptr<const EncodedPrompt> encoded;
  };
  std::unordered_map<Key, Entry, KeyHash> map_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace callwire::media::engine
