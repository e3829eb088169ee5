#pragma once
// The narrow interface TwiML execution drives a call through. The call layer
// implements it (SIP signalling, media, webhooks, timers); the executor never
// sees SIP, RTP or HTTP. Every method is called on the call's own thread.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "twiml/document.hpp"

namespace callwire::twiml {

enum class AlertLevel { Error, Warning };

// How a media verb ended: Done (played to the end), Interrupted (stopped:
// barge-in, a new document), Failed (no media, TTS or fetch failure; the
// call has raised the alert).
enum class MediaEnd { Done, Interrupted, Failed };
using MediaDone = std::function<void(MediaEnd)>;

// Form parameters a verb adds to its action request (Digits, RecordingUrl, ...).
using ActionParams = std::vector<std::pair<std::string, std::string>>;

// A key the caller pressed: 0-9, *, #, A-D.
using DigitHandler = std::function<void(char)>;

// <Record>, as the executor validated it. URLs are absolute.
struct RecordRequest {
  std::chrono::milliseconds max_length{std::chrono::hours(1)};
  std::optional<std::chrono::milliseconds> silence_timeout{std::chrono::seconds(5)};  // nullopt: timeout="0"
  bool trim_silence = true;
  bool play_beep = true;
  // The action: the call posts it itself (Digits=hangup, answer ignored)
  // when the caller hangs up while recording, since the executor is gone.
  std::string action_url;
  std::string action_method = "POST";
  std::string status_callback;  // recordingStatusCallback; "" = none
  std::string status_callback_method = "POST";
  std::vector<std::string> status_events{"completed"};  // in-progress, completed, absent
};

struct RecordResult {
  bool failed = false;       // nothing recorded (the call raised the alert)
  bool heard_sound = false;  // false: an empty recording (contract 10.7: skip the action)
  std::string sid;           // RecordingSid
  std::string url;           // RecordingUrl, without extension
  int duration = 0;          // RecordingDuration, whole seconds
};
using RecordDone = std::function<void(RecordResult)>;

// A run of <Say> text with the SSML attributes of the elements around it
// (as written; the media layer interprets them), or one <break>.
struct SpeechPiece {
  bool is_break = false;
  std::string text;
  std::string emphasis;  // <emphasis level> ("moderate" when absent); "" outside <emphasis>
  std::string rate, pitch, volume;  // <prosody>
  std::string say_as;    // <say-as interpret-as>
  std::string time, strength;  // <break>
};

// One party a <Dial> rings, as the executor read it from a noun (or the
// bare number of <Dial>). The call layer resolves it: a Number through the
// account's outbound trunks, a Sip URI as written (contract 8.9).
struct DialTarget {
  enum class Kind { Number, Sip };
  Kind kind = Kind::Number;
  std::string address;            // the number or SIP URI, as written
  std::string send_digits;        // <Number sendDigits>: played to the callee once it answers
  std::string byoc;               // <Number byoc>: the trunk to use ("" = by the number)
  std::string username, password; // <Sip>: for the far end's 401/407
  std::string status_callback;    // "" = none
  std::string status_callback_method = "POST";
  std::vector<std::string> status_events{"completed"};  // initiated ringing answered completed
  // <Number url>/<Sip url> (absolute; "" = none): screening TwiML requested
  // when the callee answers and run on the callee's leg before the bridge.
  std::string screen_url;
  std::string screen_method = "POST";
};

// <Dial>, as the executor validated it. URLs are absolute.
struct DialRequest {
  std::vector<DialTarget> targets;  // rung at once (first to answer wins) unless `sequential`
  bool sequential = false;
  std::chrono::seconds timeout{30};           // ringing, per attempt
  std::chrono::seconds time_limit{14400};     // bridged
  std::string caller_id;                      // "" = the call layer's default
  bool answer_on_bridge = false;              // stay unanswered until the callee answers
  bool hangup_on_star = false;
  std::string ring_tone;                      // <Dial ringTone> country code; "" = us
  // <Dial record>: the bridged call is recorded from the moment the bridge
  // starts to its end (record-from-ringing starts at the bridge too: callwire
  // records the bridged media only), mono mixed or dual (channel 1 the
  // caller, channel 2 the callee).
  enum class Record { None, Mono, Dual };
  Record record = Record::None;
  bool record_trim_silence = false;           // <Dial trim>: default do-not-trim
  std::string recording_status_callback;      // "" = none
  std::string recording_status_callback_method = "POST";
  std::vector<std::string> recording_status_events{"completed"};  // in-progress completed absent
  // The action: the call posts it itself (answer ignored) when the caller
  // hangs up while dialing or bridged, since the executor is gone then.
  std::string action_url;                     // "" = none: the document goes on after <Dial>
  std::string action_method = "POST";
};

struct DialResult {
  std::string status = "failed";  // DialCallStatus: completed busy no-answer failed canceled
  std::string call_sid;           // DialCallSid: the leg that answered (or the last one tried)
  int duration = 0;               // DialCallDuration: whole seconds bridged
  bool bridged = false;           // DialBridged
  bool caller_hung_up = false;    // the call is over; only the action is left to post
  // <Sip> targets: DialSipCallId, DialSipResponseCode and DialSipHeader_X-… (contract 10.6).
  std::string sip_call_id;
  int sip_response_code = 0;
  std::vector<std::pair<std::string, std::string>> sip_headers;
  // <Dial record>: the recording of the bridge (empty when nothing was recorded).
  std::string recording_sid;      // RecordingSid
  std::string recording_url;      // RecordingUrl, without extension
  int recording_duration = 0;     // RecordingDuration, whole seconds
};
using DialDone = std::function<void(DialResult)>;

// The parameters a <Dial> action gets for `result` (contract 10.6).
ActionParams dial_action_params(const DialResult& result);

class CallControl {
 public:
  virtual ~CallControl() = default;

  virtual bool answered() const = 0;
  // Answers the call (200 OK) if it is not answered yet.
  virtual void answer() = 0;
  // Refuses an unanswered call with a final SIP status; `call_status` is the
  // Call's final status ("busy", "no-answer").
  virtual void reject(int sip_status, std::string_view call_status) = 0;
  // Ends the call: answered → BYE; unanswered → answered first, then BYE
  // (contract 8.4: <Hangup> as first verb still answers).
  virtual void hangup() = 0;
  // Requests `url` with `method` and executes the TwiML it returns in place
  // of the current document (Redirect, Gather/Record actions). `extra` is
  // sent after the standard call parameters.
  virtual void fetch(std::string url, std::string method, ActionParams extra = {}) = 0;
  // Runs `then` after `delay` on the call's thread unless the call ends first.
  virtual void after(std::chrono::milliseconds delay, std::function<void()> then) = 0;
  // A debugger alert about the current document (code is Twilio's).
  virtual void alert(int code, AlertLevel level, std::string message) = 0;
  // The document ran off its last verb (not <Hangup>): the call hangs up
  // (contract 8.4). A screening leg (<Number url>) is bridged instead.
  virtual void document_ended() { hangup(); }

  // Media verbs, on an answered call. `loop` 0 repeats until the call ends
  // or stop_media(). `done` runs once on the call's thread, never inside the
  // call that started it; it does not run when the call ends first.
  // <Say>: text to speech (`voice`, `language` as written in the TwiML).
  virtual void say(std::vector<SpeechPiece> pieces, std::string voice, std::string language, unsigned loop,
                   MediaDone done) = 0;
  // <Play>: the audio at `url` (absolute), fetched with a plain GET.
  virtual void play(std::string url, unsigned loop, MediaDone done) = 0;
  // <Play digits>: DTMF towards the caller ('w' = 0.5 s, 'W' = 1 s pause).
  virtual void play_digits(std::string digits, MediaDone done) = 0;
  // Ends whatever is playing (its `done` gets Interrupted).
  virtual void stop_media() = 0;

  // Input verbs. The caller's keys (RFC 4733 events, in-band tones) go to
  // `on_digit` on the call's thread, never inside the call that set it,
  // until it is replaced; nullptr stops collecting.
  virtual void collect_digits(DigitHandler on_digit) = 0;
  // <Record>: (beep, then) records what the caller says until max_length,
  // the silence timeout or stop_recording(). `done` runs once on the call's
  // thread, never inside record() or stop_recording(); it does not run when
  // the call ends first (the call then finishes the recording and posts the
  // action itself, see RecordRequest).
  virtual void record(RecordRequest request, RecordDone done) = 0;
  virtual void stop_recording() = 0;

  // <Dial>: rings the targets, bridges the first that answers with the call
  // and reports how it went. `done` runs once on the call's thread, never
  // inside dial(); it does not run when the caller hangs up first (the call
  // then posts the action itself, see DialRequest).
  virtual void dial(DialRequest request, DialDone done) = 0;
};

}  // namespace callwire::twiml
