#include "media/mp3/encoder.hpp"

#include <lame.h>

#include <algorithm>
#include <array>
#include <cstdarg>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

namespace callwire::media::mp3 {

namespace {

struct Close {
  void operator()(lame_global_flags* gf) const { lame_close(gf); }
};
using Lame = std::unique_ptr<lame_global_flags, Close>;

// Samples handed to LAME per call, and LAME's documented worst case for the
// output of that many (1.25 × samples + 7200 bytes).
constexpr int kChunk = 8192;
constexpr int kChunkOut = kChunk + kChunk / 4 + 7200;

// Layer III bitrates (kbit/s) of MPEG-1 and of MPEG-2 / 2.5.
constexpr std::array<int, 14> kMpeg1Rates = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
constexpr std::array<int, 14> kMpeg2Rates = {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};

bool valid_sample_rate(std::uint32_t rate) {
  constexpr std::array<std::uint32_t, 9> kRates = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};
  return std::ranges::find(kRates, rate) != kRates.end();
}

bool valid_bitrate(std::uint32_t rate, int kbps) {
  const auto& table = rate >= 32000 ? kMpeg1Rates : kMpeg2Rates;
  return std::ranges::find(table, kbps) != table.end();
}

// LAME reports to stderr unless told otherwise; the caller logs our errors.
void quiet(const char*, va_list) {}

Lame open(std::uint32_t rate, const EncodeOptions& options) {
  // lame_init fills shared lookup tables on its first call without a lock:
  // make that first call happen once, before any concurrent encoder.
  static std::once_flag tables;
  std::call_once(tables, [] { lame_close(lame_init()); });
  Lame gf(lame_init());
  if (!gf) return gf;
  lame_set_errorf(gf.get(), quiet);
  lame_set_debugf(gf.get(), quiet);
  lame_set_msgf(gf.get(), quiet);
  lame_set_num_channels(gf.get(), 1);
  lame_set_mode(gf.get(), MONO);
  lame_set_in_samplerate(gf.get(), static_cast<int>(rate));
  lame_set_out_samplerate(gf.get(), static_cast<int>(rate));
  lame_set_VBR(gf.get(), vbr_off);
  lame_set_brate(gf.get(), options.bitrate_kbps);
  lame_set_quality(gf.get(), options.quality);
  lame_set_bWriteVbrTag(gf.get(), 1);  // the Info frame carrying delay and padding
  lame_set_write_id3tag_automatic(gf.get(), 0);
  if (lame_init_params(gf.get()) < 0 || lame_get_out_samplerate(gf.get()) != static_cast<int>(rate)) gf.reset();
  return gf;
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_mp3(std::span<const std::int16_t> pcm, std::uint32_t sample_rate,
                                             const EncodeOptions& options) {
  if (!valid_sample_rate(sample_rate))
    return fail(Errc::BadSampleRate, "MP3 cannot carry " + std::to_string(sample_rate) + " Hz");
  if (!valid_bitrate(sample_rate, options.bitrate_kbps)) {
    return fail(Errc::BadBitrate, "MP3 at " + std::to_string(sample_rate) + " Hz has no " +
                                      std::to_string(options.bitrate_kbps) + " kbit/s");
  }
  if (options.quality < 0 || options.quality > 9) return fail(Errc::BadQuality);
  Lame gf = open(sample_rate, options);
  if (!gf) return fail(Errc::EncoderFailed, "LAME refused the encoder parameters");

  std::vector<std::uint8_t> out;
  // CBR: the size is known up front, give or take the delay and a frame.
  out.reserve(pcm.size() * static_cast<std::size_t>(options.bitrate_kbps) * 125 / sample_rate + kChunkOut);
  std::vector<unsigned char> buf(kChunkOut);
  for (std::size_t at = 0; at < pcm.size(); at += kChunk) {
    const int n = static_cast<int>(std::min<std::size_t>(kChunk, pcm.size() - at));
    // Mono: LAME reads only the left buffer.
    const int written = lame_encode_buffer(gf.get(), pcm.data() + at, nullptr, n, buf.data(), kChunkOut);
    if (written < 0) return fail(Errc::EncoderFailed, "LAME encode error " + std::to_string(written));
    out.insert(out.end(), buf.begin(), buf.begin() + written);
  }
  const int flushed = lame_encode_flush(gf.get(), buf.data(), kChunkOut);
  if (flushed < 0) return fail(Errc::EncoderFailed, "LAME flush error " + std::to_string(flushed));
  out.insert(out.end(), buf.begin(), buf.begin() + flushed);

  // The stream began with a placeholder frame of the Info tag's size; now
  // that the length is known, LAME fills it in.
  const std::size_t tag = lame_get_lametag_frame(gf.get(), buf.data(), buf.size());
  if (tag > 0 && tag <= out.size()) std::memcpy(out.data(), buf.data(), tag);
  return out;
}

}  // namespace callwire::media::mp3
