#pragma once
// Errors of text-to-speech. The TwiML layer turns them into Say errors
// (contract 10.2: 13510-13520).
#include <system_error>

#include "core/result.hpp"

namespace callwire::media::tts {

enum class Errc {
  EmptyText = 1,     // nothing to say (no text, no break)
  TextTooLong,       // more than the configured character limit
  BadSampleRate,     // output rate outside 8000..48000
  QueueFull,         // too many syntheses waiting
  EngineFailed,      // espeak-ng could not start or refused the text
  ShuttingDown,      // the synthesizer stopped before the request ran
};

const std::error_category& tts_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), tts_category()}; }

}  // namespace callwire::media::tts

template <>
struct std::is_error_code_enum<callwire::media::tts::Errc> : std::true_type {};
