#pragma once
// Errors of SIP input. Each says how the peer hears about it: status_for()
// gives the response status, and Error::detail is the Reason/Warning text.
#include <system_error>

#include "core/result.hpp"

namespace callwire::sip {

enum class Errc {
  Incomplete = 1,     // stream framing: more bytes needed (not an error on TCP)
  MessageTooLarge,    // over ParseLimits::max_message_size (513)
  TooManyHeaders,     // over ParseLimits::max_headers
  LineTooLong,        // over ParseLimits::max_line_length
  BadStartLine,       // request/status line unparseable
  VersionNotSupported,// not SIP/2.0 (505)
  BadHeader,          // header line without a colon, bad name, ...
  BadHeaderValue,     // a known header whose value does not parse
  MissingHeader,      // one of Via, From, To, Call-ID, CSeq missing
  BadContentLength,   // not a number, or body shorter/longer than it
  BadCSeq,            // CSeq unparseable or method differs from the request line
  BadVia,
  BadUri,
  BadParam,
};

const std::error_category& sip_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), sip_category()}; }

// The SIP status a request failing with `e` gets: 400, 505 or 513.
int status_for(const Error& e);

}  // namespace callwire::sip

template <>
struct std::is_error_code_enum<callwire::sip::Errc> : std::true_type {};
