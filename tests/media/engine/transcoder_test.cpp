// Transcoder: decode → resample → re-encode in the outgoing ptime.
#include "media/engine/transcoder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bridge_test_util.hpp"
#include "media/codec/g711.hpp"

namespace ce = callwire::media::engine;
namespace codec = callwire::media::codec;
namespace g711 = callwire::media::codec::g711;
using namespace std::chrono_literals;
using bridge_test::relative_error;
using bridge_test::tone_ratio;

namespace {

std::vector<std::int16_t> tone(std::size_t n, double rate, double hz = 440, double amp = 8000) {
  std::vector<std::int16_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int16_t>(amp * std::sin(2 * M_PI * hz * i / rate));
  return v;
}

std::vector<std::uint8_t> ulaw(std::span<const std::int16_t> pcm) {
  std::vector<std::uint8_t> out(pcm.size());
  g711::encode_ulaw(pcm, out);
  return out;
}

const ce::CodecParams kPcmu{"PCMU", 8000, 1, ""};
const ce::CodecParams kPcma{"PCMA", 8000, 1, ""};
const ce::CodecParams kG722{"G722", 8000, 1, ""};
const ce::CodecParams kOpus{"opus", 48000, 2, ""};

}  // namespace

TEST(Transcoder, PcmuToPcmaOneFramePerPacket) {
  auto t = ce::Transcoder::create(kPcmu, kPcma, 20ms);
  ASSERT_TRUE(t) << t.error().what();
  auto pcm = tone(8000, 8000);
  std::vector<std::int16_t> out;
  for (std::size_t i = 0; i < 50; ++i) {
    auto enc = ulaw(std::span<const std::int16_t>(pcm).subspan(i * 160, 160));
    EXPECT_EQ((*t)->push(enc), 160u);
    auto f = (*t)->pop();
    ASSERT_EQ(f.size(), 160u) << i;
    std::vector<std::int16_t> dec(160);
    g711::decode_alaw(f, dec);
    out.insert(out.end(), dec.begin(), dec.end());
    EXPECT_TRUE((*t)->pop().empty());
  }
  EXPECT_EQ((*t)->frame_units(), 160u);
  EXPECT_LT(relative_error(pcm, out), 0.05);
}

TEST(Transcoder, DifferentPtimesBufferAndKeepEverySample) {
  auto t = ce::Transcoder::create(kPcmu, kPcma, 30ms);
  ASSERT_TRUE(t);
  auto pcm = tone(4800, 8000, 700);  // 30 packets of 20 ms → 20 frames of 30 ms
  std::vector<std::int16_t> out;
  std::size_t frames = 0;
  for (std::size_t i = 0; i < 30; ++i) {
    auto enc = ulaw(std::span<const std::int16_t>(pcm).subspan(i * 160, 160));
    ASSERT_EQ((*t)->push(enc), 160u);
    for (auto f = (*t)->pop(); !f.empty(); f = (*t)->pop()) {
      ASSERT_EQ(f.size(), 240u);
      std::vector<std::int16_t> dec(240);
      g711::decode_alaw(f, dec);
      out.insert(out.end(), dec.begin(), dec.end());
      ++frames;
    }
    EXPECT_LT((*t)->buffered(), 240u);
  }
  EXPECT_EQ(frames, 20u);
  EXPECT_EQ((*t)->frame_units(), 240u);
  EXPECT_LT(relative_error(pcm, out), 0.05);  // in order, no sample lost or shifted
}

TEST(Transcoder, ResamplesPcmuToG722) {
  auto t = ce::Transcoder::create(kPcmu, kG722, 20ms);
  ASSERT_TRUE(t) << t.error().what();
  auto dec = codec::make_codec("G722", 8000);
  ASSERT_TRUE(dec);
  auto pcm = tone(8000, 8000);
  std::vector<std::int16_t> out;
  for (std::size_t i = 0; i < 50; ++i) {
    auto enc = ulaw(std::span<const std::int16_t>(pcm).subspan(i * 160, 160));
    ASSERT_EQ((*t)->push(enc), 160u);
    auto f = (*t)->pop();
    ASSERT_EQ(f.size(), 160u) << i;  // 320 samples at 16 kHz, 4 bits each
    std::vector<std::int16_t> d(640);
    auto n = (*dec)->decode(f, d);
    ASSERT_TRUE(n);
    ASSERT_EQ(*n, 320u);
    out.insert(out.end(), d.begin(), d.begin() + 320);
  }
  EXPECT_EQ((*t)->frame_units(), 160u);  // G.722's RTP clock is 8000
  EXPECT_GT(tone_ratio(std::span<const std::int16_t>(out).subspan(1600), 440, 16000), 0.8);
  EXPECT_LT(tone_ratio(std::span<const std::int16_t>(out).subspan(1600), 1000, 16000), 0.05);
}

TEST(Transcoder, OpusToPcmuAcrossRates) {
  auto t = ce::Transcoder::create(kOpus, kPcmu, 20ms);
  ASSERT_TRUE(t) << t.error().what();
  auto enc = codec::make_codec("opus", 48000, 2);
  ASSERT_TRUE(enc);
  auto pcm = tone(48000, 48000);
  std::vector<std::uint8_t> buf((*enc)->max_payload_size(960));
  std::vector<std::int16_t> out;
  for (std::size_t i = 0; i < 50; ++i) {
    auto n = (*enc)->encode(std::span<const std::int16_t>(pcm).subspan(i * 960, 960), buf);
    ASSERT_GT(n, 0u);
    ASSERT_EQ((*t)->push(std::span<const std::uint8_t>(buf.data(), n)), 960u);  // 48 kHz timestamp units
    auto f = (*t)->pop();
    ASSERT_EQ(f.size(), 160u) << i;
    std::vector<std::int16_t> d(160);
    g711::decode_ulaw(f, d);
    out.insert(out.end(), d.begin(), d.end());
  }
  EXPECT_GT(tone_ratio(std::span<const std::int16_t>(out).subspan(1600), 440, 8000), 0.8);
}

TEST(Transcoder, UndecodablePayloadYieldsNothing) {
  auto t = ce::Transcoder::create(kPcmu, kPcma, 20ms);
  ASSERT_TRUE(t);
  EXPECT_EQ((*t)->push({}), 0u);
  EXPECT_TRUE((*t)->pop().empty());
  EXPECT_FALSE(ce::Transcoder::create({"L16", 8000, 1, ""}, kPcma, 20ms));
  EXPECT_FALSE(ce::Transcoder::create(kPcmu, kPcma, 0ms));
}
