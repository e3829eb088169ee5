#pragma once
// Streaming sample-rate conversion of mono PCM16 through speexdsp. State is
// allocated once at creation; process() never allocates. Output is aligned
// with the input (the filter delay is skipped at the start and drained by
// flush()), so N input samples give about N * out_rate / in_rate outputs.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/result.hpp"

struct SpeexResamplerState_;

namespace callwire::media::codec {

class Resampler {
 public:
  // Quality 0 (fastest) ... 10 (best); 3 is speexdsp's "VoIP" setting.
  static constexpr int kDefaultQuality = 3;

  [[nodiscard]] static Result<Resampler> create(std::uint32_t in_rate, std::uint32_t out_rate,
                                                int quality = kDefaultQuality);

  struct Progress {
    std::size_t consumed = 0;  // input samples used
    std::size_t produced = 0;  // output samples written
  };
  // Converts as much of `in` as fits in `out`.
  Progress process(std::span<const std::int16_t> in, std::span<std::int16_t> out);
  // At the end of a stream: writes the samples still held in the filter.
  std::size_t flush(std::span<std::int16_t> out);
  // Forgets the stream (a new one starts aligned again).
  void reset();

  // Output room that always suffices for `in_samples` input samples.
  std::size_t max_output(std::size_t in_samples) const;
  std::uint32_t in_rate() const { return in_rate_; }
  std::uint32_t out_rate() const { return out_rate_; }
  int quality() const { return quality_; }

 private:
  struct Free {
    void operator()(SpeexResamplerState_* s) const;
  };
  Resampler(SpeexResamplerState_* s, std::uint32_t in, std::uint32_t out, int q)
      : state_(s), in_rate_(in), out_rate_(out), quality_(q) {}

  Progress run(std::span<const std::int16_t> in, std::span<std::int16_t> out);

  std::unique_ptr<SpeexResamplerState_, Free> state_;  // null when the rates are equal
  std::uint64_t in_total_ = 0;   // since the stream started, to know what flush() owes
  std::uint64_t out_total_ = 0;
  std::uint32_t in_rate_;
  std::uint32_t out_rate_;
  int quality_;
};

// Converts a whole buffer at once (allocates the result; for prompts, not frames).
[[nodiscard]] Result<std::vector<std::int16_t>> resample(std::span<const std::int16_t> in, std::uint32_t in_rate,
                                                        std::uint32_t out_rate,
                                                        int quality = Resampler::kDefaultQuality);

}  // namespace callwire::media::codec
