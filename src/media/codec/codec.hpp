#pragma once
// One audio codec instance (one direction pair of a call leg). Audio inside
// callwire is 16-bit signed PCM, mono, at the codec's sample_rate(); the RTP
// clock may differ (G.722 runs at 16 kHz but its RTP clock is 8000, RFC 3551).
// encode/decode work on caller-owned buffers and never allocate.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/result.hpp"

namespace callwire::media::codec {

class Codec {
 public:
  virtual ~Codec() = default;

  // The encoding name as SDP writes it in a=rtpmap ("PCMU", "PCMA", "G722", "opus").
  virtual std::string_view name() const = 0;
  // RTP timestamp rate, as in a=rtpmap.
  virtual std::uint32_t clock_rate() const = 0;
  // Rate of the PCM given to encode() and returned by decode().
  virtual std::uint32_t sample_rate() const = 0;
  // Channel count for a=rtpmap (opus is always announced as 2, RFC 7587).
  virtual unsigned rtpmap_channels() const { return 1; }

  // PCM samples in one frame of `ptime`.
  std::size_t samples_per_frame(std::chrono::milliseconds ptime) const {
    return static_cast<std::size_t>(sample_rate()) * static_cast<std::size_t>(ptime.count()) / 1000;
  }
  // RTP timestamp increment for `samples` PCM samples.
  std::uint32_t timestamp_units(std::size_t samples) const {
    return static_cast<std::uint32_t>(samples * clock_rate() / sample_rate());
  }
  // An output size that is always enough for encoding `samples` samples.
  virtual std::size_t max_payload_size(std::size_t samples) const = 0;

  // Encodes one frame; returns the payload size, 0 when `out` is too small or
  // the frame size is not one the codec accepts (a caller bug, not input).
  virtual std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) = 0;

  // Decodes one received payload into `out`; returns the samples written.
  [[nodiscard]] virtual Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                                                   std::span<std::int16_t> out) = 0;

  // Fills `out` for a lost packet (Opus packet-loss concealment; silence for
  // the others); returns the samples written.
  virtual std::size_t conceal(std::span<std::int16_t> out);
};

// Creates a codec for the (encoding name, clock rate, channels, fmtp) of an
// SDP a=rtpmap/a=fmtp pair. Names compare case-insensitively; channels 0
// means "not given". fmtp is the text after "a=fmtp:<pt> " (may be empty).
[[nodiscard]] Result<std::unique_ptr<Codec>> make_codec(std::string_view name, std::uint32_t clock_rate,
                                                        unsigned channels = 1, std::string_view fmtp = {});

}  // namespace callwire::media::codec
