#pragma once
// What the call layer gives Stack::invite() to place a call (the UAC side of
// a leg), and the events it hears back. Every event runs on the stack's
// worker, never inside invite() or cancel().
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sip/dialog/dialog_id.hpp"
#include "sip/message/message.hpp"

namespace callwire::sip {

using OutgoingId = std::uint64_t;  // 0 is never valid

// Credentials for the far end's 401/407 challenge (RFC 3261 §22.2/§22.3).
struct DigestLogin {
  std::string username;
  std::string password;
};

struct OutgoingInvite {
  // sip:/sips: URI, may carry ;transport=udp|tcp|tls and a port; no ?headers.
  std::string request_uri;
  // Optional URI the request is sent to instead of the Request-URI's host (a
  // carrier trunk or outbound proxy), e.g. "sip:10.0.0.1:5070;transport=tcp".
  // The request goes to its address without a Route header and with the
  // Request-URI unchanged, which is what trunks expect.
  std::string next_hop;
  std::string from_uri, from_display;  // the stack adds ;tag=
  std::string to_uri, to_display;
  // Chosen by the caller: one that hashes to this stack's worker.
  std::string call_id;
  // Extra headers, written in order: X-..., User-to-User, P-Asserted-Identity, ...
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type, body;  // the SDP offer
  std::optional<DigestLogin> login;  // answers the far end's 401/407
};

struct OutgoingEvents {
  // 101-199. With a To tag, the early UAC dialog exists (Stack::dialogs()).
  std::function<void(const Message& response)> on_provisional;
  // The first 2xx; its ACK is already sent. The dialog then behaves like an
  // inbound one: Stack::hangup, SessionHandler::on_dialog_request/ended.
  std::function<void(const Message& response, const DialogId& dialog)> on_answered;
  // The call did not happen: a final >= 300 (after any auth retry) with the
  // response; 408 + nullptr on timer B; 503 + nullptr on a transport error,
  // no route or a DNS failure; 487 after cancel() (with the 487 when the far
  // end sent one, nullptr when a 2xx crossed the CANCEL and was hung up).
  std::function<void(int status, const Message* response)> on_failed;
};

}  // namespace callwire::sip
