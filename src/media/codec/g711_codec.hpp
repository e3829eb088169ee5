#pragma once
// PCMU / PCMA (RFC 3551 payload types 0 and 8): 8 kHz, one byte per sample.
#include "media/codec/codec.hpp"

namespace callwire::media::codec {

class G711Codec final : public Codec {
 public:
  enum class Law { Ulaw, Alaw };
  explicit G711Codec(Law law) : law_(law) {}

  std::string_view name() const override { return law_ == Law::Ulaw ? "PCMU" : "PCMA"; }
  std::uint32_t clock_rate() const override { return 8000; }
  std::uint32_t sample_rate() const override { return 8000; }
  std::size_t max_payload_size(std::size_t samples) const override { return samples; }
  std::size_t encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) override;
  [[nodiscard]] Result<std::size_t> decode(std::span<const std::uint8_t> payload,
                                           std::span<std::int16_t> out) override;

 private:
  Law law_;
};

}  // namespace callwire::media::codec
