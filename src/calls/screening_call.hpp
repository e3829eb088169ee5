#pragma once
// A screened callee (<Number url>, <Sip url>; contract 10.6). Once a dialed
// leg answers, its screening URL is requested (signed, with the child
// call's parameters: CallSid, ParentCallSid, Direction=outbound-dial, and
// for <Sip> SipCallId and the 200 OK's X- headers as SipHeader_X-…) and the
// TwiML it returns runs on the callee's leg: Say/Play/Play digits on the
// leg's MediaSession, Gather reads the callee's keys, Pause, Redirect and
// Gather actions fetch the next document for the same leg. Running off the
// end of the document passes the screening (the dial bridges the leg);
// <Hangup>, <Reject>, <Dial> (refused: screening TwiML must not dial), or a
// failed fetch fail it. <Record> is not run here (a warning; it records
// nothing). Lives on the dial's worker; the outcome is posted, never run
// inside a call into this object.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "calls/call_services.hpp"
#include "calls/media_prompts.hpp"
#include "calls/outbound_leg.hpp"
#include "twiml/call_control.hpp"
#include "twiml/executor.hpp"

namespace callwire::calls {

struct ScreeningContext {
  std::string account_sid;
  std::string parent_call_sid;
  std::string auth_token;  // signs the screening requests
};

class ScreeningCall final : public twiml::CallControl, public std::enable_shared_from_this<ScreeningCall> {
 public:
  // true: the document ran off its end (bridge the leg); false: screened out.
  using Outcome = std::function<void(bool passed)>;

  ScreeningCall(CallServices& services, std::size_t worker, std::shared_ptr<OutboundLeg> leg, ScreeningContext context,
                Outcome outcome);
  ~ScreeningCall() override;

  // Requests the leg's screening URL.
  void start();
  // Stops whatever runs on the leg (its prompts, keys, timers, fetches); no
  // outcome follows. The leg itself is left to its owner.
  void stop();
  const OutboundLeg& leg() const { return *leg_; }

  // twiml::CallControl, for the callee's leg.
  bool answered() const override { return true; }
  void answer() override {}
  void reject(int sip_status, std::string_view call_status) override;
  void hangup() override;
  void document_ended() override;
  void fetch(std::string url, std::string method, twiml::ActionParams extra = {}) override;
  void after(std::chrono::milliseconds delay, std::function<void()> then) override;
  void alert(int code, twiml::AlertLevel level, std::string message) override;
  void say(std::vector<twiml::SpeechPiece> pieces, std::string voice, std::string language, unsigned loop,
           twiml::MediaDone done) override;
  void play(std::string url, unsigned loop, twiml::MediaDone done) override;
  void play_digits(std::string digits, twiml::MediaDone done) override;
  void stop_media() override;
  void collect_digits(twiml::DigitHandler on_digit) override;
  void record(twiml::RecordRequest request, twiml::RecordDone done) override;
  void stop_recording() override {}
  void dial(twiml::DialRequest request, twiml::DialDone done) override;

 private:
  bool live() const { return !concluded_ && leg_->state() == OutboundLeg::State::Answered; }
  std::shared_ptr<media::engine::MediaSession> media() const;
  Params child_params() const;
  void on_answer(const webhook::Outcome& outcome, const std::string& url, const std::string& method,
                 const Params& sent);
  void run(twiml::Document document, std::string url);
  // Ends the screening once: the outcome goes to the owner on a later turn.
  void conclude(bool passed, std::string_view why);
  void alert_on_child(int code, std::string level, std::string message, const std::string& url,
                      const std::string& method, const Params& sent, std::string response_body);

  CallServices& services_;
  std::size_t worker_;
  std::shared_ptr<OutboundLeg> leg_;
  ScreeningContext context_;
  Outcome outcome_;
  MediaPrompts prompts_;

  bool concluded_ = false;
  bool stopped_ = false;
  int documents_ = 0;
  std::uint64_t fetch_seq_ = 0;  // answers to older fetches are ignored
  std::unique_ptr<twiml::Executor> executor_;
  std::vector<Timers::Id> timers_;
  twiml::DigitHandler digit_handler_;
};

}  // namespace callwire::calls
