#pragma once
// A CallControl that logs what the executor asks of the call, for the
// executor's tests: the order of SIP-facing actions a document produces.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "twiml/executor.hpp"

namespace callwire::twiml::testing {

class RecordingCall final : public CallControl {
 public:
  bool answered() const override { return answered_; }
  void answer() override {
    if (!answered_) log.push_back("answer");
    answered_ = true;
  }
  void reject(int status, std::string_view call_status) override {
    log.push_back("reject " + std::to_string(status) + " " + std::string(call_status));
  }
  void hangup() override { log.push_back(answered_ ? "bye" : "answer+bye"); }
  // A screening leg tells the end of its document from <Hangup>.
  void document_ended() override {
    if (!log_document_end) return hangup();
    log.push_back("end of document");
  }
  void fetch(std::string url, std::string method, ActionParams extra) override {
    std::string line = "fetch " + method + " " + url;
    for (const auto& [k, v] : extra) line += " " + k + "=" + v;
    log.push_back(line);
  }
  void after(std::chrono::milliseconds d, std::function<void()> then) override {
    log.push_back("wait " + std::to_string(d.count()));
    pending = std::move(then);
  }
  void alert(int code, AlertLevel, std::string message) override {
    log.push_back("alert " + std::to_string(code));
    messages.push_back(std::move(message));
  }
  // Logs the pieces as "text text [break 1s] ..." with SSML attributes in braces.
  void say(std::vector<SpeechPiece> pieces, std::string voice, std::string language, unsigned loop,
           MediaDone done) override {
    std::string text;
    for (const auto& p : pieces) {
      if (!text.empty()) text += ' ';
      if (p.is_break) {
        text += "[break " + p.time + p.strength + "]";
        continue;
      }
      text += p.text;
      std::string attrs = p.emphasis + p.rate + p.pitch + p.volume + p.say_as;
      if (!attrs.empty()) text += "{" + attrs + "}";
    }
    log.push_back("say " + text + "|" + voice + "|" + language + "|" + std::to_string(loop));
    media(std::move(done));
  }
  void play(std::string url, unsigned loop, MediaDone done) override {
    log.push_back("play " + url + "|" + std::to_string(loop));
    media(std::move(done));
  }
  void play_digits(std::string digits, MediaDone done) override {
    log.push_back("digits " + digits);
    media(std::move(done));
  }
  void stop_media() override {
    log.push_back("stop");
    // The interrupted media reports later, as the real call does.
    if (pending_media) stale_media.push_back(std::move(pending_media));
    pending_media = nullptr;
  }
  void collect_digits(DigitHandler on_digit) override {
    log.push_back(on_digit ? "collect" : "collect off");
    digits = std::move(on_digit);
  }
  void record(RecordRequest r, RecordDone done) override {
    std::string line = "record max=" + std::to_string(r.max_length.count()) +
                       " silence=" + (r.silence_timeout ? std::to_string(r.silence_timeout->count()) : "none") +
                       " trim=" + (r.trim_silence ? "1" : "0") + " beep=" + (r.play_beep ? "1" : "0") + " action=" +
                       r.action_method + " " + r.action_url;
    if (!r.status_callback.empty()) {
      line += " cb=" + r.status_callback_method + " " + r.status_callback + " events=";
      for (const auto& e : r.status_events) line += e + ",";
    }
    log.push_back(line);
    recording = std::move(done);
  }
  void stop_recording() override { log.push_back("stop recording"); }
  void dial(DialRequest r, DialDone done) override {
    std::string line = "dial timeout=" + std::to_string(r.timeout.count()) + " limit=" +
                       std::to_string(r.time_limit.count());
    if (!r.caller_id.empty()) line += " callerId=" + r.caller_id;
    if (r.answer_on_bridge) line += " answerOnBridge";
    if (r.hangup_on_star) line += " hangupOnStar";
    if (r.sequential) line += " sequential";
    if (!r.action_url.empty()) line += " action=" + r.action_method + " " + r.action_url;
    for (const auto& t : r.targets) {
      line += t.kind == DialTarget::Kind::Number ? " number:" : " sip:";
      line += t.address;
      if (!t.send_digits.empty()) line += "/digits=" + t.send_digits;
      if (!t.byoc.empty()) line += "/byoc=" + t.byoc;
      if (!t.username.empty()) line += "/login=" + t.username + ":" + t.password;
      if (!t.status_callback.empty()) {
        line += "/cb=" + t.status_callback_method + " " + t.status_callback + " events=";
        for (const auto& e : t.status_events) line += e + ",";
      }
    }
    log.push_back(line);
    last_dial = r;
    dialed = std::move(done);
  }
  // Presses a key: the handler runs as the call would run it (later, on its thread).
  void press(char d) {
    ASSERT_TRUE(digits) << "no digit handler for " << d;
    auto h = digits;
    h(d);
  }
  // Fires the pending timer (the last `after`).
  void fire() {
    ASSERT_TRUE(pending);
    auto then = std::move(pending);
    pending = nullptr;
    then();
  }
  // Media ends at once, inside the call (inline_media), or later (pending_media).
  void media(MediaDone done) {
    if (inline_media) {
      done(MediaEnd::Done);
    } else {
      pending_media = std::move(done);
    }
  }
  std::vector<std::string> log;
  std::vector<std::string> messages;
  std::function<void()> pending;
  MediaDone pending_media;
  std::vector<MediaDone> stale_media;
  DigitHandler digits;
  RecordDone recording;
  DialDone dialed;
  std::optional<DialRequest> last_dial;
  bool inline_media = true;
  bool log_document_end = false;
  bool answered_ = false;
};

using Log = std::vector<std::string>;

// An executor running a document against a RecordingCall.
struct Running {
  RecordingCall call;
  std::unique_ptr<Executor> ex;
  explicit Running(const std::string& xml, bool inline_media = true) {
    call.inline_media = inline_media;
    auto doc = parse_document(xml);
    EXPECT_TRUE(doc) << doc.error().what();
    ex = std::make_unique<Executor>(call, std::move(*doc), "https://app.example.com/voice/start?x=1");
    ex->run();
  }
  Log tail(std::size_t from) const { return Log(call.log.begin() + static_cast<long>(from), call.log.end()); }
};


}  // namespace callwire::twiml::testing
