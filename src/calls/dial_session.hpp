#pragma once
// One <Dial> of a call (contract 10.6): resolves its targets (numbers
// through the account's trunks, <Sip> URIs as written), rings them as
// OutboundLegs (at once, or one after another when sequential), plays a
// ringing tone to the caller meanwhile (unless answerOnBridge), bridges the
// first leg to answer with the caller's media and cancels the others, ends
// the bridge on either side's BYE, timeLimit or the caller's '*'
// (hangupOnStar), records the bridge when asked (dial_recording.hpp), and
// reports a twiml::DialResult. A leg with a screening URL (<Number url>)
// runs its ScreeningCall when it answers, while the other legs keep
// ringing; it wins only when its screening document runs to its end, and a
// leg screened out is hung up and counts as not answered (no-answer). Lives on the call's
// worker and reaches the calling side only through DialHost.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calls/call_services.hpp"
#include "calls/dial_recording.hpp"
#include "calls/invite_facts.hpp"
#include "calls/leg_registry.hpp"
#include "calls/outbound_leg.hpp"
#include "calls/screening_call.hpp"
#include "media/engine/media_bridge.hpp"
#include "sip/stack/stack.hpp"
#include "store/models.hpp"
#include "twiml/call_control.hpp"

namespace callwire::calls {

// What a dial needs from the call that dialed (InboundCall implements it).
class DialHost {
 public:
  virtual ~DialHost() = default;
  // The caller's media, started; nullptr while there is none.
  virtual std::shared_ptr<media::engine::MediaSession> caller_media() = 0;
  // Answers the caller if needed; `ready` runs once its media has started
  // (at once when it has), never if the call ends first.
  virtual void answer_caller(std::function<void()> ready) = 0;
  // Early media toward the unanswered caller (answerOnBridge): a 183 with
  // the caller's SDP answer; `ready` runs once its media has started, never
  // when early media is impossible (the caller's INVITE had no offer).
  virtual void early_media_caller(std::function<void()> ready) = 0;
  // Keys the caller presses while the dial runs (nullptr: stop).
  virtual void dial_digits(std::function<void(char)> on_digit) = 0;
  virtual void dial_alert(int code, std::string message) = 0;
};

// Who dials, for the legs' records, headers and callbacks.
struct DialContext {
  std::string account_sid;
  std::string call_sid;
  std::string auth_token;
  std::string from_host;     // host of the legs' From URIs
  std::string caller;        // the caller's From URI (default caller ID source)
  std::vector<store::Trunk> trunks;  // the account's trunks (loaded by the call)
};

class DialSession : public std::enable_shared_from_this<DialSession> {
 public:
  DialSession(CallServices& services, sip::Stack& stack, std::size_t worker, LegRegistry& registry, DialHost& host,
              DialContext context, twiml::DialRequest request, twiml::DialDone done);
  ~DialSession();

  void start();
  // The caller hung up (or the call ended otherwise): every leg ends, and
  // the result (caller_hung_up) goes to `done`.
  void caller_gone();
  bool finished() const { return finished_; }
  const twiml::DialRequest& request() const { return request_; }

 private:
  // A target the dial could not even try: its status and alert.
  struct Refused {
    std::string status;
    int code = 0;
    std::string message;
  };
  std::optional<LegSpec> spec_for(const twiml::DialTarget& target, Refused& refused);
  void ring_next();  // sequential: the next target; parallel: all of them
  void launch(LegSpec spec);
  void on_leg_answered(OutboundLeg& leg);
  // The leg answered and won: the others end, the caller is answered and bridged.
  void win(const std::shared_ptr<OutboundLeg>& leg);
  // Screening (screening_call.hpp): started on the answer of a leg with a
  // screening URL; its outcome bridges or ends the leg.
  void screen(const std::shared_ptr<OutboundLeg>& leg);
  void on_screened(const OutboundLeg& leg, bool passed);
  // Forgets the leg's screening; true when it had one.
  bool drop_screening(const OutboundLeg& leg);
  void stop_screenings();
  // After a screening failed: the legs still ringing get what is left of
  // the Dial timeout (it is suspended while a screening runs).
  void resume_ring_timer();
  // A leg's status as the Dial result counts it (a screened-out leg: no-answer).
  std::string counted_status(const OutboundLeg& leg) const;
  void on_leg_early_media(OutboundLeg& leg);
  void bridge(const std::shared_ptr<OutboundLeg>& leg);
  void on_leg_ended(OutboundLeg& leg);
  void on_timeout();
  void start_ringback();
  void stop_ringback();
  void start_recording(const std::shared_ptr<OutboundLeg>& leg);
  void report(twiml::DialResult result);
  void cancel_timers();
  std::size_t arm(std::chrono::milliseconds delay, std::function<void()> f);

  CallServices& services_;
  sip::Stack& stack_;
  std::size_t worker_;
  LegRegistry& registry_;
  DialHost& host_;
  DialContext context_;
  twiml::DialRequest request_;
  twiml::DialDone done_;

  std::vector<LegSpec> pending_;  // sequential: targets not rung yet
  std::vector<std::shared_ptr<OutboundLeg>> legs_;
  std::shared_ptr<OutboundLeg> winner_;
  std::shared_ptr<OutboundLeg> early_;  // the leg whose early media the caller hears (answerOnBridge)
  std::shared_ptr<media::engine::MediaBridge> bridge_;
  std::unique_ptr<DialRecording> recording_;  // <Dial record>, while bridged
  std::optional<Refused> last_refusal_;
  bool ringback_ = false;
  bool finished_ = false;
  std::vector<Timers::Id> timers_;
  std::optional<Timers::Id> ring_timer_;
  Clock::time_point ring_started_{};
  std::vector<std::shared_ptr<ScreeningCall>> screenings_;  // legs answered, screening running
  std::vector<const OutboundLeg*> screened_out_;            // compared only, never dereferenced
};

}  // namespace callwire::calls
