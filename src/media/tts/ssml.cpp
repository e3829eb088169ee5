#include "media/tts/ssml.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace callwire::media::tts {

namespace {

// Parses a decimal number with an optional sign followed by `unit`.
bool number_with_unit(std::string_view s, std::string_view unit, double& value) {
  if (!s.ends_with(unit)) return false;
  s.remove_suffix(unit.size());
  if (s.starts_with('+')) s.remove_prefix(1);
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc{} && end == s.data() + s.size() && std::isfinite(value);
}

struct Named {
  std::string_view name;
  double value;
};

template <std::size_t N>
bool named(std::string_view s, const Named (&table)[N], double& value) {
  for (const auto& row : table)
    if (row.name == s) {
      value = row.value;
      return true;
    }
  return false;
}

constexpr Named kStrength[] = {{"none", 0},       {"x-weak", 100},  {"weak", 250},
                               {"medium", 400},   {"strong", 750},  {"x-strong", 1200}};
constexpr Named kRate[] = {{"x-slow", 0.6}, {"slow", 0.8}, {"medium", 1.0}, {"fast", 1.25}, {"x-fast", 1.5},
                           {"default", 1.0}};
constexpr Named kPitch[] = {{"x-low", 20}, {"low", 35}, {"medium", 50}, {"high", 65}, {"x-high", 80},
                            {"default", 50}};
constexpr Named kVolume[] = {{"silent", 0},  {"x-soft", 40},  {"soft", 70},    {"medium", 100},
                             {"loud", 140},  {"x-loud", 180}, {"default", 100}};

constexpr auto kMaxBreak = std::chrono::milliseconds{10000};

}  // namespace

std::chrono::milliseconds break_length(const Piece& piece, std::vector<std::string>& warnings) {
  using std::chrono::milliseconds;
  double v = 0;
  if (!piece.time.empty()) {
    double ms = -1;
    if (number_with_unit(piece.time, "ms", v)) ms = v;
    else if (number_with_unit(piece.time, "s", v)) ms = v * 1000;
    if (ms >= 0) return std::min(milliseconds(std::lround(ms)), kMaxBreak);
    warnings.push_back("break time '" + piece.time + "' not understood");
  }
  if (piece.strength.empty()) return milliseconds{400};
  if (named(piece.strength, kStrength, v)) return milliseconds(static_cast<long>(v));
  warnings.push_back("break strength '" + piece.strength + "' not understood");
  return milliseconds{400};
}

Prosody prosody_for(const Piece& piece, std::vector<std::string>& warnings) {
  Prosody p;
  double rate = 1.0, pitch = 50, volume = 100, v = 0;

  if (piece.emphasis == "strong") rate = 0.85, volume = 125, pitch = 56;
  else if (piece.emphasis == "moderate") rate = 0.92, volume = 110, pitch = 53;
  else if (piece.emphasis == "reduced") rate = 1.05, volume = 80, pitch = 46;
  else if (!piece.emphasis.empty() && piece.emphasis != "none")
    warnings.push_back("emphasis level '" + piece.emphasis + "' not understood");

  if (!piece.rate.empty()) {
    if (named(piece.rate, kRate, v)) rate *= v;
    else if (number_with_unit(piece.rate, "%", v) && v > 0) rate *= v / 100;
    else warnings.push_back("prosody rate '" + piece.rate + "' not understood");
  }
  if (!piece.pitch.empty()) {
    if (named(piece.pitch, kPitch, v)) pitch = v;
    else if (number_with_unit(piece.pitch, "%", v)) pitch *= 1 + v / 100;
    else warnings.push_back("prosody pitch '" + piece.pitch + "' not understood");
  }
  if (!piece.volume.empty()) {
    if (named(piece.volume, kVolume, v)) volume = v;
    else if (number_with_unit(piece.volume, "dB", v)) volume *= std::pow(10.0, v / 20);
    else warnings.push_back("prosody volume '" + piece.volume + "' not understood");
  }
  p.rate_wpm = static_cast<int>(std::clamp(175 * rate, 80.0, 450.0));
  p.pitch = static_cast<int>(std::clamp(pitch, 0.0, 100.0));
  p.volume = static_cast<int>(std::clamp(volume, 0.0, 200.0));
  return p;
}

std::string spoken_text(const Piece& piece) {
  const std::string_view as = piece.say_as;
  if (as != "digits" && as != "characters" && as != "spell-out" && as != "telephone") return piece.text;
  std::string out;
  for (std::size_t i = 0; i < piece.text.size(); ++i) {
    char c = piece.text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');  // letter names, not words
    if (!out.empty() && (static_cast<unsigned char>(c) & 0xC0) != 0x80) out += ' ';
    out += c;  // UTF-8 continuation bytes stay with their character
  }
  return out;
}

}  // namespace callwire::media::tts
