#include "media/codec/opus_codec.hpp"

#include <algorithm>

#include <opus.h>

#include "media/codec/errc.hpp"
#include "media/codec/fmtp.hpp"

namespace callwire::media::codec {

namespace {
constexpr int kMaxFrame = 5760;  // 120 ms at 48 kHz, the longest Opus packet

int bandwidth_for(std::uint32_t max_playback_rate) {
  if (max_playback_rate <= 8000) return OPUS_BANDWIDTH_NARROWBAND;
  if (max_playback_rate <= 12000) return OPUS_BANDWIDTH_MEDIUMBAND;
  if (max_playback_rate <= 16000) return OPUS_BANDWIDTH_WIDEBAND;
  if (max_playback_rate <= 24000) return OPUS_BANDWIDTH_SUPERWIDEBAND;
  return OPUS_BANDWIDTH_FULLBAND;
}
}  // namespace

OpusSettings OpusSettings::from_fmtp(std::string_view fmtp) {
  OpusSettings s;
  if (auto v = fmtp_uint(fmtp, "maxplaybackrate"); v && *v >= 8000 && *v <= 48000)
    s.max_playback_rate = static_cast<std::uint32_t>(*v);
  if (auto v = fmtp_uint(fmtp, "useinbandfec")) s.inband_fec = *v == 1;
  if (auto v = fmtp_uint(fmtp, "usedtx")) s.dtx = *v == 1;
  if (auto v = fmtp_uint(fmtp, "cbr")) s.cbr = *v == 1;
  if (auto v = fmtp_uint(fmtp, "maxaveragebitrate"); v && *v >= 6000 && *v <= 510000)
    s.max_average_bitrate = static_cast<std::uint32_t>(*v);
  return s;
}

Result<std::unique_ptr<OpusCodec>> OpusCodec::create(const OpusSettings& s) {
  int err = OPUS_OK;
  OpusEncoder* enc = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &err);
  if (!enc || err != OPUS_OK) return fail(Errc::InitFailed, opus_strerror(err));
  OpusDecoder* dec = opus_decoder_create(48000, 1, &err);
  if (!dec || err != OPUS_OK) {
    opus_encoder_destroy(enc);
    return fail(Errc::InitFailed, opus_strerror(err));
  }
  opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(std::clamp(s.complexity, 0, 10)));
  opus_encoder_ctl(enc, OPUS_SET_MAX_BANDWIDTH(bandwidth_for(s.max_playback_rate)));
  opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
  opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(s.inband_fec ? 1 : 0));
  // FEC only pays off when the encoder expects loss.
  if (s.inband_fec) opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(10));
  opus_encoder_ctl(enc, OPUS_SET_DTX(s.dtx ? 1 : 0));
  opus_encoder_ctl(enc, OPUS_SET_VBR(s.cbr ? 0 : 1));
  if (s.max_average_bitrate) opus_encoder_ctl(enc, OPUS_SET_BITRATE(static_cast<opus_int32>(s.max_average_bitrate)));
  return std::unique_ptr<OpusCodec>(new OpusCodec(enc, dec, s));
}

OpusCodec::~OpusCodec() {
  opus_encoder_destroy(enc_);
  opus_decoder_destroy(dec_);
}

std::size_t OpusCodec::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  const opus_int32 n = opus_encode(enc_, pcm.data(), static_cast<int>(pcm.size()), out.data(),
                                   static_cast<opus_int32>(std::min<std::size_t>(out.size(), 4000)));
  return n < 0 ? 0 : static_cast<std::size_t>(n);
}

Result<std::size_t> OpusCodec::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) {
  if (payload.empty()) return fail(Errc::CorruptPayload, "empty opus payload");
  const int frame = static_cast<int>(std::min<std::size_t>(out.size(), kMaxFrame));
  const int n = opus_decode(dec_, payload.data(), static_cast<opus_int32>(payload.size()), out.data(), frame, 0);
  if (n == OPUS_BUFFER_TOO_SMALL) return fail(Errc::OutputTooSmall);
  if (n < 0) return fail(Errc::CorruptPayload, opus_strerror(n));
  return static_cast<std::size_t>(n);
}

Result<std::size_t> OpusCodec::decode_fec(std::span<const std::uint8_t> next_payload, std::span<std::int16_t> out) {
  if (next_payload.empty()) return fail(Errc::CorruptPayload, "empty opus payload");
  const int frame = static_cast<int>(std::min<std::size_t>(out.size(), kMaxFrame) / 120 * 120);
  if (frame == 0) return fail(Errc::OutputTooSmall);
  const int n = opus_decode(dec_, next_payload.data(), static_cast<opus_int32>(next_payload.size()), out.data(),
                            frame, 1);
  if (n < 0) return fail(Errc::CorruptPayload, opus_strerror(n));
  return static_cast<std::size_t>(n);
}

std::size_t OpusCodec::conceal(std::span<std::int16_t> out) {
  // Concealment length must be a multiple of 2.5 ms.
  const int frame = static_cast<int>(std::min<std::size_t>(out.size(), kMaxFrame) / 120 * 120);
  if (frame == 0) return 0;
  const int n = opus_decode(dec_, nullptr, 0, out.data(), frame, 0);
  return n < 0 ? 0 : static_cast<std::size_t>(n);
}

}  // namespace callwire::media::codec
