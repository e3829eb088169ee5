#include "calls/ringback.hpp"

#include <cmath>
#include <numbers>
#include <string>

namespace callwire::calls {
namespace {

struct Cadence {
  double f1, f2;                      // Hz; f2 = 0 for a single tone
  std::vector<int> on_off_ms;         // on, off, on, off, ...
};

// ITU-T E.180 supplement 2 values for the common countries.
Cadence cadence_for(std::string_view c) {
  if (c == "uk" || c == "au" || c == "nz" || c == "ie") return {400, 450, {400, 200, 400, 2000}};
  if (c == "de" || c == "at" || c == "ch" || c == "nl" || c == "be" || c == "dk" || c == "se" || c == "no" ||
      c == "fi" || c == "cz" || c == "hu" || c == "pl" || c == "ee" || c == "lt" || c == "bg" || c == "gr" ||
      c == "it" || c == "pt" || c == "ru" || c == "il" || c == "in" || c == "za" || c == "es")
    return {425, 0, {1000, 4000}};
  if (c == "fr") return {440, 0, {1500, 3500}};
  if (c == "jp") return {400, 0, {1000, 2000}};
  return {440, 480, {2000, 4000}};  // North America (us, and the default)
}

}  // namespace

std::vector<std::int16_t> ringback_cycle(std::string_view country) {
  constexpr double kRate = 8000;
  constexpr double kAmplitude = 0.12 * 32767;  // about -19 dBm0 per tone: a quiet ring
  Cadence c = cadence_for(country);
  std::vector<std::int16_t> pcm;
  std::size_t n = 0;
  for (std::size_t part = 0; part < c.on_off_ms.size(); ++part) {
    std::size_t samples = static_cast<std::size_t>(c.on_off_ms[part] * kRate / 1000);
    bool on = part % 2 == 0;
    for (std::size_t i = 0; i < samples; ++i, ++n) {
      double t = static_cast<double>(n) / kRate;
      double v = 0;
      if (on) {
        v = std::sin(2 * std::numbers::pi * c.f1 * t);
        if (c.f2 > 0) v = (v + std::sin(2 * std::numbers::pi * c.f2 * t)) / 2;
      }
      pcm.push_back(static_cast<std::int16_t>(std::lround(v * kAmplitude)));
    }
  }
  return pcm;
}

}  // namespace callwire::calls
