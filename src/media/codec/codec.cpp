#include "media/codec/codec.hpp"

#include <algorithm>
#include <string>

#include "media/codec/errc.hpp"
#include "media/codec/g711_codec.hpp"
#include "media/codec/g722_codec.hpp"
#include "media/codec/opus_codec.hpp"
#include "core/text.hpp"

namespace callwire::media::codec {

std::size_t Codec::conceal(std::span<std::int16_t> out) {
  std::fill(out.begin(), out.end(), std::int16_t{0});
  return out.size();
}

namespace {
template <class T>
Result<std::unique_ptr<Codec>> upcast(Result<std::unique_ptr<T>> r) {
  if (!r) return std::unexpected(r.error());
  return std::unique_ptr<Codec>(std::move(*r));
}
}  // namespace

Result<std::unique_ptr<Codec>> make_codec(std::string_view name, std::uint32_t clock_rate, unsigned channels,
                                          std::string_view fmtp) {
  const bool is_opus = iequals(name, "opus");
  if (!is_opus && !iequals(name, "PCMU") && !iequals(name, "PCMA") && !iequals(name, "G722"))
    return fail(Errc::UnknownCodec, std::string(name));
  const std::uint32_t want_clock = is_opus ? 48000 : 8000;
  if (clock_rate != want_clock)
    return fail(Errc::BadClockRate, std::string(name) + "/" + std::to_string(clock_rate));
  // RFC 7587 announces opus as 2 channels; some peers write 1, which we accept too.
  if (channels > (is_opus ? 2u : 1u))
    return fail(Errc::BadChannels, std::string(name) + " with " + std::to_string(channels) + " channels");

  if (iequals(name, "PCMU")) return std::make_unique<G711Codec>(G711Codec::Law::Ulaw);
  if (iequals(name, "PCMA")) return std::make_unique<G711Codec>(G711Codec::Law::Alaw);
  if (iequals(name, "G722")) return upcast(G722Codec::create());
  return upcast(OpusCodec::create(OpusSettings::from_fmtp(fmtp)));
}

}  // namespace callwire::media::codec
