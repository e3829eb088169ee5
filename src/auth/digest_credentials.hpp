#pragma once
// The credentials of a SIP Authorization / Proxy-Authorization header
// (RFC 2617 §3.2.2, RFC 7616 §3.4, RFC 3261 §25.1 "Digest" credentials).
// Untrusted input: sizes are bounded and every failure is a Result.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace callwire::auth {

struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;
  std::string response;
  std::string algorithm;  // as sent; "" when absent (= MD5)
  std::string cnonce;
  std::string opaque;
  std::string qop;        // "" when absent (RFC 2069 style)
  std::string nc;         // as sent (8 hex digits when qop is present)
  bool has_username = false, has_realm = false, has_nonce = false, has_uri = false,
       has_response = false, has_algorithm = false, has_cnonce = false,
       has_opaque = false, has_qop = false, has_nc = false;
};

inline constexpr std::size_t kMaxCredentialsHeader = 4096;  // whole header value
inline constexpr std::size_t kMaxCredentialsParam = 1024;   // one unquoted value
inline constexpr std::size_t kMaxCredentialsParams = 32;    // parameters, known or not

// Parses `Digest p1=v1, p2="v2", …`. The scheme and parameter names are
// case-insensitive; values are tokens or quoted-strings (backslash escapes
// undone). Unknown parameters are ignored; a known one given twice, a bad
// quoted-string, a control character or an oversized input is an error
// (sip::Errc::BadHeaderValue). Requires username, realm, nonce, uri and
// response; qop requires nc and cnonce. Semantics (values, algorithms) are
// the authenticator's business.
[[nodiscard]] Result<DigestCredentials> parse_digest_credentials(std::string_view header_value);

}  // namespace callwire::auth
