#pragma once
// Errors of the Dial logic. Each value is one reason a <Dial> target is
// refused, so the caller can map it to a Twilio code (13xxx) and a
// DialCallStatus; the Error's detail says why in words.
#include <system_error>

#include "core/result.hpp"

namespace callwire::dial {

enum class Errc {
  InvalidNumber = 1,     // not a callable E.164 number (letters, too short, too long)
  NoRoute,               // no enabled trunk of the account matches the number
  TrunkNotFound,         // byoc names no trunk of the account
  TrunkDisabled,         // byoc names a disabled trunk
  InvalidSipUri,         // <Sip> body or termination URI: bad syntax or unsupported parameter value
  SipsNotSupported,      // sips: scheme (contract 8.9: write sip:…;transport=tls)
  UriTooLong,            // whole URI ≥ 255 characters
  HeadersTooLong,        // the ?headers part ≥ 1024 characters
  HeaderNotAllowed,      // a URI header other than X-*, User-to-User, Remote-Party-ID, P-*-Identity/Party-ID
};

const std::error_category& dial_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), dial_category()}; }

inline bool is(const Error& error, Errc e) { return error.code == make_error_code(e); }

}  // namespace callwire::dial

template <>
struct std::is_error_code_enum<callwire::dial::Errc> : std::true_type {};
