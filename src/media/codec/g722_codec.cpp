#include "media/codec/g722_codec.hpp"

#include <spandsp.h>

#include "media/codec/errc.hpp"

namespace callwire::media::codec {

Result<std::unique_ptr<G722Codec>> G722Codec::create() {
  g722_encode_state_t* enc = g722_encode_init(nullptr, 64000, 0);
  g722_decode_state_t* dec = g722_decode_init(nullptr, 64000, 0);
  if (!enc || !dec) {
    if (enc) g722_encode_free(enc);
    if (dec) g722_decode_free(dec);
    return fail(Errc::InitFailed, "g722 state");
  }
  return std::unique_ptr<G722Codec>(new G722Codec(enc, dec));
}

G722Codec::~G722Codec() {
  g722_encode_free(enc_);
  g722_decode_free(dec_);
}

std::size_t G722Codec::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  if (out.size() < max_payload_size(pcm.size())) return 0;
  return static_cast<std::size_t>(g722_encode(enc_, out.data(), pcm.data(), static_cast<int>(pcm.size())));
}

Result<std::size_t> G722Codec::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) {
  if (out.size() < payload.size() * 2) return fail(Errc::OutputTooSmall);
  return static_cast<std::size_t>(
      g722_decode(dec_, out.data(), payload.data(), static_cast<int>(payload.size())));
}

}  // namespace callwire::media::codec
