#pragma once
// HTTP Basic credentials (RFC 7617): "Authorization: Basic base64(user:pass)".
#include <optional>
#include <string>
#include <string_view>

namespace callwire::http {

struct BasicCredentials {
  std::string user;
  std::string password;
  friend bool operator==(const BasicCredentials&, const BasicCredentials&) = default;
};

// The credentials of an Authorization header value. Anything malformed (other
// scheme, bad base64, no ':' after decoding, empty user) gives nullopt: the
// caller answers 401 as for missing credentials. The scheme is matched
// case-insensitively; the password may contain ':'.
std::optional<BasicCredentials> parse_basic_auth(std::string_view header_value);

// "Basic dXNlcjpwYXNz", for the client side.
std::string format_basic_auth(std::string_view user, std::string_view password);

// Standard base64 (RFC 4648 §4) with padding; decoding requires correct
// padding and no whitespace.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace callwire::http
