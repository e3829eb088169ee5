#pragma once
// Internal to decoding: collects interleaved PCM16 as it is decoded,
// downmixes it to mono, resamples it as it goes (so a 48 kHz stereo hour
// never exists in memory at its source rate) and enforces the duration
// limit on the output.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "media/audio/decoder.hpp"
#include "media/codec/resampler.hpp"

namespace callwire::media::audio {

class MonoSink {
 public:
  MonoSink(std::uint32_t out_rate, const DecodeLimits& limits);

  // Starts (or switches to, for an MP3 that changes mid-stream) input at
  // `in_rate` with `channels` interleaved channels.
  [[nodiscard]] Status set_input(std::uint32_t in_rate, int channels);
  // Room to reserve, from a header's frame count (capped by the limit).
  void expect_frames(std::uint64_t frames);
  [[nodiscard]] Status push(std::span<const std::int16_t> interleaved);
  [[nodiscard]] Result<Audio> finish();

 private:
  [[nodiscard]] Status drain_resampler();
  [[nodiscard]] Status append(std::span<const std::int16_t> mono);

  std::uint32_t out_rate_;
  std::size_t max_out_samples_;
  int max_channels_;
  int channels_ = 0;
  std::optional<codec::Resampler> resampler_;
  std::vector<std::int16_t> mono_;     // one chunk, downmixed
  std::vector<std::int16_t> scratch_;  // one chunk, resampled
  std::vector<std::int16_t> out_;
};

}  // namespace callwire::media::audio
