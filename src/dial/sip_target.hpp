#pragma once
// The body of <Dial><Sip> (contract 8.9), e.g.
//   sip:bob@pbx.example.com:5070;transport=tcp;secure=true?X-Tenant=7&User-to-User=abc
// split into what the outbound INVITE needs.
//
// - `sip:` only: `sips:` is refused (SipsNotSupported); tel: and others are
//   InvalidSipUri. The whole text must be < 255 characters (UriTooLong), the
//   header part after '?' < 1024 (HeadersTooLong).
// - callwire-only URI parameters are taken out of the Request-URI: `secure`
//   (true/false), `edge` and `region` (accepted and recorded; callwire has one
//   edge). `transport` stays in the Request-URI and must be udp, tcp or tls.
//   Other parameters (user=phone, lr, …) are kept as written.
// - URI headers become SIP headers, %-decoded. Allowed: X-* (any case),
//   User-to-User, Remote-Party-ID, P-Preferred-Identity, P-Called-Party-ID;
//   anything else (From, Call-ID, Route, …) is HeaderNotAllowed, because a
//   TwiML author must not be able to forge the dialog's own headers. A value
//   with CR, LF or NUL after decoding is refused (header injection).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "dial/sip_transport.hpp"

namespace callwire::dial {

inline constexpr std::size_t kMaxSipUriLength = 254;     // "< 255 chars"
inline constexpr std::size_t kMaxSipHeadersLength = 1023;  // "< 1024 chars"

struct SipHeader {
  std::string name;   // as written (case kept)
  std::string value;  // %-decoded

  friend bool operator==(const SipHeader&, const SipHeader&) = default;
};

struct SipTarget {
  // "sip:bob@pbx.example.com:5070;transport=tcp": no headers, no secure /
  // edge / region; otherwise as written.
  std::string request_uri;
  std::string user;  // as written (escapes kept); "" when the URI has none
  std::string host;  // IPv6 without brackets (see host_is_ipv6)
  bool host_is_ipv6 = false;
  std::optional<std::uint16_t> port;  // as written; nullopt = default / DNS SRV
  SipTransport transport = SipTransport::Udp;
  bool transport_given = false;  // ;transport= was present
  bool secure = false;           // ;secure=true: SRTP (AES_CM_128_HMAC_SHA1_80) toward the callee
  std::string edge;              // the edge= or region= value, "" when absent
  std::vector<SipHeader> headers;

  // The port to send to when no DNS SRV applies: the given one, else 5060 /
  // 5061 for TLS.
  std::uint16_t effective_port() const { return port.value_or(default_port(transport)); }
};

[[nodiscard]] Result<SipTarget> parse_sip_target(std::string_view text);

// Whether a URI header may be set from <Sip> (see above); case-insensitive.
bool sip_header_allowed(std::string_view name);

}  // namespace callwire::dial
