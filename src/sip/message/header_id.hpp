#pragma once
#include <cstdint>
#include <string_view>

namespace callwire::sip {

// Headers the stack looks at. Names match case-insensitively, compact forms
// included (i, m, f, t, v, l, c, k, s, e, o, u, r, b, x, y, a, j, d, n).
enum class HeaderId : std::uint8_t {
  Other,
  Accept,
  AcceptContact,
  AcceptEncoding,
  AcceptLanguage,
  AlertInfo,
  Allow,
  AllowEvents,
  AuthenticationInfo,
  Authorization,
  CallId,
  CallInfo,
  Contact,
  ContentDisposition,
  ContentEncoding,
  ContentLanguage,
  ContentLength,
  ContentType,
  CSeq,
  Date,
  ErrorInfo,
  Event,
  Expires,
  From,
  Identity,
  InReplyTo,
  MaxForwards,
  MimeVersion,
  MinExpires,
  MinSE,
  Organization,
  PAssertedIdentity,
  Priority,
  ProxyAuthenticate,
  ProxyAuthorization,
  ProxyRequire,
  RAck,
  Reason,
  RecordRoute,
  ReferTo,
  ReferredBy,
  RejectContact,
  ReplyTo,
  RequestDisposition,
  Require,
  RetryAfter,
  Route,
  RSeq,
  Server,
  SessionExpires,
  Subject,
  Supported,
  Timestamp,
  To,
  Unsupported,
  UserAgent,
  UserToUser,
  Via,
  Warning,
  WwwAuthenticate,
};

HeaderId header_id(std::string_view name);
// The canonical (long, conventionally capitalised) name; "" for Other.
std::string_view header_name(HeaderId id);

}  // namespace callwire::sip
