#include "media/engine/prompt_cache.hpp"

#include <algorithm>
#include <functional>

#include "media/codec/codec.hpp"
#include "media/codec/resampler.hpp"

namespace callwire::media::engine {

Result<std::shared_ptr<const EncodedPrompt>> encode_prompt(std::span<const std::int16_t> pcm, std::uint32_t rate,
                                                           const CodecParams& params,
                                                           std::chrono::milliseconds ptime) {
  auto codec = codec::make_codec(params.name, params.clock_rate, params.channels, params.fmtp);
  if (!codec) return std::unexpected(codec.error());
  auto& c = **codec;
  std::vector<std::int16_t> resampled;
  if (rate != c.sample_rate() && !pcm.empty()) {
    auto rs = codec::Resampler::create(rate, c.sample_rate());
    if (!rs) return std::unexpected(rs.error());
    resampled.resize(rs->max_output(pcm.size()) + rs->max_output(1024));
    auto p = rs->process(pcm, resampled);
    std::size_t n = p.produced;
    n += rs->flush(std::span<std::int16_t>(resampled).subspan(n));
    resampled.resize(n);
    pcm = resampled;
  }
  std::size_t spf = c.samples_per_frame(ptime);
  if (spf == 0) return fail(Errc::BadArgument, "ptime too short for the codec");
  std::size_t frames = (pcm.size() + spf - 1) / spf;
  auto out = std::make_shared<EncodedPrompt>();
  std::size_t max_payload = c.max_payload_size(spf);
  out->bytes.reserve(frames * std::min<std::size_t>(max_payload, spf * 2));
  out->offsets.reserve(frames + 1);
  out->offsets.push_back(0);
  std::vector<std::int16_t> frame(spf);
  std::vector<std::uint8_t> payload(max_payload);
  for (std::size_t i = 0; i < frames; ++i) {
    std::size_t n = std::min(spf, pcm.size() - i * spf);
    std::copy_n(pcm.begin() + static_cast<std::ptrdiff_t>(i * spf), n, frame.begin());
    std::fill(frame.begin() + static_cast<std::ptrdiff_t>(n), frame.end(), 0);
    std::size_t len = c.encode(frame, payload);
    if (len == 0) return fail(Errc::BadArgument, "codec refused the frame size");
    out->bytes.insert(out->bytes.end(), payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(len));
    out->offsets.push_back(static_cast<std::uint32_t>(out->bytes.size()));
  }
  out->bytes.shrink_to_fit();
  return std::shared_ptr<const EncodedPrompt>(std::move(out));
}

std::size_t PromptCache::KeyHash::operator()(const Key& k) const {
  std::size_t h = std::hash<const void*>{}(k.audio);
  h ^= std::hash<std::string>{}(k.codec) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  h ^= (static_cast<std::size_t>(k.clock_rate) << 16) ^ static_cast<std::size_t>(k.ptime_ms);
  return h;
}

Result<std::shared_ptr<const EncodedPrompt>> PromptCache::get(const std::shared_ptr<const tts::Audio>& audio,
                                                              const CodecParams& codec,
                                                              std::chrono::milliseconds ptime) {
  if (!audio) return fail(Errc::BadArgument, "no audio");
  Key key{audio.get(), codec.name, codec.clock_rate, ptime.count()};
  auto it = map_.find(key);
  if (it != map_.end()) {
    auto alive = it->second.audio.lock();
    if (alive == audio) {
      ++hits_;
      return it->second.encoded;
    }
    map_.erase(it);  // a freed prompt's address reused by a new one
  }
  ++misses_;
  auto enc = encode_prompt(audio->samples, audio->sample_rate, codec, ptime);
  if (!enc) return enc;
  map_.emplace(std::move(key), Entry{audio, *enc});
  return enc;
}

void PromptCache::sweep() {
  std::erase_if(map_, [](const auto& kv) { return kv.second.audio.expired(); });
}

std::size_t PromptCache::bytes() const {
  std::size_t n = 0;
  for (const auto& [k, e] : map_) n += e.encoded->bytes.size() + e.encoded->offsets.size() * 4;
  return n;
}

}  // namespace callwire::media::engine
