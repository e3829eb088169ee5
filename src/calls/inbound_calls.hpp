#pragma once
// Where an INVITE goes after the SIP stack (contract 8.2-8.3): the
// Request-URI host selects the domain, the domain's account must be active,
// at least one auth list must be mapped, credentials are checked (407
// challenge, 403 on a wrong password), then an InboundCall runs it. The IP
// ACL was already checked by InboundAdmission, before any reply.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "calls/call_services.hpp"
#include "calls/inbound_call.hpp"
#include "calls/leg_registry.hpp"
#include "sip/stack/session_handler.hpp"

namespace callwire::calls {

class InboundCalls final : public sip::SessionHandler {
 public:
  explicit InboundCalls(CallServices& services);

  void on_invite(sip::Stack& stack, sip::InviteId id, const sip::Message& invite, const sip::Source& src) override;
  void on_invite_cancelled(sip::Stack& stack, sip::InviteId id) override;
  void on_dialog_ack(sip::Stack& stack, const sip::Dialog& dialog, const sip::Message& ack) override;
  // re-INVITE and UPDATE go to the call; other requests get the stack's answer.
  bool on_dialog_request(sip::Stack& stack, sip::TxId tx, sip::Dialog& dialog, const sip::Message& request) override;
  void on_dialog_ended(sip::Stack& stack, const sip::Dialog& dialog, sip::TerminationReason reason) override;

 private:
  // Calls of one worker; only that worker touches it.
  struct Worker {
    std::unordered_map<sip::InviteId, std::shared_ptr<InboundCall>> by_invite;
    std::unordered_map<sip::DialogId, std::shared_ptr<InboundCall>, sip::DialogIdHash, sip::DialogIdEqual> by_dialog;
    LegRegistry legs;  // the dialogs of calls placed by <Dial>
  };

  // The INVITE once its domain is known (at once when cached, else after a load).
  void route(sip::Stack& stack, std::size_t worker, sip::InviteId id, const sip::Message& invite,
             const sip::Source& src, const std::string& host, DomainRef domain, Clock::time_point received);
  void refuse(sip::Stack& stack, sip::InviteId id, const sip::Message& invite, int status, std::string reason,
              std::string_view metric, sip::MessageParts parts = {});
  void forget(std::size_t worker, InboundCall& call);

  CallServices& services_;
  std::vector<Worker> workers_;
};

}  // namespace callwire::calls
