#include "app/unrouted_calls.hpp"

#include <string>

#include "core/log.hpp"
#include "sip/message/uri.hpp"
#include "sip/stack/stack.hpp"

namespace callwire::app {

void UnroutedCalls::on_invite(sip::Stack& stack, sip::InviteId id, const sip::Message& invite,
                              const sip::Source& src) {
  std::string host = "(unparseable Request-URI)";
  if (auto uri = sip::parse_uri(invite.request_uri())) host = std::string(uri->host);
  log::get("app")->info("[cid={}] INVITE {} from {}: no SIP domain matches {}", invite.call_id(),
                        invite.request_uri(), src.remote_address.to_string(), host);
  if (auto sent = stack.respond(id, 404, "No SIP domain matches " + host); !sent) {
    log::get("app")->warn("[cid={}] could not answer: {}", invite.call_id(), sent.error().what());
  }
}

}  // namespace callwire::app
