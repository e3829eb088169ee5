#include "media/engine/silence_detector.hpp"

#include <cmath>

namespace callwire::media::engine {

double SilenceDetector::rms(std::span<const std::int16_t> pcm) {
  if (pcm.empty()) return 0.0;
  double sum = 0.0;
  for (auto s : pcm) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(pcm.size()));
}

bool SilenceDetector::process(std::span<const std::int16_t> pcm) {
  bool silent = rms(pcm) < cfg_.threshold;
  if (silent) {
    silent_samples_ += pcm.size();
  } else {
    silent_samples_ = 0;
    heard_ = true;
  }
  return silent;
}

}  // namespace callwire::media::engine
