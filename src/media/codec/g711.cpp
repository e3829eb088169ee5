#include "media/codec/g711.hpp"

#include <array>
#include <cstddef>

namespace callwire::media::codec::g711 {

namespace {

// Decoders from the G.711 tables: segment (exponent) and 4-bit step.
constexpr std::int16_t ulaw_decode_one(std::uint8_t code) {
  const int inverted = ~code & 0xFF;
  const int exponent = (inverted >> 4) & 0x07;
  const int mantissa = inverted & 0x0F;
  // Biased magnitude: (33 + 2*mantissa + 1) << exponent, minus the bias 33, in 14-bit units.
  const int magnitude = (((2 * mantissa + 33) << exponent) - 33) * 4;
  return static_cast<std::int16_t>((code & 0x80) ? magnitude : -magnitude);
}

constexpr std::int16_t alaw_decode_one(std::uint8_t code) {
  const int v = code ^ 0x55;
  const int exponent = (v >> 4) & 0x07;
  const int mantissa = v & 0x0F;
  // Segment 0 and 1 share the step size; above that the step doubles.
  int magnitude = exponent == 0 ? (2 * mantissa + 1) : ((2 * mantissa + 33) << (exponent - 1));
  magnitude *= 8;  // 13-bit units to 16-bit
  return static_cast<std::int16_t>((v & 0x80) ? magnitude : -magnitude);
}

// Encoders indexed by the 14-bit (µ-law) / 13-bit (A-law) two's-complement
// value. A negative input x is taken as magnitude ~x, as G.191 does.
constexpr std::uint8_t ulaw_encode_index(int value14) {
  const bool negative = value14 < 0;
  int biased = (negative ? ~value14 : value14) + 33;
  if (biased > 0x1FFF) biased = 0x1FFF;
  int exponent = 0;
  while (exponent < 7 && biased >= (0x40 << exponent)) ++exponent;
  const int mantissa = (biased >> (exponent + 1)) & 0x0F;
  const int code = ~((exponent << 4) | mantissa) & 0x7F;
  return static_cast<std::uint8_t>(negative ? code : (code | 0x80));
}

constexpr std::uint8_t alaw_encode_index(int value13) {
  const bool negative = value13 < 0;
  const int magnitude = (negative ? ~value13 : value13) >> 1;  // 0..2047 (12 bits)
  int code = magnitude;  // segment 0: linear, step 1 (in 12-bit units)
  if (magnitude >= 16) {
    int shift = 0;
    while ((magnitude >> shift) > 31) ++shift;
    code = ((shift + 1) << 4) | ((magnitude >> shift) & 0x0F);
  }
  if (!negative) code |= 0x80;
  return static_cast<std::uint8_t>(code ^ 0x55);
}

template <std::size_t N, class F>
constexpr auto make_table(F f, int offset) {
  std::array<decltype(f(0)), N> t{};
  for (std::size_t i = 0; i < N; ++i) t[i] = f(static_cast<int>(i) - offset);
  return t;
}

constexpr auto kUlawEncode = make_table<16384>(ulaw_encode_index, 8192);
constexpr auto kAlawEncode = make_table<8192>(alaw_encode_index, 4096);
constexpr auto kUlawDecode = make_table<256>([](int c) { return ulaw_decode_one(static_cast<std::uint8_t>(c)); }, 0);
constexpr auto kAlawDecode = make_table<256>([](int c) { return alaw_decode_one(static_cast<std::uint8_t>(c)); }, 0);

static_assert(kUlawDecode[0x80] == 32124 && kUlawDecode[0xFF] == 0 && kUlawDecode[0x00] == -32124);
static_assert(kAlawDecode[0xAA] == 32256 && kAlawDecode[0xD5] == 8 && kAlawDecode[0x55] == -8);

}  // namespace

std::uint8_t linear_to_ulaw(std::int16_t s) { return kUlawEncode[(s >> 2) + 8192]; }
std::int16_t ulaw_to_linear(std::uint8_t c) { return kUlawDecode[c]; }
std::uint8_t linear_to_alaw(std::int16_t s) { return kAlawEncode[(s >> 3) + 4096]; }
std::int16_t alaw_to_linear(std::uint8_t c) { return kAlawDecode[c]; }

void encode_ulaw(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  for (std::size_t i = 0; i < pcm.size(); ++i) out[i] = kUlawEncode[(pcm[i] >> 2) + 8192];
}
void decode_ulaw(std::span<const std::uint8_t> codes, std::span<std::int16_t> out) {
  for (std::size_t i = 0; i < codes.size(); ++i) out[i] = kUlawDecode[codes[i]];
}
void encode_alaw(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  for (std::size_t i = 0; i < pcm.size(); ++i) out[i] = kAlawEncode[(pcm[i] >> 3) + 4096];
}
void decode_alaw(std::span<const std::uint8_t> codes, std::span<std::int16_t> out) {
  for (std::size_t i = 0; i < codes.size(); ++i) out[i] = kAlawDecode[codes[i]];
}

}  // namespace callwire::media::codec::g711
