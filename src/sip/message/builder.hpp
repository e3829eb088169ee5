#pragma once
// Writes SIP messages. Responses to a request copy Via (all, in order), From,
// To, Call-ID and CSeq as RFC 3261 §8.2.6.2 requires; Content-Length is
// always written.
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sip/message/message.hpp"

namespace callwire::sip {

class Builder {
 public:
  static Builder request(std::string_view method, std::string_view request_uri);
  static Builder response(int status, std::string_view reason = {});  // default phrase when empty
  // A response to `req` with Via, From, To, Call-ID, CSeq copied. `to_tag`
  // is added to To when To has no tag yet (and ignored for 100 Trying).
  static Builder response_to(const Message& req, int status, std::string_view reason = {},
                             std::string_view to_tag = {});
  // As above with the first via-parm replaced by `top_via` (the request's top
  // Via with received/rport filled in, see transport's received_via()).
  static Builder response_to(const Message& req, int status, std::string_view reason, std::string_view to_tag,
                             std::string_view top_via);
  // The To tag such a response carries: the request's own, else `to_tag`
  // (a 100 never gets one).
  static std::string_view response_to_tag(const Message& req, int status, std::string_view to_tag);

  // CR/LF in names and values become spaces; Content-Length is ignored here
  // because build() always writes it.
  Builder& header(std::string_view name, std::string_view value);
  Builder& header(HeaderId id, std::string_view value);
  Builder& body(std::string_view content_type, std::string_view body);
  std::string build() const;  // start line, headers, Content-Length, CRLF, body

 private:
  std::string head_;  // start line + headers so far
  std::string body_;
};

// Default reason phrase for a status code ("Unknown" when it has none).
std::string_view reason_phrase(int status);

// The error response for bytes that failed to parse with `error`: a 400/505/
// 513 that copies what it can find of Via, From, To, Call-ID and CSeq and
// says what was wrong in a Warning (399) and a Reason header. nullopt when
// no response can be sent: the bytes are a response, an ACK, or have no
// usable Via, From, To, Call-ID and CSeq (RFC 3261 §18.3, §8.1.3.3).
std::optional<std::string> error_response(std::string_view bytes, const Error& error);

}  // namespace callwire::sip
