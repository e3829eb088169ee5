#pragma once
// Energy-based silence detection on PCM16 frames, for Record's `timeout`
// (end after N seconds of silence) and trim-silence. A frame is silent when
// its RMS is below `threshold`; the detector counts the run of silent audio.
#include <chrono>
#include <cstdint>
#include <span>

namespace callwire::media::engine {

struct SilenceConfig {
  double threshold = 300.0;  // RMS in PCM16 units (about -40 dBFS)
  std::chrono::milliseconds timeout{5000};
};

class SilenceDetector {
 public:
  explicit SilenceDetector(const SilenceConfig& cfg = {}, std::uint32_t sample_rate = 8000)
      : cfg_(cfg), rate_(sample_rate) {}

  // Returns true when the frame is silent.
  bool process(std::span<const std::int16_t> pcm);
  // Silence lasted `timeout` since the last sound (or since the start).
  bool timed_out() const { return silent_samples_ * 1000 >= static_cast<std::uint64_t>(cfg_.timeout.count()) * rate_; }
  std::chrono::milliseconds silent_for() const {
    return std::chrono::milliseconds(rate_ ? silent_samples_ * 1000 / rate_ : 0);
  }
  bool heard_sound() const { return heard_; }
  void reset() { silent_samples_ = 0; heard_ = false; }

  static double rms(std::span<const std::int16_t> pcm);
  double threshold() const { return cfg_.threshold; }

 private:
  SilenceConfig cfg_;
  std::uint32_t rate_;
  std::uint64_t silent_samples_ = 0;
  bool heard_ = false;
};

}  // namespace callwire::media::engine
