#include "media/codec/g711_codec.hpp"

#include "media/codec/errc.hpp"
#include "media/codec/g711.hpp"

namespace callwire::media::codec {

std::size_t G711Codec::encode(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out) {
  if (out.size() < pcm.size()) return 0;
  if (law_ == Law::Ulaw) g711::encode_ulaw(pcm, out);
  else g711::encode_alaw(pcm, out);
  return pcm.size();
}

Result<std::size_t> G711Codec::decode(std::span<const std::uint8_t> payload, std::span<std::int16_t> out) {
  if (out.size() < payload.size()) return fail(Errc::OutputTooSmall);
  if (law_ == Law::Ulaw) g711::decode_ulaw(payload, out);
  else g711::decode_alaw(payload, out);
  return payload.size();
}

}  // namespace callwire::media::codec
