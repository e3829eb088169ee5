#pragma once
// Errors of the media engine (misuse or configuration; packets never fail
// through these: malformed input is counted in the stats).
#include <system_error>

#include "core/result.hpp"

namespace callwire::media::engine {

enum class Errc {
  BadArgument = 1,   // invalid configuration, ptime, digit, address
  Closed,            // the session is closed (or its engine is gone)
  NotStarted,        // start() has not been called
  Busy,              // already started / already recording
  Unsupported,       // e.g. a codec change on a running session
  NoPort,            // no RTP port pair could be bound
};

const std::error_category& engine_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), engine_category()}; }

}  // namespace callwire::media::engine

template <>
struct std::is_error_code_enum<callwire::media::engine::Errc> : std::true_type {};
