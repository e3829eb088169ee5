#pragma once
// One inbound call after authentication: its Call record, its webhooks, and
// the TwiML it runs. Lives on the worker that owns its Call-ID; webhook
// answers are posted back there. Implements the CallControl the TwiML
// executor drives (answer, reject, hangup, fetch, timers, alerts).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calls/call_log.hpp"
#include "calls/call_services.hpp"
#include "calls/invite_facts.hpp"
#include "sip/stack/stack.hpp"
#include "twiml/call_control.hpp"
#include "twiml/executor.hpp"
#include "webhook/request.hpp"

namespace callwire::calls {

class InboundCall final : public twiml::CallControl, public std::enable_shared_from_this<InboundCall> {
 public:
  InboundCall(CallServices& services, sip::Stack& stack, std::size_t worker, sip::InviteId invite,
              DomainRef domain, CallIdentity identity, InviteFacts facts, std::string offer,
              Clock::time_point received);

  // 180 Ringing, the Call record, then the voice webhook.
  void start();
  // SIP events, from InboundCalls.
  void on_cancelled();
  void on_confirmed();
  void on_ended();

  sip::InviteId invite() const { return invite_; }
  const std::optional<sip::DialogId>& dialog() const { return dialog_; }
  const std::string& sid() const { return identity_.call_sid; }
  // Called once when the call is over, so its owner can forget it.
  std::function<void(InboundCall&)> on_finished;

  // twiml::CallControl
  bool answered() const override { return phase_ != Phase::Ringing; }
  void answer() override;
  void reject(int sip_status, std::string_view call_status) override;
  void hangup() override;
  void fetch(std::string url, std::string method) override;
  void after(std::chrono::milliseconds delay, std::function<void()> then) override;
  void alert(int code, twiml::AlertLevel level, std::string message) override;

 private:
  enum class Phase { Ringing, Answered, Confirmed, Ended };
  enum class Kind { Voice, Fallback, Action };

  void request_document(std::string url, std::string method, Kind kind, Params extra = {});
  void on_document(const webhook::Outcome& outcome, const std::string& url, const std::string& method, Kind kind,
                   const Params& sent, Clock::time_point started);
  void document_failed(int code, std::string message, const std::string& url, const std::string& method,
                       Kind kind, const Params& sent, std::string response_body);
  void finish(std::string status, int sip_code);
  void send_status_callback();
  std::string call_status() const { return phase_ == Phase::Ringing ? "ringing" : "in-progress"; }
  void record_update();
  void alert_for(int code, std::string level, std::string message, const std::string& url, const std::string& method,
                 const Params& sent, std::string response_body);

  CallServices& services_;
  sip::Stack& stack_;
  std::size_t worker_;
  sip::InviteId invite_;
  DomainRef domain_;
  CallIdentity identity_;
  InviteFacts facts_;
  std::string offer_;
  Clock::time_point received_;

  Phase phase_ = Phase::Ringing;
  std::optional<sip::DialogId> dialog_;
  bool bye_after_ack_ = false;
  std::optional<Clock::time_point> answered_at_;
  std::uint64_t fetch_seq_ = 0;  // answers to older fetches are ignored
  int documents_ = 0;
  std::unique_ptr<twiml::Executor> executor_;
  std::vector<Timers::Id> timers_;
  store::Call record_;
};

}  // namespace callwire::calls
