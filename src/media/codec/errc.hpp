#pragma once
// Errors of the codec layer: what a negotiated codec name, an fmtp line or a
// received payload can get wrong.
#include <system_error>

#include "core/result.hpp"

namespace callwire::media::codec {

enum class Errc {
  UnknownCodec = 1,   // no codec of that name (PCMU, PCMA, G722, opus)
  BadClockRate,       // the name is known but not at that RTP clock rate
  BadChannels,        // channel count the codec cannot carry
  BadSampleRate,      // resampler/generator rate out of range
  BadDigits,          // DTMF string with a character outside 0-9 * # A-D
  OutputTooSmall,     // the caller's buffer cannot hold the result
  CorruptPayload,     // the decoder refused the payload
  InitFailed,         // the library could not create its state
};

const std::error_category& codec_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), codec_category()}; }

}  // namespace callwire::media::codec

template <>
struct std::is_error_code_enum<callwire::media::codec::Errc> : std::true_type {};
