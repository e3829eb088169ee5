// MP3 encoding: what LAME writes decodes back with libmpg123 to the same
// length (within one frame) and the same sound (a sine stays that sine at
// about its level), in the MPEG version the rate calls for; bad rates,
// bitrates and qualities are errors; encoders on several threads agree.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <thread>
#include <vector>

#include "media/mp3/encoder.hpp"
#include "media/mp3/mp3_decode.hpp"

namespace callwire::media::mp3 {
namespace {

using callwire::test::decode_mp3;
using callwire::test::DecodedMp3;
using callwire::test::rms;

std::vector<std::int16_t> sine(double hz, std::uint32_t rate, std::size_t samples, double amplitude = 8000) {
  std::vector<std::int16_t> s(samples);
  for (std::size_t i = 0; i < samples; ++i)
    s[i] = static_cast<std::int16_t>(std::lround(amplitude * std::sin(2 * std::numbers::pi * hz * i / rate)));
  return s;
}

// Share of the energy of s[from, to) that lies at `hz` (Goertzel).
double energy_share(const std::vector<std::int16_t>& s, std::size_t from, std::size_t to, double hz,
                    std::uint32_t rate) {
  const double w = 2 * std::numbers::pi * hz / rate;
  double s1 = 0, s2 = 0, total = 0;
  for (std::size_t i = from; i < to; ++i) {
    const double x = s[i];
    const double s0 = x + 2 * std::cos(w) * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const double power = s1 * s1 + s2 * s2 - 2 * std::cos(w) * s1 * s2;  // |X(hz)|²
  const double n = static_cast<double>(to - from);
  return total > 0 ? 2 * power / (n * total) : 0.0;
}

DecodedMp3 round_trip(const std::vector<std::int16_t>& pcm, std::uint32_t rate, const EncodeOptions& options = {}) {
  auto mp3 = encode_mp3(pcm, rate, options);
  EXPECT_TRUE(mp3.has_value()) << mp3.error().what();
  if (!mp3) return callwire::test::decode_failure("encode failed");
  auto d = decode_mp3(mp3->data(), mp3->size());
  EXPECT_EQ(d.error, "");
  return d;
}

TEST(Mp3Encoder, EightKhzSpeechRateIsMpeg25LayerThreeMonoCbr) {
  const auto pcm = sine(440, 8000, 16000);  // 2 s
  auto mp3 = encode_mp3(pcm, 8000);
  ASSERT_TRUE(mp3.has_value()) << mp3.error().what();
  // 2 s at 32 kbit/s is 8000 bytes; the Info frame, the codec's delay and
  // the last partial frame add a few frames of 288 bytes.
  EXPECT_GT(mp3->size(), 8000u);
  EXPECT_LT(mp3->size(), 8000u + 5 * 288);
  // Frame sync, MPEG-2.5 (version bits 00), layer III, no CRC: FF E3.
  ASSERT_GE(mp3->size(), 2u);
  EXPECT_EQ((*mp3)[0], 0xFF);
  EXPECT_EQ((*mp3)[1], 0xE3);

  const auto d = decode_mp3(mp3->data(), mp3->size());
  ASSERT_EQ(d.error, "");
  EXPECT_EQ(d.rate, 8000);
  EXPECT_EQ(d.channels, 1);
  EXPECT_EQ(d.version, MPG123_2_5);
  EXPECT_EQ(d.layer, 3);
  EXPECT_EQ(d.bitrate_kbps, 32);
  EXPECT_TRUE(d.cbr);
  // Gapless decoding gives back the input's length, within one frame.
  EXPECT_LE(std::abs(static_cast<long>(d.samples.size()) - static_cast<long>(pcm.size())), 576)
      << d.samples.size();
}

TEST(Mp3Encoder, ASineStaysTheSameSineAtAboutItsLevel) {
  for (const double hz : {300.0, 440.0, 1000.0, 2500.0}) {
    const auto pcm = sine(hz, 8000, 24000);
    const auto d = round_trip(pcm, 8000);
    ASSERT_GT(d.samples.size(), 20000u) << hz;
    // Away from the edges, where the codec's windows start and stop.
    const double in = rms(pcm, 2000, 20000);
    const double out = rms(d.samples, 2000, 20000);
    EXPECT_GT(out, in * 0.8) << hz << " Hz: " << out << " vs " << in;
    EXPECT_LT(out, in * 1.25) << hz << " Hz: " << out << " vs " << in;
    EXPECT_GT(energy_share(d.samples, 2000, 20000, hz, 8000), 0.9) << hz;
    // The same phase as the input: the delay was removed, not just the level kept.
    double dot = 0;
    for (std::size_t i = 2000; i < 20000; ++i) dot += static_cast<double>(pcm[i]) * d.samples[i];
    EXPECT_GT(dot / (in * out * 18000), 0.9) << hz << " Hz: output is not aligned with the input";
  }
}

TEST(Mp3Encoder, LengthsThatAreNotWholeFramesKeepTheirDuration) {
  for (const std::size_t n : {1u, 575u, 577u, 1200u, 8000u, 12345u}) {
    const auto d = round_trip(sine(440, 8000, n), 8000);
    EXPECT_LE(std::abs(static_cast<long>(d.samples.size()) - static_cast<long>(n)), 576) << n;
  }
}

TEST(Mp3Encoder, SilenceStaysSilent) {
  const auto d = round_trip(std::vector<std::int16_t>(8000, 0), 8000);
  EXPECT_LE(std::abs(static_cast<long>(d.samples.size()) - 8000), 576);
  EXPECT_LT(rms(d.samples), 5.0);
}

TEST(Mp3Encoder, EmptyInputIsAValidStreamWithoutAudio) {
  auto mp3 = encode_mp3({}, 8000);
  ASSERT_TRUE(mp3.has_value()) << mp3.error().what();
  const auto d = decode_mp3(mp3->data(), mp3->size());
  EXPECT_LE(d.samples.size(), 576u);
  EXPECT_LT(rms(d.samples), 5.0);
}

TEST(Mp3Encoder, HigherRatesPickTheirMpegVersion) {
  // 64 kbit/s: at 32 a 16 kHz frame (144 bytes) has no room for the Info frame.
  const auto wide = round_trip(sine(1000, 16000, 16000), 16000, {.bitrate_kbps = 64});
  EXPECT_EQ(wide.version, MPG123_2_0);
  EXPECT_EQ(wide.rate, 16000);
  EXPECT_LE(std::abs(static_cast<long>(wide.samples.size()) - 16000), 576);

  const auto full = round_trip(sine(1000, 44100, 44100), 44100, {.bitrate_kbps = 64});
  EXPECT_EQ(full.version, MPG123_1_0);
  EXPECT_EQ(full.rate, 44100);
  EXPECT_EQ(full.bitrate_kbps, 64);
  EXPECT_LE(std::abs(static_cast<long>(full.samples.size()) - 44100), 1152);  // MPEG-1 frames are 1152
  EXPECT_GT(energy_share(full.samples, 4410, 39690, 1000, 44100), 0.9);
}

TEST(Mp3Encoder, FramesTooSmallForTheInfoFrameStillDecodeButLonger) {
  // 16 kbit/s at 8 kHz: 144-byte frames, no Info frame, so no gapless trim;
  // the delay and padding come out as extra samples (under three frames).
  const auto pcm = sine(440, 8000, 8000);
  const auto d = round_trip(pcm, 8000, {.bitrate_kbps = 16});
  EXPECT_EQ(d.rate, 8000);
  EXPECT_EQ(d.bitrate_kbps, 16);
  EXPECT_GE(d.samples.size(), pcm.size());
  EXPECT_LT(d.samples.size(), pcm.size() + 3 * 576);
}

TEST(Mp3Encoder, RefusesWhatMp3CannotCarry) {
  const auto pcm = sine(440, 8000, 800);
  auto code = [&](std::uint32_t rate, EncodeOptions o) {
    auto r = encode_mp3(pcm, rate, o);
    return r ? std::error_code() : r.error().code;
  };
  EXPECT_EQ(code(8001, {}), make_error_code(Errc::BadSampleRate));
  EXPECT_EQ(code(96000, {}), make_error_code(Errc::BadSampleRate));
  EXPECT_EQ(code(0, {}), make_error_code(Errc::BadSampleRate));
  EXPECT_EQ(code(8000, {.bitrate_kbps = 33}), make_error_code(Errc::BadBitrate));
  EXPECT_EQ(code(8000, {.bitrate_kbps = 320}), make_error_code(Errc::BadBitrate));  // MPEG-1 only
  EXPECT_EQ(code(44100, {.bitrate_kbps = 8}), make_error_code(Errc::BadBitrate));   // MPEG-2 only
  EXPECT_EQ(code(8000, {.bitrate_kbps = 0}), make_error_code(Errc::BadBitrate));
  EXPECT_EQ(code(8000, {.quality = 10}), make_error_code(Errc::BadQuality));
  EXPECT_EQ(code(8000, {.quality = -1}), make_error_code(Errc::BadQuality));
  EXPECT_EQ(code(8000, {.bitrate_kbps = 16, .quality = 9}), std::error_code());
  EXPECT_EQ(code(48000, {.bitrate_kbps = 320, .quality = 0}), std::error_code());
}

TEST(Mp3Encoder, EncodersOnSeveralThreadsAgree) {
  const auto pcm = sine(700, 8000, 40000);
  std::vector<std::vector<std::uint8_t>> out(4);
  {
    std::vector<std::jthread> threads;
    for (auto& o : out)
      threads.emplace_back([&pcm, &o] {
        if (auto r = encode_mp3(pcm, 8000)) o = std::move(*r);
      });
  }
  ASSERT_FALSE(out[0].empty());
  for (std::size_t i = 1; i < out.size(); ++i) EXPECT_EQ(out[i], out[0]) << i;
}

}  // namespace
}  // namespace callwire::media::mp3
