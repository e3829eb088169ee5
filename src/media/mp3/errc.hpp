#pragma once
// Errors of MP3 encoding: a sample rate or bitrate MP3 cannot carry, or
// LAME refusing to start or to encode.
#include <system_error>

#include "core/result.hpp"

namespace callwire::media::mp3 {

enum class Errc {
  BadSampleRate = 1,  // not one of MPEG audio's nine rates (8000 … 48000)
  BadBitrate,         // not a layer III bitrate of the rate's MPEG version
  BadQuality,         // LAME's quality runs 0 (best) … 9 (fastest)
  EncoderFailed,      // LAME could not start or returned an error
};

const std::error_category& mp3_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), mp3_category()}; }

}  // namespace callwire::media::mp3

template <>
struct std::is_error_code_enum<callwire::media::mp3::Errc> : std::true_type {};
