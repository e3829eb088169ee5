#include "media/audio/decoder.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <numbers>

#include "media/audio/wav_builder.hpp"
#include "media/codec/g711.hpp"

namespace callwire::media::audio {
namespace {

using test::pcm16_bytes;
using test::put_le;
using test::wav;

std::vector<std::int16_t> sine(std::size_t n, double freq, int rate, double amp) {
  std::vector<std::int16_t> s(n);
  for (std::size_t i = 0; i < n; ++i)
    s[i] = static_cast<std::int16_t>(std::lround(amp * std::sin(2 * std::numbers::pi * freq * i / rate)));
  return s;
}

// Frequency from rising zero crossings over the middle of the signal.
double frequency(const std::vector<std::int16_t>& s, int rate) {
  const std::size_t from = s.size() / 4, to = s.size() * 3 / 4;
  int crossings = 0;
  for (std::size_t i = from + 1; i < to; ++i)
    if (s[i - 1] < 0 && s[i] >= 0) ++crossings;
  return crossings * static_cast<double>(rate) / static_cast<double>(to - from);
}

double rms(const std::vector<std::int16_t>& s) {
  double sum = 0;
  for (auto v : s) sum += static_cast<double>(v) * v;
  return s.empty() ? 0 : std::sqrt(sum / static_cast<double>(s.size()));
}

std::vector<std::uint8_t> fixture(const char* name) {
  std::string path = CALLWIRE_TEST_DATA;
  path.append("/data/").append(name);
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Decoder, Pcm16AtTheTargetRateIsUnchanged) {
  const auto s = sine(800, 440, 8000, 12000);
  const auto a = decode_audio(wav(1, 1, 8000, 16, pcm16_bytes(s)), "audio/wav", 8000);
  ASSERT_TRUE(a) << a.error().what();
  EXPECT_EQ(a->sample_rate, 8000u);
  EXPECT_EQ(a->samples, s);
  EXPECT_EQ(a->duration().count(), 100);
}

TEST(Decoder, Pcm8IsUnsignedAndScaled) {
  const auto a = decode_audio(wav(1, 1, 8000, 8, {128, 255, 0, 192}), "audio/wav", 8000);
  ASSERT_TRUE(a) << a.error().what();
  EXPECT_EQ(a->samples, (std::vector<std::int16_t>{0, 127 << 8, -32768, 64 << 8}));
}

TEST(Decoder, Pcm24And32KeepTheTopBits) {
  const std::vector<std::int32_t> v24{0x123456, -0x123456, 0x7FFFFF, -0x800000};
  std::vector<std::uint8_t> d24, d32;
  std::vector<std::int16_t> want;
  for (auto v : v24) {
    put_le(d24, static_cast<std::uint32_t>(v), 3);
    put_le(d32, static_cast<std::uint32_t>(v) << 8, 4);
    want.push_back(static_cast<std::int16_t>(v >> 8));
  }
  const auto a24 = decode_audio(wav(1, 1, 8000, 24, d24), "audio/wav", 8000);
  ASSERT_TRUE(a24) << a24.error().what();
  EXPECT_EQ(a24->samples, want);
  const auto a32 = decode_audio(wav(1, 1, 8000, 32, d32), "audio/wav", 8000);
  ASSERT_TRUE(a32) << a32.error().what();
  EXPECT_EQ(a32->samples, want);
}

TEST(Decoder, FloatIsScaledAndClipped) {
  std::vector<std::uint8_t> d;
  for (float f : {0.5f, -0.25f, 1.5f, -3.0f, 0.0f}) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    put_le(d, bits, 4);
  }
  const auto a = decode_audio(wav(3, 1, 8000, 32, d), "audio/wave", 8000);
  ASSERT_TRUE(a) << a.error().what();
  ASSERT_EQ(a->samples.size(), 5u);
  EXPECT_NEAR(a->samples[0], 16384, 1);
  EXPECT_NEAR(a->samples[1], -8192, 1);
  EXPECT_EQ(a->samples[2], 32767);  // clipped, not wrapped
  EXPECT_LE(a->samples[3], -32767);
  EXPECT_EQ(a->samples[4], 0);
}

TEST(Decoder, UlawAndAlawMatchG711) {
  std::vector<std::uint8_t> codes(256);
  for (int i = 0; i < 256; ++i) codes[i] = static_cast<std::uint8_t>(i);
  const auto u = decode_audio(wav(7, 1, 8000, 8, codes), "audio/x-wav", 8000);
  const auto a = decode_audio(wav(6, 1, 8000, 8, codes), "audio/x-wav", 8000);
  ASSERT_TRUE(u) << u.error().what();
  ASSERT_TRUE(a) << a.error().what();
  ASSERT_EQ(u->samples.size(), 256u);
  ASSERT_EQ(a->samples.size(), 256u);
  for (int i = 0; i < 256; ++i) {
    EXPECT_EQ(u->samples[i], codec::g711::ulaw_to_linear(static_cast<std::uint8_t>(i))) << i;
    EXPECT_EQ(a->samples[i], codec::g711::alaw_to_linear(static_cast<std::uint8_t>(i))) << i;
  }
}

TEST(Decoder, Stereo22050IsDownmixedAndResampled) {
  const auto tone = sine(11025, 1000, 22050, 10000);  // 0.5 s
  std::vector<std::int16_t> inter;
  for (auto v : tone) inter.insert(inter.end(), {v, v});
  const auto a = decode_audio(wav(1, 2, 22050, 16, pcm16_bytes(inter)), "audio/wav", 8000);
  ASSERT_TRUE(a) << a.error().what();
  EXPECT_NEAR(static_cast<double>(a->samples.size()), 4000, 2);
  EXPECT_NEAR(frequency(a->samples, 8000), 1000, 20);
  EXPECT_NEAR(rms(a->samples), 10000 / std::numbers::sqrt2, 500);
}

TEST(Decoder, DownmixAveragesChannels) {
  std::vector<std::int16_t> inter;
  for (int i = 0; i < 400; ++i) inter.insert(inter.end(), {8000, -8000, 3000});
  const auto a = decode_audio(wav(0xFFFE, 3, 16000, 16, pcm16_bytes(inter)), "audio/wav", 16000);
  ASSERT_TRUE(a) << a.error().what();
  ASSERT_EQ(a->samples.size(), 400u);
  for (auto v : a->samples) EXPECT_EQ(v, 1000);
}

TEST(Decoder, UpsamplesToTheTargetRate) {
  const auto s = sine(8000, 500, 8000, 8000);
  for (int target : {16000, 48000}) {
    const auto a = decode_audio(wav(1, 1, 8000, 16, pcm16_bytes(s)), "audio/wav", target);
    ASSERT_TRUE(a) << a.error().what();
    EXPECT_EQ(a->sample_rate, static_cast<std::uint32_t>(target));
    EXPECT_NEAR(static_cast<double>(a->samples.size()), target, 2);
    EXPECT_NEAR(frequency(a->samples, target), 500, 10);
  }
}

TEST(Decoder, BytesWinOverTheContentType) {
  const auto bytes = wav(1, 1, 8000, 16, pcm16_bytes(sine(160, 440, 8000, 1000)));
  for (const char* type : {"audio/x-wav", "audio/wave; codecs=1", "AUDIO/WAV", "application/octet-stream",
                           "audio/mpeg", ""}) {
    const auto a = decode_audio(bytes, type, 8000);
    ASSERT_TRUE(a) << type << ": " << a.error().what();
    EXPECT_EQ(a->samples.size(), 160u) << type;
  }
}

TEST(Decoder, HeaderlessUlawByContentType) {
  std::vector<std::uint8_t> codes;
  for (int i = 0; i < 160; ++i) codes.push_back(static_cast<std::uint8_t>(i * 7));
  for (const char* type : {"audio/ulaw", "audio/basic", "audio/x-mulaw"}) {
    const auto a = decode_audio(codes, type, 8000);
    ASSERT_TRUE(a) << a.error().what();
    ASSERT_EQ(a->samples.size(), 160u);
    for (int i = 0; i < 160; ++i) EXPECT_EQ(a->samples[i], codec::g711::ulaw_to_linear(codes[i]));
  }
}

// AIFF, AU and raw GSM written by libsndfile into memory.
struct Out {
  std::vector<std::uint8_t> bytes;
  sf_count_t pos = 0;
};

std::vector<std::uint8_t> sndfile_bytes(int format, int rate, int channels, const std::vector<std::int16_t>& s) {
  SF_VIRTUAL_IO io{};
  io.get_filelen = [](void* u) { return static_cast<sf_count_t>(static_cast<Out*>(u)->bytes.size()); };
  io.seek = [](sf_count_t off, int whence, void* u) {
    auto* o = static_cast<Out*>(u);
    o->pos = (whence == SEEK_SET ? 0 : whence == SEEK_CUR ? o->pos : static_cast<sf_count_t>(o->bytes.size())) + off;
    return o->pos;
  };
  io.read = [](void* p, sf_count_t n, void* u) {
    auto* o = static_cast<Out*>(u);
    n = std::max<sf_count_t>(0, std::min<sf_count_t>(n, static_cast<sf_count_t>(o->bytes.size()) - o->pos));
    std::memcpy(p, o->bytes.data() + o->pos, static_cast<std::size_t>(n));
    o->pos += n;
    return n;
  };
  io.write = [](const void* p, sf_count_t n, void* u) {
    auto* o = static_cast<Out*>(u);
    if (o->bytes.size() < static_cast<std::size_t>(o->pos + n)) o->bytes.resize(static_cast<std::size_t>(o->pos + n));
    std::memcpy(o->bytes.data() + o->pos, p, static_cast<std::size_t>(n));
    o->pos += n;
    return n;
  };
  io.tell = [](void* u) { return static_cast<Out*>(u)->pos; };
  Out out;
  SF_INFO info{};
  info.format = format;
  info.samplerate = rate;
  info.channels = channels;
  SNDFILE* f = sf_open_virtual(&io, SFM_WRITE, &info, &out);
  EXPECT_NE(f, nullptr);
  if (!f) return {};
  sf_writef_short(f, s.data(), static_cast<sf_count_t>(s.size() / static_cast<std::size_t>(channels)));
  sf_close(f);
  return out.bytes;
}

TEST(Decoder, AiffAndAu) {
  const auto s = sine(11025, 1000, 11025, 9000);
  const auto aiff = sndfile_bytes(SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 11025, 1, s);
  const auto au = sndfile_bytes(SF_FORMAT_AU | SF_FORMAT_ULAW, 11025, 1, s);
  for (const auto& [bytes, type] : {std::pair{aiff, "audio/aiff"}, std::pair{au, "audio/basic"}}) {
    ASSERT_EQ(sniff_format(bytes), std::string_view(type) == "audio/aiff" ? Format::Aiff : Format::Au);
    const auto a = decode_audio(bytes, type, 8000);
    ASSERT_TRUE(a) << type << ": " << a.error().what();
    EXPECT_NEAR(static_cast<double>(a->samples.size()), 8000, 2) << type;
    EXPECT_NEAR(frequency(a->samples, 8000), 1000, 20) << type;
  }
}

TEST(Decoder, HeaderlessGsm) {
  const auto s = sine(1600, 400, 8000, 8000);
  const auto gsm = sndfile_bytes(SF_FORMAT_RAW | SF_FORMAT_GSM610, 8000, 1, s);
  ASSERT_EQ(gsm.size(), 10u * 33);  // 33-byte frames of 160 samples
  const auto a = decode_audio(gsm, "audio/x-gsm", 8000);
  ASSERT_TRUE(a) << a.error().what();
  EXPECT_EQ(a->samples.size(), 1600u);
  EXPECT_GT(rms(a->samples), 2000);
}

TEST(Decoder, Mp3Mono22050) {
  const auto mp3 = fixture("tone_22050_mono.mp3");
  ASSERT_GT(mp3.size(), 1000u);
  EXPECT_EQ(sniff_format(mp3), Format::Mp3);
  const auto a = decode_audio(mp3, "audio/mpeg", 8000);
  ASSERT_TRUE(a) << a.error().what();
  // 0.5 s encoded; the LAME tag lets the decoder drop encoder delay/padding.
  EXPECT_NEAR(static_cast<double>(a->samples.size()), 4000, 2);
  EXPECT_NEAR(frequency(a->samples, 8000), 1000, 20);
  EXPECT_NEAR(rms(a->samples), 10000 / std::numbers::sqrt2, 1000);
}

TEST(Decoder, Mp3Stereo44100SniffedWithAnId3Tag) {
  auto mp3 = fixture("tone_44100_stereo.mp3");
  ASSERT_GT(mp3.size(), 1000u);
  // An ID3v2.3 tag of 20 bytes (size is syncsafe) in front.
  std::vector<std::uint8_t> tagged{'I', 'D', '3', 3, 0, 0, 0, 0, 0, 10};
  tagged.insert(tagged.end(), 10, 0);
  tagged.insert(tagged.end(), mp3.begin(), mp3.end());
  for (const auto& bytes : {mp3, tagged}) {
    const auto a = decode_audio(bytes, "application/octet-stream", 16000);
    ASSERT_TRUE(a) << a.error().what();
    EXPECT_NEAR(static_cast<double>(a->samples.size()), 3200, 2);
    // The stereo fixture's encoder (libsndfile + LAME) does not keep the
    // tone clean, so only its level is checked here.
    EXPECT_GT(rms(a->samples), 2000);
  }
}

TEST(Decoder, ContentTypeTable) {
  EXPECT_EQ(format_for_content_type("audio/mp3"), Format::Mp3);
  EXPECT_EQ(format_for_content_type(" audio/MPEG ; charset=x"), Format::Mp3);
  EXPECT_EQ(format_for_content_type("audio/x-aifc"), Format::Aiff);
  EXPECT_EQ(format_for_content_type("audio/gsm"), Format::RawGsm);
  EXPECT_EQ(format_for_content_type("audio/ulaw"), Format::RawUlaw);
  EXPECT_EQ(format_for_content_type("text/html"), Format::Unknown);
  EXPECT_EQ(format_for_content_type("audio/wavx"), Format::Unknown);
}

}  // namespace
}  // namespace callwire::media::audio
