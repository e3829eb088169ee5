#pragma once
// G.722 at 64 kbit/s through spandsp: 16 kHz audio, RTP clock 8000 (RFC 3551
// keeps the 8000 for historical reasons), one byte per two samples.
#include <memory>

#include "media/codec/codec.hpp"

struct g722_encode_state_s;
struct g722_decode_state_s;

namespace callwire::media::codec {

class G722Codec final : public Codec {
 public:
  [[nodiscard]] static Result<std::unique_ptr<G722Codec>> create();
  ~G722Codec() override;

  std::string_view name() const override { return "G722"; }
  std::uint32_t clock_rate() const override { return 8000; }
  std::uint32_t sample_rate() const override { return 16000; }
  std::size_t max_payload_size(std::size_t samples) const override { return (samples + 1) / 2; }
  std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) override;
  [[nodiscard]] Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                                           std::span<std::int16_t> out) override;

 private:
  G722Codec(g722_encode_state_s* enc, g722_decode_state_s* dec) : enc_(enc), dec_(dec) {}
  g722_encode_state_s* enc_;
  g722_decode_state_s* dec_;
};

}  // namespace callwire::media::codec
