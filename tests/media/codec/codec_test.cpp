#include "media/codec/codec.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "media/codec/errc.hpp"
#include "media/codec/fmtp.hpp"
#include "media/codec/g711.hpp"
#include "media/codec/opus_codec.hpp"
#include "media/codec/signal.hpp"

namespace callwire::media::codec {
namespace {

using namespace std::chrono_literals;

TEST(CodecFactory, KnownNamesAndRates) {
  struct Case {
    const char* name;
    std::uint32_t clock;
    unsigned channels;
    std::uint32_t sample_rate;
    std::size_t frame20;
    std::uint32_t ts20;
  } cases[] = {
      {"PCMU", 8000, 1, 8000, 160, 160},  {"pcma", 8000, 1, 8000, 160, 160},
      {"G722", 8000, 1, 16000, 320, 160}, {"opus", 48000, 2, 48000, 960, 960},
      {"OPUS", 48000, 1, 48000, 960, 960}, {"PCMU", 8000, 0, 8000, 160, 160},
  };
  for (const auto& c : cases) {
    auto codec = make_codec(c.name, c.clock, c.channels, "");
    ASSERT_TRUE(codec) << c.name << ": " << codec.error().what();
    EXPECT_EQ((*codec)->clock_rate(), c.clock) << c.name;
    EXPECT_EQ((*codec)->sample_rate(), c.sample_rate) << c.name;
    const std::size_t frame = (*codec)->samples_per_frame(20ms);
    EXPECT_EQ(frame, c.frame20) << c.name;
    EXPECT_EQ((*codec)->timestamp_units(frame), c.ts20) << c.name;
  }
}

TEST(CodecFactory, Refusals) {
  auto unknown = make_codec("G729", 8000, 1, "");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::UnknownCodec);
  auto rate = make_codec("PCMU", 16000, 1, "");
  ASSERT_FALSE(rate);
  EXPECT_EQ(rate.error().code, Errc::BadClockRate);
  auto opus_rate = make_codec("opus", 8000, 2, "");
  ASSERT_FALSE(opus_rate);
  EXPECT_EQ(opus_rate.error().code, Errc::BadClockRate);
  auto stereo = make_codec("PCMA", 8000, 2, "");
  ASSERT_FALSE(stereo);
  EXPECT_EQ(stereo.error().code, Errc::BadChannels);
}

TEST(G711Codec, EncodesAndDecodesFrames) {
  for (const char* name : {"PCMU", "PCMA"}) {
    auto codec = make_codec(name, 8000);
    ASSERT_TRUE(codec);
    const auto pcm = test::sine(440, 8000, 160);
    std::vector<std::uint8_t> payload((*codec)->max_payload_size(pcm.size()));
    ASSERT_EQ((*codec)->encode(pcm, payload), 160u);
    EXPECT_EQ(payload[5], name[3] == 'U' ? g711::linear_to_ulaw(pcm[5]) : g711::linear_to_alaw(pcm[5]));
    std::vector<std::int16_t> out(160);
    auto n = (*codec)->decode(payload, out);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 160u);
    for (std::size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], pcm[i], 260) << name << " " << i;
    std::vector<std::uint8_t> small(10);
    EXPECT_EQ((*codec)->encode(pcm, small), 0u);
    std::vector<std::int16_t> tiny(10);
    EXPECT_FALSE((*codec)->decode(payload, tiny));
  }
}

// Runs `seconds` of a tone through encode+decode in 20 ms frames and returns
// what came out.
std::vector<std::int16_t> round_trip(Codec& codec, double hz, double seconds) {
  const std::size_t frame = codec.samples_per_frame(20ms);
  const auto pcm = test::sine(hz, codec.sample_rate(), static_cast<std::size_t>(codec.sample_rate() * seconds));
  std::vector<std::uint8_t> payload(codec.max_payload_size(frame));
  std::vector<std::int16_t> decoded(frame * 6), out;
  for (std::size_t at = 0; at + frame <= pcm.size(); at += frame) {
    const std::size_t bytes = codec.encode(std::span(pcm).subspan(at, frame), payload);
    EXPECT_GT(bytes, 0u);
    auto n = codec.decode(std::span(payload).first(bytes), decoded);
    EXPECT_TRUE(n);
    if (!n) break;
    EXPECT_EQ(*n, frame);
    out.insert(out.end(), decoded.begin(), decoded.begin() + static_cast<std::ptrdiff_t>(*n));
  }
  return out;
}

TEST(G722Codec, RoundTripKeepsWidebandTone) {
  auto codec = make_codec("G722", 8000);
  ASSERT_TRUE(codec);
  EXPECT_EQ((*codec)->max_payload_size(320), 160u);
  // 5 kHz only exists in wideband audio; G.722 must carry it.
  const auto out = round_trip(**codec, 5000, 1.0);
  ASSERT_EQ(out.size(), 16000u);
  const auto steady = std::span(out).subspan(4000, 8000);
  EXPECT_NEAR(test::tone_level(steady, 5000, 16000), 8000, 2000);
  EXPECT_LT(test::tone_level(steady, 3000, 16000), 400);
}

TEST(OpusCodec, RoundTripKeepsTone) {
  auto codec = make_codec("opus", 48000, 2, "useinbandfec=1; maxplaybackrate=16000");
  ASSERT_TRUE(codec);
  EXPECT_EQ((*codec)->rtpmap_channels(), 2u);
  const auto out = round_trip(**codec, 1000, 1.0);
  ASSERT_EQ(out.size(), 48000u);
  const auto steady = std::span(out).subspan(12000, 24000);
  EXPECT_NEAR(test::tone_level(steady, 1000, 48000), 8000, 2500);
  std::vector<std::int16_t> lost(960);
  EXPECT_EQ((*codec)->conceal(lost), 960u);
}

// Level of the frame rebuilt for a lost packet 20 of a stream that is silent
// until a tone starts exactly at packet 20.
double rebuilt_level(std::string_view fmtp) {
  auto codec = OpusCodec::create(OpusSettings::from_fmtp(fmtp));
  EXPECT_TRUE(codec);
  if (!codec) return 0;
  std::vector<std::int16_t> pcm(960 * 30);
  const auto tone = test::sine(400, 48000, 960 * 10);
  std::copy(tone.begin(), tone.end(), pcm.begin() + 960 * 20);
  std::vector<std::vector<std::uint8_t>> packets;
  for (std::size_t at = 0; at < pcm.size(); at += 960) {
    std::vector<std::uint8_t> p(1275);
    p.resize((*codec)->encode(std::span(pcm).subspan(at, 960), p));
    EXPECT_FALSE(p.empty());
    packets.push_back(std::move(p));
  }
  std::vector<std::int16_t> out(960);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE((*codec)->decode(packets[i], out));
  auto rebuilt = (*codec)->decode_fec(packets[21], out);
  EXPECT_TRUE(rebuilt);
  if (!rebuilt) return 0;
  EXPECT_EQ(*rebuilt, 960u);
  return test::tone_level(std::span(out).subspan(480), 400, 48000);
}

TEST(OpusCodec, InbandFecRebuildsALostFrame) {
  EXPECT_TRUE(OpusSettings::from_fmtp("useinbandfec=1").inband_fec);
  // With FEC the tone of the lost frame comes back; without it, concealment
  // can only continue the silence before it.
  const double with_fec = rebuilt_level("useinbandfec=1");
  const double without = rebuilt_level("");
  EXPECT_GT(with_fec, 2000);
  EXPECT_LT(without, 1000);
}

TEST(OpusCodec, BandwidthCapRemovesHighTones) {
  // maxplaybackrate=8000 asks for narrowband: a 6 kHz tone must not arrive.
  auto narrow = make_codec("opus", 48000, 2, "maxplaybackrate=8000");
  auto full = make_codec("opus", 48000, 2, "");
  ASSERT_TRUE(narrow && full);
  const auto n = round_trip(**narrow, 6000, 0.6);
  const auto f = round_trip(**full, 6000, 0.6);
  const auto ns = std::span(n).subspan(9600), fs = std::span(f).subspan(9600);
  EXPECT_LT(test::tone_level(ns, 6000, 48000), 800);
  EXPECT_GT(test::tone_level(fs, 6000, 48000), 4000);
}

TEST(OpusCodec, RejectsGarbageAndBadFrameSizes) {
  auto codec = make_codec("opus", 48000, 2);
  ASSERT_TRUE(codec);
  std::vector<std::int16_t> out(960);
  const std::uint8_t empty[1] = {};
  EXPECT_FALSE((*codec)->decode(std::span(empty, 0), out));
  // TOC byte announcing code 3 with a frame count of zero: invalid.
  const std::uint8_t bad[] = {0x03, 0x00};
  auto r = (*codec)->decode(bad, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::CorruptPayload);
  std::vector<std::int16_t> odd(100);
  std::vector<std::uint8_t> payload(1275);
  EXPECT_EQ((*codec)->encode(odd, payload), 0u);
}

TEST(Fmtp, ReadsParameters) {
  const std::string_view f = " maxplaybackrate=16000;Stereo = 0 ; useinbandfec=1;bad; =x;cbr=abc";
  EXPECT_EQ(fmtp_value(f, "stereo"), "0");
  EXPECT_EQ(fmtp_uint(f, "MAXPLAYBACKRATE"), 16000u);
  EXPECT_EQ(fmtp_uint(f, "useinbandfec"), 1u);
  EXPECT_FALSE(fmtp_value(f, "bad"));
  EXPECT_FALSE(fmtp_uint(f, "cbr"));
  EXPECT_FALSE(fmtp_value("", "x"));
  EXPECT_FALSE(fmtp_uint("a=", "a"));
  EXPECT_EQ(fmtp_value("0-16", "0-16"), std::nullopt);

  const auto s = OpusSettings::from_fmtp("maxplaybackrate=8000;useinbandfec=1;usedtx=1;cbr=1;maxaveragebitrate=20000");
  EXPECT_EQ(s.max_playback_rate, 8000u);
  EXPECT_TRUE(s.inband_fec);
  EXPECT_TRUE(s.dtx);
  EXPECT_TRUE(s.cbr);
  EXPECT_EQ(s.max_average_bitrate, 20000u);
  const auto d = OpusSettings::from_fmtp("maxplaybackrate=99999999999999999999;maxaveragebitrate=5");
  EXPECT_EQ(d.max_playback_rate, 48000u);
  EXPECT_EQ(d.max_average_bitrate, 0u);
  EXPECT_FALSE(d.inband_fec);
}

}  // namespace
}  // namespace callwire::media::codec
