#pragma once
// One inbound call after authentication: its Call record, its webhooks, its
// media session and the TwiML it runs. Lives on the worker that owns its
// Call-ID; webhook answers, TTS results and decoded <Play> media are posted
// back there. Implements the CallControl the TwiML executor drives (answer,
// reject, hangup, fetch, timers, alerts, say, play). The media half is in
// inbound_call_media.cpp.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calls/call_log.hpp"
#include "calls/call_services.hpp"
#include "calls/dial_session.hpp"
#include "calls/invite_facts.hpp"
#include "calls/leg_registry.hpp"
#include "calls/media_prompts.hpp"
#include "calls/session_timer.hpp"
#include "media/engine/media_session.hpp"
#include "media/sdp/negotiation.hpp"
#include "sip/stack/stack.hpp"
#include "twiml/call_control.hpp"
#include "twiml/executor.hpp"
#include "webhook/request.hpp"

namespace callwire::calls {

class InboundCall final : public twiml::CallControl,
                          private DialHost,
                          public std::enable_shared_from_this<InboundCall> {
 public:
  // `legs` is the worker's registry of dialed legs (for <Dial>).
  InboundCall(CallServices& services, sip::Stack& stack, std::size_t worker, LegRegistry& legs, sip::InviteId invite,
              DomainRef domain, CallIdentity identity, InviteFacts facts, std::string offer,
              Clock::time_point received);

  // 180 Ringing, the Call record, then the voice webhook.
  void start();
  // SIP events, from InboundCalls.
  void on_cancelled();
  // The ACK arrived; `ack_body` is the SDP answer when our 200 carried the offer.
  void on_confirmed(std::string_view ack_body = {});
  void on_ended();
  // A re-INVITE or UPDATE in the call's dialog, answered through
  // Stack::respond_in_dialog; the ACK of a re-INVITE's 2xx, whose body
  // answers our offer when the re-INVITE had none (inbound_call_reinvite.cpp).
  void on_modify(sip::TxId tx, const sip::Message& request);
  void on_reinvite_ack(std::string_view ack_body);
  // An INFO in the call's dialog: application/dtmf-relay or application/dtmf
  // keys go to Gather/Record like RFC 4733 ones (the stack answers 200).
  void on_info(const sip::Message& request);

  sip::InviteId invite() const { return invite_; }
  const std::optional<sip::DialogId>& dialog() const { return dialog_; }
  const std::string& sid() const { return identity_.call_sid; }
  // Called once when the call is over, so its owner can forget it.
  std::function<void(InboundCall&)> on_finished;
  // What the INVITE said about RFC 4028 session timers (before start()).
  void set_session_request(const SessionTimerHeaders& request) { session_request_ = request; }

  // twiml::CallControl
  bool answered() const override { return phase_ != Phase::Ringing; }
  void answer() override;
  void reject(int sip_status, std::string_view call_status) override;
  void hangup() override;
  void fetch(std::string url, std::string method, twiml::ActionParams extra = {}) override;
  void after(std::chrono::milliseconds delay, std::function<void()> then) override;
  void alert(int code, twiml::AlertLevel level, std::string message) override;
  void say(std::vector<twiml::SpeechPiece> pieces, std::string voice, std::string language, unsigned loop,
           twiml::MediaDone done) override;
  void play(std::string url, unsigned loop, twiml::MediaDone done) override;
  void play_digits(std::string digits, twiml::MediaDone done) override;
  void stop_media() override;
  // Gather and Record (inbound_call_input.cpp).
  void collect_digits(twiml::DigitHandler on_digit) override;
  void record(twiml::RecordRequest request, twiml::RecordDone done) override;
  void stop_recording() override;
  // <Dial> (inbound_call_dial.cpp).
  void dial(twiml::DialRequest request, twiml::DialDone done) override;

 private:
  // DialHost (inbound_call_dial.cpp)
  std::shared_ptr<media::engine::MediaSession> caller_media() override;
  void answer_caller(std::function<void()> ready) override;
  void early_media_caller(std::function<void()> ready) override;
  void dial_digits(std::function<void(char)> on_digit) override;
  void dial_alert(int code, std::string message) override;
  void start_dial(twiml::DialRequest request, twiml::DialDone done, std::vector<store::Trunk> trunks);

  enum class Phase { Ringing, Answered, Confirmed, Ended };
  enum class Kind { Voice, Fallback, Action };

  void request_document(std::string url, std::string method, Kind kind, Params extra = {});
  void on_document(const webhook::Outcome& outcome, const std::string& url, const std::string& method, Kind kind,
                   const Params& sent, Clock::time_point started);
  void document_failed(int code, std::string message, const std::string& url, const std::string& method,
                       Kind kind, const Params& sent, std::string response_body);
  void run_document(twiml::Document document, std::string url);
  void finish(std::string status, int sip_code);
  void send_status_callback();
  std::string call_status() const { return phase_ == Phase::Ringing ? "ringing" : "in-progress"; }
  void record_update();
  void alert_for(int code, std::string level, std::string message, const std::string& url, const std::string& method,
                 const Params& sent, std::string response_body);

  // --- media (inbound_call_media.cpp)
  media::engine::MediaEngine* media_engine() const;
  // The SDP of our 200: an answer to the INVITE's offer (media session bound,
  // started once the 200 is sent), our offer when the INVITE had none, or,
  // without a media engine, a decline of every stream. nullopt: the call was
  // refused (488 no common codec, 503 no RTP port) and is over.
  std::optional<std::string> answer_sdp();
  void start_media();
  // The ACK's answer to our offer; false: unusable (the call is hung up).
  bool accept_ack_answer(std::string_view body);
  void refuse_media(int status, std::string reason);
  void close_media();
  // Media verbs wait for the ACK when our 200 carried the offer.
  bool awaiting_answer() const { return our_offer_.has_value() && !negotiated_.has_value(); }
  bool media_ready() const { return session_ && session_->started() && !session_->closed(); }
  // Say, Play and Play digits on session_ (made on first use).
  MediaPrompts& prompts();
  // --- re-INVITE / UPDATE (inbound_call_reinvite.cpp)
  void refuse_modify(sip::TxId tx, const sip::Message& request, int status, std::string reason);
  // Applies a new negotiation to the running session; false: nothing changed.
  bool apply_media(media::sdp::Negotiated next, std::string& why);
  media::sdp::LocalMedia modify_local() const;

  // --- RFC 4028 session timer (inbound_call_timer.cpp)
  // Adds Session-Expires (and Require) to our 2xx to session_request_ and
  // (re)starts the timer on the terms it states.
  sip::MessageParts with_session(sip::MessageParts parts);
  void refresh_session();
  void on_refresh_answer(int status, const sip::Message* response, bool invite);
  void stop_session_timer();

  // --- <Record> (inbound_call_input.cpp)
  struct ActiveRecording;
  void start_recording(std::shared_ptr<ActiveRecording> rec);
  void on_recorded(const std::shared_ptr<ActiveRecording>& rec, Result<media::engine::RecordingInfo> info);
  void watch_recording(std::shared_ptr<ActiveRecording> rec);
  // Writes the row off the worker (later states win), then runs `then` there.
  void save_recording_row(const std::shared_ptr<ActiveRecording>& rec, std::function<void()> then);
  void send_recording_status(const ActiveRecording& rec);

  CallServices& services_;
  sip::Stack& stack_;
  std::size_t worker_;
  LegRegistry& legs_;
  sip::InviteId invite_;
  DomainRef domain_;
  CallIdentity identity_;
  InviteFacts facts_;
  std::string offer_;
  Clock::time_point received_;

  Phase phase_ = Phase::Ringing;
  std::optional<sip::DialogId> dialog_;
  bool bye_after_ack_ = false;
  static constexpr std::chrono::milliseconds kPlayoutDrain{200};
  std::optional<Clock::time_point> last_audio_end_;  // when the last prompt finished sending
  bool bye_deferred_ = false;
  std::optional<Clock::time_point> answered_at_;
  std::uint64_t fetch_seq_ = 0;  // answers to older fetches are ignored
  int documents_ = 0;
  std::unique_ptr<twiml::Executor> executor_;
  std::vector<Timers::Id> timers_;
  store::Call record_;

  std::shared_ptr<media::engine::MediaSession> session_;
  std::unique_ptr<MediaPrompts> prompts_;
  media::sdp::LocalMedia local_media_;
  std::optional<media::sdp::Negotiated> negotiated_;
  std::optional<media::sdp::SessionDescription> our_offer_;  // INVITE without SDP
  std::function<void()> after_answer_;  // a media verb waiting for the ACK's answer
  twiml::DigitHandler digit_handler_;  // Gather / Record keys
  std::shared_ptr<ActiveRecording> recording_;
  std::optional<media::sdp::SessionDescription> reoffer_;  // ours, in a 200 to a re-INVITE without SDP
  std::shared_ptr<DialSession> dial_;  // the <Dial> running, if any
  std::shared_ptr<std::string> dial_final_status_;  // the call's end status, for a Dial action after hangup
  SessionTimerHeaders session_request_;  // the INVITE's, then each refresh's
  std::unique_ptr<SessionTimer> session_timer_;
  bool peer_allows_update_ = false;  // the caller's Allow lists UPDATE
};

}  // namespace callwire::calls
