#include "media/codec/g711.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

namespace callwire::media::codec::g711 {
namespace {

// The ITU-T G.191 STL reference (g711.c), transcribed loop by loop, one
// sample at a time. It is the yardstick for the table-driven code.
std::uint8_t ref_ulaw_compress(std::int16_t x) {
  short absno = x < 0 ? ((~x) >> 2) + 33 : (x >> 2) + 33;
  if (absno > 0x1FFF) absno = 0x1FFF;
  short i = absno >> 6;
  short segno = 1;
  while (i != 0) {
    segno++;
    i >>= 1;
  }
  const short high_nibble = 0x0008 - segno;
  short low_nibble = (absno >> segno) & 0x000F;
  low_nibble = 0x000F - low_nibble;
  short out = (high_nibble << 4) | low_nibble;
  if (x >= 0) out |= 0x0080;
  return static_cast<std::uint8_t>(out);
}

std::int16_t ref_ulaw_expand(std::uint8_t code) {
  const short sign = code < 0x80 ? -1 : 1;
  short mantissa = ~code;
  const short exponent = (mantissa >> 4) & 0x0007;
  const short segment = exponent + 1;
  mantissa &= 0x000F;
  const short step = 4 << segment;
  return static_cast<std::int16_t>(sign * ((0x0080 << exponent) + step * mantissa + step / 2 - 4 * 33));
}

std::uint8_t ref_alaw_compress(std::int16_t x) {
  short ix = x < 0 ? (~x) >> 4 : x >> 4;
  if (ix > 15) {
    short iexp = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      iexp++;
    }
    ix -= 16;
    ix += iexp << 4;
  }
  if (x >= 0) ix |= 0x0080;
  return static_cast<std::uint8_t>(ix ^ 0x0055);
}

std::int16_t ref_alaw_expand(std::uint8_t code) {
  short ix = code ^ 0x0055;
  ix &= 0x007F;
  const short iexp = ix >> 4;
  short mant = ix & 0x000F;
  if (iexp > 0) mant = mant + 16;
  mant = (mant << 4) + 0x0008;
  if (iexp > 1) mant = mant << (iexp - 1);
  return static_cast<std::int16_t>(code > 127 ? mant : -mant);
}

TEST(G711, UlawEveryInputMatchesReference) {
  for (int v = -32768; v <= 32767; ++v) {
    const auto x = static_cast<std::int16_t>(v);
    const std::uint8_t code = linear_to_ulaw(x);
    ASSERT_EQ(code, ref_ulaw_compress(x)) << "input " << v;
    const int back = ulaw_to_linear(code);
    ASSERT_EQ(back, ref_ulaw_expand(code)) << "input " << v;
    // Round trip stays inside the quantisation step of the segment (largest 1024).
    ASSERT_LE(std::abs(back - v), 1024 / 2 + 132) << "input " << v;
  }
}

TEST(G711, AlawEveryInputMatchesReference) {
  for (int v = -32768; v <= 32767; ++v) {
    const auto x = static_cast<std::int16_t>(v);
    const std::uint8_t code = linear_to_alaw(x);
    ASSERT_EQ(code, ref_alaw_compress(x)) << "input " << v;
    const int back = alaw_to_linear(code);
    ASSERT_EQ(back, ref_alaw_expand(code)) << "input " << v;
    ASSERT_LE(std::abs(back - v), 1024 / 2 + 16) << "input " << v;
  }
}

TEST(G711, EveryCodeDecodesAndEncodesBack) {
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<std::uint8_t>(c);
    EXPECT_EQ(ulaw_to_linear(code), ref_ulaw_expand(code)) << c;
    EXPECT_EQ(alaw_to_linear(code), ref_alaw_expand(code)) << c;
    EXPECT_EQ(linear_to_alaw(alaw_to_linear(code)), code) << c;
    // µ-law's "negative zero" 0x7F decodes to 0, which encodes as 0xFF.
    if (c != 0x7F) {
      EXPECT_EQ(linear_to_ulaw(ulaw_to_linear(code)), code) << c;
    }
  }
  EXPECT_EQ(linear_to_ulaw(ulaw_to_linear(0x7F)), 0xFF);
}

TEST(G711, KnownValues) {
  EXPECT_EQ(linear_to_ulaw(0), 0xFF);
  EXPECT_EQ(linear_to_alaw(0), 0xD5);
  EXPECT_EQ(linear_to_ulaw(32767), 0x80);
  EXPECT_EQ(linear_to_ulaw(-32768), 0x00);
  EXPECT_EQ(linear_to_alaw(32767), 0xAA);
  EXPECT_EQ(linear_to_alaw(-32768), 0x2A);
  EXPECT_EQ(ulaw_to_linear(0x80), 32124);
  EXPECT_EQ(alaw_to_linear(0xAA), 32256);
}

TEST(G711, FrameFormsMatchSingleSamples) {
  std::vector<std::int16_t> pcm;
  for (int v = -32768; v <= 32767; v += 97) pcm.push_back(static_cast<std::int16_t>(v));
  std::vector<std::uint8_t> u(pcm.size()), a(pcm.size());
  std::vector<std::int16_t> du(pcm.size()), da(pcm.size());
  encode_ulaw(pcm, u);
  encode_alaw(pcm, a);
  decode_ulaw(u, du);
  decode_alaw(a, da);
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    ASSERT_EQ(u[i], linear_to_ulaw(pcm[i]));
    ASSERT_EQ(a[i], linear_to_alaw(pcm[i]));
    ASSERT_EQ(du[i], ulaw_to_linear(u[i]));
    ASSERT_EQ(da[i], alaw_to_linear(a[i]));
  }
}

}  // namespace
}  // namespace callwire::media::codec::g711
