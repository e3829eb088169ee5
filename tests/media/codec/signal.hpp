#pragma once
// Test signals and measurements shared by the codec tests.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <vector>

namespace callwire::media::codec::test {

inline std::vector<std::int16_t> sine(double hz, std::uint32_t rate, std::size_t samples, double amplitude = 8000) {
  std::vector<std::int16_t> v(samples);
  for (std::size_t i = 0; i < samples; ++i)
    v[i] = static_cast<std::int16_t>(std::lround(amplitude * std::sin(2 * std::numbers::pi * hz * i / rate)));
  return v;
}

inline double rms(std::span<const std::int16_t> s) {
  if (s.empty()) return 0;
  double sum = 0;
  for (auto x : s) sum += double(x) * x;
  return std::sqrt(sum / s.size());
}

// Strength of `hz` in `s` (single-bin DFT), normalised like an amplitude.
inline double tone_level(std::span<const std::int16_t> s, double hz, std::uint32_t rate) {
  double re = 0, im = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    re += s[i] * std::cos(2 * std::numbers::pi * hz * i / rate);
    im += s[i] * std::sin(2 * std::numbers::pi * hz * i / rate);
  }
  return 2 * std::sqrt(re * re + im * im) / s.size();
}

}  // namespace callwire::media::codec::test
