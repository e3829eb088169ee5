#pragma once
// Errors of decoding <Play> media. alert_code() says which debugger alert the
// TwiML layer raises for each (contract 10.3 and the error table: 12300 for
// a body that is no audio we know, 13420 for audio we cannot use, 12400 for
// our own failures).
#include <system_error>

#include "core/result.hpp"

namespace callwire::media::audio {

enum class Errc {
  UnsupportedContentType = 1,  // neither the Content-Type nor the bytes name a format we decode
  TooLarge,                    // body over DecodeLimits::max_input_bytes
  TooLong,                     // decoded audio over DecodeLimits::max_duration
  Corrupt,                     // the format was recognised but the bytes do not decode
  UnsupportedFormat,           // a valid file in an encoding or sample rate we do not take
  Empty,                       // decoded to no samples at all
  BadTargetRate,               // the caller asked for a rate outside 8000..48000
  DecoderFailed,               // the decoding library could not start
};

const std::error_category& audio_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), audio_category()}; }

// The debugger alert for an audio error (12300, 13420 or 12400); 0 when
// `code` is not from this category.
int alert_code(std::error_code code);

}  // namespace callwire::media::audio

template <>
struct std::is_error_code_enum<callwire::media::audio::Errc> : std::true_type {};
