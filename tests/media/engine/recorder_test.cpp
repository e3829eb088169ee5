// Recorder, WAV header, silence detection and the prompt cache, without sockets.
#include <gtest/gtest.h>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"  // designated initializers of configs

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "media/engine/playback.hpp"
#include "media/engine/prompt_cache.hpp"
#include "media/engine/recorder.hpp"
#include "media/engine/silence_detector.hpp"

namespace ce = callwire::media::engine;
using namespace std::chrono_literals;

namespace {

std::vector<std::int16_t> sine(std::size_t n, double amp = 8000, double hz = 440, double rate = 8000) {
  std::vector<std::int16_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int16_t>(amp * std::sin(2 * M_PI * hz * i / rate));
  return v;
}

std::vector<std::uint8_t> read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

std::uint32_t le32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("cw_engine_") + std::to_string(::getpid()) + name))
      .string();
}

}  // namespace

TEST(WavHeader, CanonicalFields) {
  auto h = ce::wav_header(8000);
  std::vector<std::uint8_t> b(h.begin(), h.end());
  EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "RIFF");
  EXPECT_EQ(le32(b, 4), 36u + 16000u);
  EXPECT_EQ(std::string(b.begin() + 8, b.begin() + 16), "WAVEfmt ");
  EXPECT_EQ(le32(b, 24), 8000u);
  EXPECT_EQ(le32(b, 28), 16000u);
  EXPECT_EQ(le32(b, 40), 16000u);
}

TEST(SilenceDetector, TimesOutAfterSilenceOnly) {
  ce::SilenceDetector d({300.0, 1000ms}, 8000);
  std::vector<std::int16_t> quiet(160, 10);
  auto loud = sine(160);
  for (int i = 0; i < 49; ++i) EXPECT_TRUE(d.process(quiet));
  EXPECT_FALSE(d.timed_out());
  EXPECT_FALSE(d.process(loud));
  EXPECT_TRUE(d.heard_sound());
  for (int i = 0; i < 49; ++i) d.process(quiet);
  EXPECT_FALSE(d.timed_out());
  d.process(quiet);
  EXPECT_TRUE(d.timed_out());
  EXPECT_EQ(d.silent_for(), 1000ms);
}

TEST(Recorder, WritesExactLengthAcrossChunks) {
  auto path = temp_path("rec1.wav");
  auto rec = ce::Recorder::open({.path = path});
  ASSERT_TRUE(rec) << rec.error().what();
  auto tone = sine(160);
  for (int i = 0; i < 500; ++i) ASSERT_FALSE((*rec)->write(tone));  // 10 s, > 2 chunks
  auto info = (*rec)->finish(ce::RecordEnd::Stopped);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->samples, 80000u);
  EXPECT_EQ(info->duration, 10000ms);
  auto bytes = read_all(path);
  ASSERT_EQ(bytes.size(), 44u + 160000u);
  EXPECT_EQ(le32(bytes, 40), 160000u);
  EXPECT_EQ(static_cast<std::int16_t>(bytes[44 + 2] | (bytes[45 + 2] << 8)), tone[1]);
  std::filesystem::remove(path);
}

TEST(Recorder, MaxLengthEndsTheRecording) {
  auto path = temp_path("rec2.wav");
  auto rec = ce::Recorder::open({.path = path, .max_length = 1000ms});
  ASSERT_TRUE(rec);
  auto tone = sine(160);
  std::optional<ce::RecordEnd> end;
  int frames = 0;
  while (!end && frames < 1000) end = (*rec)->write(tone), ++frames;
  EXPECT_EQ(end, ce::RecordEnd::MaxLength);
  EXPECT_EQ(frames, 50);
  auto info = (*rec)->finish(*end);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->samples, 8000u);
  std::filesystem::remove(path);
}

TEST(Recorder, SilenceTimeoutAndTrim) {
  auto path = temp_path("rec3.wav");
  auto rec = ce::Recorder::open({.path = path, .trim_silence = true, .silence_timeout = 2000ms});
  ASSERT_TRUE(rec);
  std::vector<std::int16_t> quiet(160, 0);
  auto tone = sine(160);
  for (int i = 0; i < 25; ++i) ASSERT_FALSE((*rec)->write(quiet));  // 0.5 s leading silence
  for (int i = 0; i < 50; ++i) ASSERT_FALSE((*rec)->write(tone));   // 1 s of sound
  std::optional<ce::RecordEnd> end;
  int frames = 0;
  while (!end && frames < 500) end = (*rec)->write(quiet), ++frames;
  EXPECT_EQ(end, ce::RecordEnd::Silence);
  EXPECT_EQ(frames, 100);  // 2 s
  auto info = (*rec)->finish(*end);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->samples, 8000u);  // leading and trailing silence trimmed
  EXPECT_TRUE(info->heard_sound);
  EXPECT_EQ(read_all(path).size(), 44u + 16000u);
  std::filesystem::remove(path);
}

TEST(Recorder, ResamplesWidebandInput) {
  auto path = temp_path("rec4.wav");
  auto rec = ce::Recorder::open({.path = path, .input_rate = 16000});
  ASSERT_TRUE(rec);
  auto tone = sine(320, 8000, 440, 16000);
  for (int i = 0; i < 100; ++i) (*rec)->write(tone);
  auto info = (*rec)->finish(ce::RecordEnd::Stopped);
  ASSERT_TRUE(info);
  EXPECT_NEAR(static_cast<double>(info->samples), 16000.0, 160.0);
  std::filesystem::remove(path);
}

TEST(PromptCache, EncodesOncePerCodecAndForgetsFreedAudio) {
  ce::PromptCache cache;
  auto audio = std::make_shared<callwire::media::tts::Audio>();
  audio->samples = sine(1000);
  std::shared_ptr<const callwire::media::tts::Audio> shared = audio;
  auto a = cache.get(shared, {.name = "PCMU"}, 20ms);
  ASSERT_TRUE(a);
  EXPECT_EQ((*a)->frames(), 7u);  // 1000 samples → 6.25 frames, padded
  EXPECT_EQ((*a)->frame(0).size(), 160u);
  auto b = cache.get(shared, {.name = "PCMU"}, 20ms);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->get(), b->get());
  auto c = cache.get(shared, {.name = "PCMA"}, 20ms);
  ASSERT_TRUE(c);
  EXPECT_NE(a->get(), c->get());
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 2u);
  audio.reset();
  shared.reset();
  cache.sweep();
  EXPECT_EQ(cache.entries(), 0u);
}

TEST(PromptCache, ResamplesToTheCodecRate) {
  auto pcm = sine(16000, 8000, 440, 16000);  // 1 s at 16 kHz
  auto enc = ce::encode_prompt(pcm, 16000, {.name = "PCMU"}, 20ms);
  ASSERT_TRUE(enc);
  EXPECT_NEAR(static_cast<double>((*enc)->frames()), 50.0, 1.0);
}
