// Untrusted bytes: every bad input is an audio error with the right alert,
// never a crash (the fuzz target goes further).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <random>

#include "media/audio/decoder.hpp"
#include "media/audio/wav_builder.hpp"

namespace callwire::media::audio {
namespace {

using test::pcm16_bytes;
using test::wav;

std::vector<std::uint8_t> fixture(const char* name) {
  std::string path = CALLWIRE_TEST_DATA;
  path.append("/data/").append(name);
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::uint8_t> text(std::string_view s) { return {s.begin(), s.end()}; }

void expect_error(const Result<Audio>& r, Errc errc, int alert) {
  ASSERT_FALSE(r) << "decoded " << r->samples.size() << " samples";
  EXPECT_EQ(r.error().code, make_error_code(errc)) << r.error().what();
  EXPECT_EQ(alert_code(r.error().code), alert);
}

TEST(DecoderErrors, NotAudioIs12300) {
  expect_error(decode_audio(text("<html>nope</html>"), "text/html", 8000), Errc::UnsupportedContentType, 12300);
  expect_error(decode_audio(text("<Response/>"), "", 8000), Errc::UnsupportedContentType, 12300);
  expect_error(decode_audio(text("plain"), "application/octet-stream", 8000), Errc::UnsupportedContentType, 12300);
}

TEST(DecoderErrors, BadAudioIs13420) {
  const auto garbage = text("this is not a wave file at all, just words");
  expect_error(decode_audio(garbage, "audio/wav", 8000), Errc::Corrupt, 13420);
  expect_error(decode_audio(garbage, "audio/mpeg", 8000), Errc::Corrupt, 13420);
  expect_error(decode_audio(garbage, "audio/aiff", 8000), Errc::Corrupt, 13420);
  expect_error(decode_audio({}, "audio/wav", 8000), Errc::Empty, 13420);
  expect_error(decode_audio(wav(1, 1, 8000, 16, {}), "audio/wav", 8000), Errc::Empty, 13420);
  // RIFF/WAVE with no fmt chunk at all.
  expect_error(decode_audio(text(std::string_view("RIFF\x04\0\0\0WAVE", 12)), "audio/wav", 8000), Errc::Corrupt, 13420);
}

TEST(DecoderErrors, Limits) {
  const auto two_seconds = wav(1, 1, 8000, 16, pcm16_bytes(std::vector<std::int16_t>(16000, 5)));
  DecodeLimits limits;
  limits.max_duration = std::chrono::seconds(1);
  expect_error(decode_audio(two_seconds, "audio/wav", 8000, limits), Errc::TooLong, 13420);
  limits.max_duration = std::chrono::seconds(3);
  EXPECT_TRUE(decode_audio(two_seconds, "audio/wav", 8000, limits));
  limits.max_input_bytes = 1000;
  expect_error(decode_audio(two_seconds, "audio/wav", 8000, limits), Errc::TooLarge, 13420);

  DecodeLimits few_channels;
  few_channels.max_channels = 2;
  const auto three = wav(1, 3, 8000, 16, pcm16_bytes(std::vector<std::int16_t>(30, 1)));
  expect_error(decode_audio(three, "audio/wav", 8000, few_channels), Errc::UnsupportedFormat, 13420);
  // A rate the resampler refuses.
  expect_error(decode_audio(wav(1, 1, 400, 16, pcm16_bytes({1, 2, 3, 4})), "audio/wav", 8000),
               Errc::UnsupportedFormat, 13420);
}

TEST(DecoderErrors, TargetRate) {
  const auto ok = wav(1, 1, 8000, 16, pcm16_bytes({1, 2}));
  expect_error(decode_audio(ok, "audio/wav", 7999), Errc::BadTargetRate, 12400);
  expect_error(decode_audio(ok, "audio/wav", 48001), Errc::BadTargetRate, 12400);
  EXPECT_EQ(alert_code(std::make_error_code(std::errc::invalid_argument)), 0);
}

// Every prefix decodes or fails cleanly; what decodes never exceeds the whole.
void every_prefix(const std::vector<std::uint8_t>& whole, const char* type, std::size_t step) {
  const auto full = decode_audio(whole, type, 8000);
  ASSERT_TRUE(full) << full.error().what();
  for (std::size_t n = 0; n < whole.size(); n += step) {
    const auto r = decode_audio(std::span(whole).first(n), type, 8000);
    if (r) {
      EXPECT_LE(r->samples.size(), full->samples.size() + 2) << n;
    } else {
      EXPECT_EQ(r.error().code.category(), audio_category()) << n;
    }
  }
}

TEST(DecoderErrors, TruncatedFiles) {
  every_prefix(wav(1, 2, 22050, 16, pcm16_bytes(std::vector<std::int16_t>(2000, 100))), "audio/wav", 1);
  every_prefix(wav(7, 1, 8000, 8, std::vector<std::uint8_t>(500, 0x55)), "audio/wav", 1);
  every_prefix(fixture("tone_22050_mono.mp3"), "audio/mpeg", 1);
  // A truncated MP3 keeps what decoded: more bytes, no fewer samples.
  const auto mp3 = fixture("tone_22050_mono.mp3");
  const auto half = decode_audio(std::span(mp3).first(mp3.size() / 2), "audio/mpeg", 8000);
  ASSERT_TRUE(half) << half.error().what();
  EXPECT_GT(half->samples.size(), 1000u);
}

TEST(DecoderErrors, MutatedFiles) {
  std::mt19937 rng(12345);
  const std::vector<std::pair<std::vector<std::uint8_t>, const char*>> seeds{
      {wav(1, 2, 22050, 16, pcm16_bytes(std::vector<std::int16_t>(400, -7))), "audio/wav"},
      {wav(3, 1, 16000, 32, std::vector<std::uint8_t>(400, 0x3f)), "audio/wav"},
      {fixture("tone_22050_mono.mp3"), "audio/mpeg"},
  };
  for (const auto& [seed, type] : seeds) {
    for (int i = 0; i < 300; ++i) {
      auto bytes = seed;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int f = 0; f < flips; ++f) {
        // Bias towards the headers, where the lengths and counts live.
        const std::size_t at = rng() % 2 ? rng() % std::min<std::size_t>(64, bytes.size()) : rng() % bytes.size();
        bytes[at] = static_cast<std::uint8_t>(rng());
      }
      const auto r = decode_audio(bytes, type, 8000);
      if (r) {
        EXPECT_LE(r->samples.size(), 3600u * 8000);
      } else {
        EXPECT_EQ(r.error().code.category(), audio_category());
      }
    }
  }
}

}  // namespace
}  // namespace callwire::media::audio
