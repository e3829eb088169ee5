#pragma once
// Signal checks for bridge and transcoder tests.
#include <cmath>
#include <cstdint>
#include <span>

namespace bridge_test {

// Share of the signal's energy at `hz` (Goertzel): about 1 for a pure tone
// of that frequency, near 0 for noise or another tone.
inline double tone_ratio(std::span<const std::int16_t> x, double hz, double rate) {
  if (x.empty()) return 0;
  double c = 2 * std::cos(2 * M_PI * hz / rate), s1 = 0, s2 = 0, energy = 0;
  for (auto v : x) {
    double s = v + c * s1 - s2;
    s2 = s1;
    s1 = s;
    energy += static_cast<double>(v) * v;
  }
  double power = s1 * s1 + s2 * s2 - c * s1 * s2;
  if (energy <= 0) return 0;
  return power / (energy * static_cast<double>(x.size()) / 2);
}

// Root-mean-square of a - b relative to that of a (same length).
inline double relative_error(std::span<const std::int16_t> a, std::span<const std::int16_t> b) {
  double e = 0, s = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    double d = static_cast<double>(a[i]) - b[i];
    e += d * d;
    s += static_cast<double>(a[i]) * a[i];
  }
  return s > 0 ? std::sqrt(e / s) : 1;
}

}  // namespace bridge_test
