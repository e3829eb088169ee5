#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "media/codec/dtmf_detector.hpp"
#include "media/codec/errc.hpp"
#include "media/codec/signal.hpp"
#include "media/codec/tone_generator.hpp"

namespace callwire::media::codec {
namespace {

using namespace std::chrono_literals;

// Everything the generator produces, in 20 ms frames.
std::vector<std::int16_t> drain(ToneGenerator& gen, std::size_t frame) {
  std::vector<std::int16_t> all, buf(frame);
  for (int guard = 0; guard < 100000 && !gen.done(); ++guard) {
    const std::size_t n = gen.generate(buf);
    all.insert(all.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    if (n < frame) break;
  }
  return all;
}

std::string detect(std::span<const std::int16_t> pcm) {
  std::string got;
  auto det = DtmfDetector::create([&](char d) { got += d; });
  EXPECT_TRUE(det);
  for (std::size_t at = 0; at < pcm.size(); at += 160) det->process(pcm.subspan(at, std::min<std::size_t>(160, pcm.size() - at)));
  // Trailing silence lets the detector confirm the last key release.
  std::vector<std::int16_t> silence(160);
  for (int i = 0; i < 10; ++i) det->process(silence);
  return got;
}

TEST(Dtmf, EachDigitIsDetectedBack) {
  for (char d : std::string("0123456789*#ABCD")) {
    auto gen = ToneGenerator::dtmf(std::string(1, d));
    ASSERT_TRUE(gen);
    const auto pcm = drain(*gen, 160);
    EXPECT_NEAR(static_cast<double>(pcm.size()), 1600, 160) << d;  // 100 ms on + 100 ms off
    EXPECT_EQ(detect(pcm), std::string(1, d)) << d;
  }
}

TEST(Dtmf, SequenceIsDetectedInOrder) {
  auto gen = ToneGenerator::dtmf("159#*0d", DtmfTiming{60ms, 60ms});
  ASSERT_TRUE(gen);
  EXPECT_EQ(detect(drain(*gen, 160)), "159#*0D");
}

TEST(Dtmf, SilenceAndSpeechLikeToneDetectNothing) {
  std::vector<std::int16_t> silence(8000);
  EXPECT_EQ(detect(silence), "");
  const auto tone = test::sine(1000, 8000, 8000);
  EXPECT_EQ(detect(tone), "");
}

TEST(Dtmf, RejectsInvalidDigits) {
  auto gen = ToneGenerator::dtmf("12x");
  ASSERT_FALSE(gen);
  EXPECT_EQ(gen.error().code, Errc::BadDigits);
  EXPECT_FALSE(ToneGenerator::dtmf(std::string(129, '1')));
}

TEST(Dtmf, GeneratesAtOtherRates) {
  auto gen = ToneGenerator::dtmf("5", {}, 16000);
  ASSERT_TRUE(gen);
  EXPECT_EQ(gen->sample_rate(), 16000u);
  const auto pcm = drain(*gen, 320);
  EXPECT_NEAR(static_cast<double>(pcm.size()), 3200, 330);
  // '5' is 770 Hz + 1336 Hz.
  const auto on = std::span(pcm).subspan(200, 1200);
  EXPECT_GT(test::tone_level(on, 770, 16000), 1000);
  EXPECT_GT(test::tone_level(on, 1336, 16000), 1000);
  EXPECT_LT(test::tone_level(on, 1000, 16000), 300);
}

TEST(Beep, OneKilohertzForHalfASecond) {
  for (std::uint32_t rate : {8000u, 16000u, 48000u}) {
    auto gen = ToneGenerator::beep(1000, 500ms, rate);
    ASSERT_TRUE(gen) << rate;
    const auto pcm = drain(*gen, rate / 50);
    EXPECT_NEAR(static_cast<double>(pcm.size()), rate / 2, rate / 100.0) << rate;
    const auto middle = std::span(pcm).subspan(pcm.size() / 4, pcm.size() / 2);
    EXPECT_GT(test::tone_level(middle, 1000, rate), 2000) << rate;
    EXPECT_LT(test::tone_level(middle, 1500, rate), 200) << rate;
    EXPECT_TRUE(gen->done());
    std::vector<std::int16_t> more(10);
    EXPECT_EQ(gen->generate(more), 0u);
  }
  EXPECT_FALSE(ToneGenerator::beep(5000));
}

}  // namespace
}  // namespace callwire::media::codec
