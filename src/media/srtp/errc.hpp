#pragma once
// Errors of the SRTP layer. Packets come from the network, so an unprotect
// failure is routine: the engine drops the packet and counts the code.
#include <system_error>

#include "core/result.hpp"

namespace callwire::media::srtp {

enum class Errc {
  InitFailed = 1,   // srtp_init() failed (once per process)
  UnknownSuite,     // not AES_CM_128_HMAC_SHA1_80 or _32
  BadKey,           // key||salt is not 30 bytes, or libsrtp refused it
  AuthFailed,       // the authentication tag does not match (wrong key, tampering)
  Replayed,         // an index already seen, or older than the replay window
  BadPacket,        // too short, or otherwise refused by libsrtp
  BufferTooSmall,   // no room for the authentication tag
};

const std::error_category& srtp_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), srtp_category()}; }

}  // namespace callwire::media::srtp

template <>
struct std::is_error_code_enum<callwire::media::srtp::Errc> : std::true_type {};
