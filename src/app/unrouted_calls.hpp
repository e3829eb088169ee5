#pragma once
// The call handler used until SIP domains exist: every INVITE is answered
// 404 Not Found with a Reason naming the Request-URI host, because no SIP
// domain can match it yet. Domain routing replaces this.
#include "sip/stack/session_handler.hpp"

namespace callwire::app {

class UnroutedCalls final : public sip::SessionHandler {
 public:
  void on_invite(sip::Stack& stack, sip::InviteId id, const sip::Message& invite,
                 const sip::Source& src) override;
  void on_invite_cancelled(sip::Stack& stack, sip::InviteId id) override {}
};

}  // namespace callwire::app
