#pragma once
// Checks of the form values Twilio's resources take. Each failure is the
// ApiError the client gets (code and a message naming the parameter and
// what is wrong).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_error.hpp"
#include "http/params.hpp"

namespace callwire::api {

// `text` when it is `prefix` + 32 hex digits, with the hex lowercased (SIDs
// are issued lowercase; Twilio's pattern accepts either case).
std::optional<std::string> normalize_sid(std::string_view text, std::string_view prefix);

// The value of a required parameter; missing or empty → 400 20001
// "Missing required parameter <name> in the post body".
ApiResult<std::string> required_param(const http::Params& form, std::string_view name);

// Valid UTF-8 and at most `max` characters (code points) → else 400 20002.
ApiResult<void> check_friendly_name(std::string_view value, std::size_t max, std::string_view name = "FriendlyName");

// An absolute http:// or https:// URL with a host, no spaces or control
// characters, at most 4096 bytes → else 400 21205 "Invalid URL ...".
ApiResult<void> check_url(std::string_view name, std::string_view value);

// GET or POST in any case, returned upper-case → else 400 21209.
ApiResult<std::string> parse_http_method(std::string_view name, std::string_view value);

// "true" / "false" (any case) → else 400 20001.
ApiResult<bool> parse_boolean(std::string_view name, std::string_view value);

// An optional SID parameter: "" clears it (nullopt), otherwise `prefix` +
// 32 hex → else 400 20001.
ApiResult<std::optional<std::string>> parse_optional_sid(std::string_view name, std::string_view value,
                                                         std::string_view prefix);

// SIP usernames: 1..32 characters of RFC 3261's `user` set without escapes
// (letters, digits and - _ . ! ~ * ' ( ) & = + $ , ; ? /) → else 400 20001.
ApiResult<void> check_username(std::string_view value);

// Password policy: at least 12 characters, a digit, an upper-case and a
// lower-case letter; the message names the first rule that fails (400 20001).
ApiResult<void> check_password(std::string_view value);

struct IpLiteral {
  std::string text;  // canonical form (inet_ntop), e.g. "2001:db8::1"
  bool v6 = false;
};

// One full IPv4 dotted quad or IPv6 address; wildcards, ranges, prefixes and
// zone ids are refused with a message saying to use CidrPrefixLength (400 20001).
ApiResult<IpLiteral> parse_ip_literal(std::string_view value);

// 0..32 for IPv4, 0..128 for IPv6 (0 = the single address) → else 400 20001.
ApiResult<int> parse_cidr_prefix(std::string_view value, bool v6);
ApiResult<void> check_cidr_prefix(int prefix, bool v6);

}  // namespace callwire::api
