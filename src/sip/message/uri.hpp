#pragma once
// SIP, SIPS and tel URIs (RFC 3261 §19.1, RFC 3966), parsed into views of the
// caller's text. Escaped characters stay escaped in the views; use unescape()
// to compare user parts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sip/message/params.hpp"

namespace callwire::sip {

enum class Scheme : std::uint8_t { Sip, Sips, Tel, Other };

struct Uri {
  Scheme scheme = Scheme::Other;
  std::string_view scheme_text;  // as written ("SIP" is valid: schemes are case-insensitive)
  std::string_view user;         // sip/sips userinfo user, or the tel number
  std::string_view password;
  bool has_password = false;
  std::string_view host;         // IPv6 without the brackets
  bool host_is_ipv6 = false;
  std::optional<std::uint16_t> port;
  Params params;                 // ";transport=tcp;lr" (tel: its parameters)
  Params headers;                // "?X-Foo=bar&Subject=x" (name/value of each)
  std::string_view text;         // the whole URI as given

  const Param* param(std::string_view name) const { return find_param(params, name); }
  // "host" or "[v6]" with ":port" when present.
  std::string host_port() const;
};

[[nodiscard]] Result<Uri> parse_uri(std::string_view text);

// RFC 3261 §19.1.4 equivalence (case rules, escapes, significant params).
bool uri_equivalent(const Uri& a, const Uri& b);

}  // namespace callwire::sip
