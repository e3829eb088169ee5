#pragma once
// Opus (RFC 7587) through libopus: 48 kHz, always encoded mono (we have one
// voice to send); the decoder folds a stereo stream down to mono.
#include <memory>
#include <string_view>

#include "media/codec/codec.hpp"

struct OpusEncoder;
struct OpusDecoder;

namespace callwire::media::codec {

struct OpusSettings {
  // maxplaybackrate from the peer's fmtp caps the encoded bandwidth.
  std::uint32_t max_playback_rate = 48000;
  // useinbandfec=1: the peer can use FEC, so we send it.
  bool inband_fec = false;
  bool dtx = false;                     // usedtx=1
  bool cbr = false;                     // cbr=1
  std::uint32_t max_average_bitrate = 0;  // maxaveragebitrate; 0 = libopus default
  // The encoder's CPU/quality trade-off (0-10). Lower than libopus' 10
  // because a server encodes for many calls at once.
  int complexity = 5;

  // Reads the peer's fmtp (stereo=1 is accepted but we still send mono).
  static OpusSettings from_fmtp(std::string_view fmtp);
};

class OpusCodec final : public Codec {
 public:
  [[nodiscard]] static Result<std::unique_ptr<OpusCodec>> create(const OpusSettings& settings = {});
  ~OpusCodec() override;

  std::string_view name() const override { return "opus"; }
  std::uint32_t clock_rate() const override { return 48000; }
  std::uint32_t sample_rate() const override { return 48000; }
  unsigned rtpmap_channels() const override { return 2; }
  std::size_t max_payload_size(std::size_t) const override { return 1275; }
  // pcm must be 2.5, 5, 10, 20, 40 or 60 ms (120 ... 2880 samples).
  std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) override;
  [[nodiscard]] Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                                           std::span<std::int16_t> out) override;
  std::size_t conceal(std::span<std::int16_t> out) override;
  // Rebuilds a lost frame from the in-band FEC carried by the packet that
  // followed it; `out.size()` is the lost frame's length (e.g. 960 for 20 ms).
  // Without FEC data libopus conceals instead.
  [[nodiscard]] Result<std::size_t> decode_fec(std::span<const std::uint8_t> next_payload,
                                               std::span<std::int16_t> out);

  const OpusSettings& settings() const { return settings_; }

 private:
  OpusCodec(OpusEncoder* enc, OpusDecoder* dec, const OpusSettings& s) : enc_(enc), dec_(dec), settings_(s) {}
  OpusEncoder* enc_;
  OpusDecoder* dec_;
  OpusSettings settings_;
};

}  // namespace callwire::media::codec
