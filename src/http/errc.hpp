#pragma once
// Errors of the HTTP layer, mixed freely with Asio's and Beast's error_codes.
#include <system_error>

#include "core/result.hpp"

namespace callwire::http {

enum class Errc {
  BadPercentEncoding = 1,  // "%" not followed by two hex digits
  BadFormBody,             // form body or query string that does not decode
  BadPath,                 // request target that is not an origin-form path
  BadBoolean,              // not "true" / "false"
  BadInteger,              // not a plain decimal integer
  OutOfRange,              // an integer outside the allowed range
  BadDate,                 // not an RFC 2822 date
  BadUrl,                  // client URL that is not http://host[:port][/path]
  Timeout,                 // a client request took longer than its timeout
  BadResponse,             // the server's answer is not valid HTTP
  AlreadyStarted,          // Server::start called twice
};

const std::error_category& http_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), http_category()}; }

}  // namespace callwire::http

template <>
struct std::is_error_code_enum<callwire::http::Errc> : std::true_type {};
