#pragma once
// Strict parsing of the scalar values Twilio sends in forms and queries, and
// RFC 2822 dates for JSON bodies.
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace callwire::http {

// "true" or "false", ASCII case-insensitive (the helper libraries send
// lower case; "True" from a hand-written curl is accepted too). Anything
// else, including "1", "0", "" and surrounding spaces, fails (Errc::BadBoolean).
[[nodiscard]] Result<bool> parse_bool(std::string_view text);
inline const char* format_bool(bool b) { return b ? "true" : "false"; }

// An optional '-' then 1..19 decimal digits; no '+', no spaces. Values
// outside [min, max] fail with Errc::OutOfRange, other text with Errc::BadInteger.
[[nodiscard]] Result<std::int64_t> parse_int(std::string_view text,
                                             std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                             std::int64_t max = std::numeric_limits<std::int64_t>::max());

// "Fri, 06 Sep 2013 19:18:30 +0000": RFC 2822 in GMT, seconds precision
// (fractions are truncated). Works for any year 0000..9999.
std::string format_rfc2822(std::chrono::system_clock::time_point t);

// Reads what format_rfc2822 writes, also with "-0000", "GMT", "UT" or any
// +hhmm/-hhmm offset and with the weekday left out. The weekday, when given,
// is not checked against the date.
[[nodiscard]] Result<std::chrono::system_clock::time_point> parse_rfc2822(std::string_view text);

}  // namespace callwire::http
