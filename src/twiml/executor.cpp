#include "twiml/executor.hpp"

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

#include "twiml/errc.hpp"
#include "twiml/url.hpp"
#include "twiml/verb_attributes.hpp"

namespace callwire::twiml {
namespace {

// Interrupted or failed media goes on too (the call raised the alert); a
// call that ended never calls back.
MediaDone on_media_end(std::function<void()> then) {
  return [then = std::move(then)](MediaEnd) { then(); };
}

// Twilio's loop: 0 repeats (until the call ends), else that many times.
bool parse_loop(std::string_view text, unsigned& loop) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  loop = std::min(value, 1000u);  // contract 10.2/10.3: up to 1000 times
  return true;
}

bool valid_play_digit(char c) {
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D') || c == 'w' || c == 'W';
}

// The pieces of a <Say>: its text runs in document order, each with the
// SSML attributes of the elements around it, and its <break>s. Unknown SSML
// elements contribute their text; <sub> its alias.
void collect_speech(const Node& node, const SpeechPiece& around, std::vector<SpeechPiece>& out) {
  auto add_text = [&](const std::string& text, const SpeechPiece& attrs) {
    if (text.empty()) return;
    SpeechPiece p = attrs;
    p.text = text;
    out.push_back(std::move(p));
  };
  // A node built without the parser (a spoken text/plain answer) has only `text`.
  add_text(node.children.empty() ? node.text : node.lead, around);
  for (const auto& child : node.children) {
    if (child.name == "break") {
      SpeechPiece b;
      b.is_break = true;
      b.time = child.attr("time");
      b.strength = child.attr("strength");
      out.push_back(std::move(b));
    } else if (child.name == "sub") {
      add_text(std::string(child.attr("alias", child.text)), around);
    } else {
      SpeechPiece inner = around;
      if (child.name == "emphasis") inner.emphasis = child.attr("level", "moderate");
      if (child.name == "prosody") {
        if (child.has_attr("rate")) inner.rate = child.attr("rate");
        if (child.has_attr("pitch")) inner.pitch = child.attr("pitch");
        if (child.has_attr("volume")) inner.volume = child.attr("volume");
      }
      if (child.name == "say-as") inner.say_as = child.attr("interpret-as");
      collect_speech(child, inner, out);
    }
    add_text(child.tail, around);
  }
}

}  // namespace

Executor::Executor(CallControl& call, Document document, std::string document_url, ExecutorConfig config)
    : call_(call), document_(std::move(document)), document_url_(std::move(document_url)), config_(config) {}

void Executor::run() {
  running_ = true;
  while (!finished_) {
    if (next_ >= document_.verbs.size()) {
      // End of document: the call is over (contract 8.4).
      finished_ = true;
      running_ = false;
      call_.document_ended();
      return;
    }
    const Node& verb = document_.verbs[next_++];
    switch (execute(verb)) {
      case Step::Next: break;
      case Step::Wait:
        if (resume_pending_) {  // the wait ended before execute() returned
          resume_pending_ = false;
          break;
        }
        running_ = false;
        return;
      case Step::Stop: finished_ = true; running_ = false; return;
    }
  }
  running_ = false;
}

void Executor::resume() {
  if (running_) {
    resume_pending_ = true;
    return;
  }
  run();
}

Executor::Then Executor::guarded(Then f) {
  std::weak_ptr<int> alive = alive_;
  return [alive, f = std::move(f)] {
    if (!alive.expired()) f();
  };
}

Executor::Step Executor::execute(const Node& verb) {
  if (verb.name == "Hangup") {
    call_.hangup();
    return Step::Stop;
  }
  if (verb.name == "Reject") return reject(verb);
  if (verb.name == "Redirect") return redirect(verb);
  if (verb.name == "Pause") return pause(verb, guarded([this] { resume(); }));
  if (verb.name == "Say") return say(verb, guarded([this] { resume(); }));
  if (verb.name == "Play") return play(verb, guarded([this] { resume(); }));
  if (verb.name == "Gather") return gather(verb);
  if (verb.name == "Record") return record(verb);
  if (verb.name == "Dial") return dial(verb);
  // Not executable yet (needs the media engine): documented as absent.
  call_.answer();
  call_.alert(static_cast<int>(Errc::Schema), AlertLevel::Warning,
              "<" + verb.name + "> is not supported by this callwire version; skipped");
  return Step::Next;
}

Executor::Step Executor::reject(const Node& verb) {
  // Only meaningful before the answer; later it ends the call like Hangup.
  if (call_.answered()) {
    call_.hangup();
    return Step::Stop;
  }
  std::string_view reason = verb.attr("reason", "rejected");
  if (reason == "busy") {
    call_.reject(486, "busy");
  } else {
    if (reason != "rejected") {
      call_.alert(static_cast<int>(Errc::Schema), AlertLevel::Warning,
                  "<Reject reason=\"" + std::string(reason) + "\"> is not busy|rejected; treated as rejected");
    }
    call_.reject(config_.reject_status, "no-answer");
  }
  return Step::Stop;
}

Executor::Step Executor::redirect(const Node& verb) {
  std::string_view method = verb.attr("method", "POST");
  if (!iequals(method, "GET") && !iequals(method, "POST")) {
    call_.alert(static_cast<int>(Errc::RedirectMethod), AlertLevel::Error,
                "<Redirect method=\"" + std::string(method) + "\"> is not GET or POST");
    call_.hangup();
    return Step::Stop;
  }
  if (verb.text.empty()) {
    call_.alert(static_cast<int>(Errc::Schema), AlertLevel::Error, "<Redirect> without a URL");
    call_.hangup();
    return Step::Stop;
  }
  std::string upper = iequals(method, "GET") ? "GET" : "POST";
  call_.fetch(resolve_url(document_url_, verb.text), std::move(upper), {});
  return Step::Stop;
}

Executor::Step Executor::pause(const Node& verb, Then then) {
  std::string_view text = verb.attr("length", "1");
  int seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || seconds < 0) {
    call_.alert(static_cast<int>(Errc::PauseLength), AlertLevel::Warning,
                "<Pause length=\"" + std::string(text) + "\"> is not a whole number of seconds; paused 1 s");
    seconds = 1;
  }
  if (seconds == 0) return Step::Next;
  // A Pause before the answer keeps the call ringing (contract 8.4).
  call_.after(std::chrono::seconds(seconds), std::move(then));
  return Step::Wait;
}

Executor::Step Executor::say(const Node& verb, Then then) {
  call_.answer();
  unsigned loop = 1;
  if (!parse_loop(verb.attr("loop", "1"), loop)) {
    call_.alert(static_cast<int>(Errc::SayLoop), AlertLevel::Warning,
                "<Say loop=\"" + std::string(verb.attr("loop")) + "\"> is not a whole number >= 0; said once");
  }
  std::vector<SpeechPiece> pieces;
  collect_speech(verb, SpeechPiece{}, pieces);
  if (std::none_of(pieces.begin(), pieces.end(), [](const SpeechPiece& p) { return !p.is_break; })) {
    call_.alert(static_cast<int>(Errc::SayText), AlertLevel::Warning, "<Say> without text; skipped");
    return Step::Next;
  }
  call_.say(std::move(pieces), std::string(verb.attr("voice")), std::string(verb.attr("language")), loop,
            on_media_end(std::move(then)));
  return Step::Wait;
}

Executor::Step Executor::play(const Node& verb, Then then) {
  call_.answer();
  if (verb.has_attr("digits")) {
    std::string digits(verb.attr("digits"));
    for (char c : digits) {
      if (!valid_play_digit(c)) {
        call_.alert(static_cast<int>(Errc::PlayUrl), AlertLevel::Warning,
                    "<Play digits=\"" + digits + "\"> has a character other than 0-9 * # A-D w W; skipped");
        return Step::Next;
      }
    }
    if (digits.empty()) return Step::Next;
    call_.play_digits(std::move(digits), on_media_end(std::move(then)));
    return Step::Wait;
  }
  unsigned loop = 1;
  if (!parse_loop(verb.attr("loop", "1"), loop)) {
    call_.alert(static_cast<int>(Errc::PlayLoop), AlertLevel::Warning,
                "<Play loop=\"" + std::string(verb.attr("loop")) + "\"> is not a whole number >= 0; played once");
  }
  if (verb.text.empty()) {
    call_.alert(static_cast<int>(Errc::PlayUrl), AlertLevel::Warning, "<Play> without a URL; skipped");
    return Step::Next;
  }
  call_.play(resolve_url(document_url_, verb.text), loop, on_media_end(std::move(then)));
  return Step::Wait;
}

}  // namespace callwire::twiml
