// The executor's input verbs: <Gather> (nested prompts with barge-in, then
// digits until finishOnKey, numDigits or the timeout) and <Record> (until
// a finish key, the silence timeout, maxLength or hangup). Both post their
// action with the result, or fall through to the next verb when there was
// no input (contract 10.5, 10.7).
#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "twiml/errc.hpp"
#include "twiml/executor.hpp"
#include "twiml/url.hpp"
#include "twiml/verb_attributes.hpp"

namespace callwire::twiml {
namespace {

// Contract 10.5: every attribute Twilio documents. Speech ones are accepted
// and have no effect (no speech recognition).
constexpr std::array<std::string_view, 18> kGatherAttributes{
    "input",           "action",   "method",          "timeout",    "finishOnKey",
    "numDigits",       "speechTimeout", "actionOnEmptyResult", "language", "hints",
    "profanityFilter", "speechModel", "enhanced",      "partialResultCallback", "partialResultCallbackMethod",
    "bargeIn",         "debug",    "maxSpeechTime"};

// Contract 10.7.
constexpr std::array<std::string_view, 13> kRecordAttributes{
    "action",  "method",  "timeout", "finishOnKey", "maxLength", "playBeep", "trim",
    "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent",
    "transcribe", "transcribeCallback", "recordingConfigurationId"};

// Space- (or comma-) separated tokens of a list-valued attribute.
template <typename F>
void for_each_token(std::string_view text, F&& f) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != ',') ++j;
    if (j > i) f(text.substr(i, j - i));
    i = j;
  }
}

}  // namespace

void Executor::warn(const Node& verb, std::string_view attribute, std::string_view value, std::string_view what) {
  std::string element = attribute.empty()
                            ? "<" + verb.name + ">"
                            : "<" + verb.name + " " + std::string(attribute) + "=\"" + std::string(value) + "\">";
  call_.alert(static_cast<int>(Errc::Schema), AlertLevel::Warning, element + " " + std::string(what));
}

// --- <Gather> ------------------------------------------------------------------

Executor::Step Executor::gather(const Node& verb) {
  call_.answer();
  for (const auto& [name, value] : verb.attributes) {
    if (!is_one_of(kGatherAttributes, name)) warn(verb, name, value, "is not a <Gather> attribute; ignored");
  }
  GatherState g;
  g.verb = &verb;

  bool dtmf = false;
  bool speech = false;
  bool bad_input = false;
  for_each_token(verb.attr("input", "dtmf"), [&](std::string_view t) {
    if (t == "dtmf") dtmf = true;
    else if (t == "speech") speech = true;
    else bad_input = true;
  });
  if (bad_input || (!dtmf && !speech)) {
    warn(verb, "input", verb.attr("input"), "is not dtmf, speech or both; dtmf used");
    dtmf = true;
  }
  if (speech) {
    warn(verb, "input", verb.attr("input"),
         dtmf ? "asks for speech: speech recognition is not available, only keys are collected"
              : "asks for speech only: speech recognition is not available, the Gather ends as a timeout");
  }

  std::string_view action = verb.attr("action");
  g.action = action.empty() ? document_url_ : resolve_url(document_url_, action);
  auto method = parse_method(verb.attr("method", "POST"));
  if (!method) warn(verb, "method", verb.attr("method"), "is not GET or POST; POST used");
  g.method = method.value_or("POST");

  if (verb.has_attr("timeout")) {
    auto t = parse_unsigned(verb.attr("timeout"));
    if (t && *t >= 1) g.timeout = std::chrono::seconds(*t);
    else warn(verb, "timeout", verb.attr("timeout"), "is not a whole number of seconds >= 1; 5 used");
  }
  if (verb.has_attr("finishOnKey")) {
    std::string_view k = verb.attr("finishOnKey");
    if (k.empty()) g.finish_key.clear();
    else if (k.size() == 1 && is_key(k[0])) g.finish_key = std::string(k);
    else {
      warn(verb, "finishOnKey", k, "is not one of 0-9 * # or empty; # used");
      g.finish_key.assign(1, '#');
    }
  } else {
    g.finish_key.assign(1, '#');
  }
  if (verb.has_attr("numDigits")) {
    auto n = parse_unsigned(verb.attr("numDigits"));
    if (n && *n >= 1) g.num_digits = *n;
    else warn(verb, "numDigits", verb.attr("numDigits"), "is not a whole number >= 1; unlimited");
  }
  if (verb.has_attr("actionOnEmptyResult")) {
    auto b = parse_bool(verb.attr("actionOnEmptyResult"));
    if (!b) warn(verb, "actionOnEmptyResult", verb.attr("actionOnEmptyResult"), "is not true or false; false used");
    g.on_empty = b.value_or(false);
  }
  if (verb.has_attr("partialResultCallbackMethod") && !parse_method(verb.attr("partialResultCallbackMethod"))) {
    warn(verb, "partialResultCallbackMethod", verb.attr("partialResultCallbackMethod"), "is not GET or POST");
  }

  gather_ = std::move(g);
  if (dtmf) {
    call_.collect_digits([this, alive = std::weak_ptr<int>(alive_)](char d) {
      if (!alive.expired()) on_gather_digit(d);
    });
  }
  next_prompt();
  return Step::Wait;  // digits and the timer always arrive later
}

// Runs the nested Say/Play/Pause in order. A prompt that ends inside its
// own call only marks it, and this loop goes on (no recursion).
void Executor::next_prompt() {
  while (gather_ && gather_->prompting) {
    GatherState& g = *gather_;
    if (g.prompt >= g.verb->children.size()) {
      prompts_ended();
      return;
    }
    const Node& p = g.verb->children[g.prompt++];
    std::uint64_t epoch = g.epoch;
    Then then = guarded([this, epoch] {
      if (!gather_ || gather_->epoch != epoch || !gather_->prompting) return;  // barge-in came first
      if (gather_->in_prompt) {
        gather_->prompt_ended = true;
        return;
      }
      next_prompt();
    });
    g.in_prompt = true;
    g.prompt_ended = false;
    Step step = Step::Next;
    if (p.name == "Say") step = say(p, std::move(then));
    else if (p.name == "Play") step = play(p, std::move(then));
    else if (p.name == "Pause") step = pause(p, std::move(then));
    if (!gather_) return;
    gather_->in_prompt = false;
    if (step == Step::Wait && !gather_->prompt_ended) return;
  }
}

void Executor::prompts_ended() {
  gather_->prompting = false;
  arm_gather_timer();
}

// The timeout counts from the end of the prompts, then from each key.
void Executor::arm_gather_timer() {
  std::uint64_t epoch = gather_->epoch;
  call_.after(gather_->timeout, guarded([this, epoch] {
                if (gather_ && gather_->epoch == epoch && !gather_->prompting) gather_done();
              }));
}

void Executor::on_gather_digit(char digit) {
  if (!gather_) return;
  GatherState& g = *gather_;
  ++g.epoch;  // stale: the running prompt's end, the pending timer
  if (g.prompting) {
    // Barge-in: the first key stops the prompts and counts.
    g.prompting = false;
    call_.stop_media();
  }
  if (!g.finish_key.empty() && digit == g.finish_key[0]) {
    gather_done();
    return;
  }
  g.digits += digit;
  if (g.num_digits != 0 && g.digits.size() >= g.num_digits) {
    gather_done();
    return;
  }
  arm_gather_timer();
}

void Executor::gather_done() {
  call_.collect_digits(nullptr);
  GatherState g = std::move(*gather_);
  gather_.reset();
  if (g.digits.empty() && !g.on_empty) {
    resume();  // contract 10.5: no input falls through to the next verb
    return;
  }
  finished_ = true;
  call_.fetch(std::move(g.action), std::move(g.method), {{"Digits", std::move(g.digits)}});
}

// --- <Record> ------------------------------------------------------------------

Executor::Step Executor::record(const Node& verb) {
  call_.answer();
  for (const auto& [name, value] : verb.attributes) {
    if (!is_one_of(kRecordAttributes, name)) warn(verb, name, value, "is not a <Record> attribute; ignored");
  }
  RecordRequest r;
  RecordState st;
  std::string_view action = verb.attr("action");
  st.action = action.empty() ? document_url_ : resolve_url(document_url_, action);
  auto method = parse_method(verb.attr("method", "POST"));
  if (!method) warn(verb, "method", verb.attr("method"), "is not GET or POST; POST used");
  st.method = method.value_or("POST");
  r.action_url = st.action;
  r.action_method = st.method;

  if (verb.has_attr("timeout")) {
    auto t = parse_unsigned(verb.attr("timeout"));
    if (!t) warn(verb, "timeout", verb.attr("timeout"), "is not a whole number of seconds; 5 used");
    else if (*t == 0) r.silence_timeout.reset();
    else r.silence_timeout = std::chrono::seconds(*t);
  }
  if (verb.has_attr("maxLength")) {
    auto m = parse_unsigned(verb.attr("maxLength"));
    if (m && *m >= 1) r.max_length = std::chrono::seconds(*m);
    else warn(verb, "maxLength", verb.attr("maxLength"), "is not a whole number of seconds >= 1; 3600 used");
  }
  st.finish_keys = "1234567890*#";
  if (verb.has_attr("finishOnKey")) {
    std::string_view k = verb.attr("finishOnKey");
    if (std::all_of(k.begin(), k.end(), is_key)) st.finish_keys = std::string(k);
    else warn(verb, "finishOnKey", k, "has a character other than 0-9 * #; 1234567890*# used");
  }
  if (verb.has_attr("playBeep")) {
    auto b = parse_bool(verb.attr("playBeep"));
    if (!b) warn(verb, "playBeep", verb.attr("playBeep"), "is not true or false; true used");
    r.play_beep = b.value_or(true);
  }
  if (verb.has_attr("trim")) {
    std::string_view t = verb.attr("trim");
    if (t == "do-not-trim") r.trim_silence = false;
    else if (t != "trim-silence") warn(verb, "trim", t, "is not trim-silence or do-not-trim; trim-silence used");
  }
  if (std::string_view cb = verb.attr("recordingStatusCallback"); !cb.empty()) {
    r.status_callback = resolve_url(document_url_, cb);
  }
  auto cb_method = parse_method(verb.attr("recordingStatusCallbackMethod", "POST"));
  if (!cb_method) {
    warn(verb, "recordingStatusCallbackMethod", verb.attr("recordingStatusCallbackMethod"),
         "is not GET or POST; POST used");
  }
  r.status_callback_method = cb_method.value_or("POST");
  if (verb.has_attr("recordingStatusCallbackEvent")) {
    std::vector<std::string> events;
    for_each_token(verb.attr("recordingStatusCallbackEvent"), [&](std::string_view e) {
      if (e == "in-progress" || e == "completed" || e == "absent") {
        events.emplace_back(e);
      } else {
        warn(verb, "recordingStatusCallbackEvent", e, "is not in-progress, completed or absent; ignored");
      }
    });
    if (!events.empty()) r.status_events = std::move(events);
  }
  if (verb.has_attr("transcribe")) {
    auto b = parse_bool(verb.attr("transcribe"));
    if (!b) warn(verb, "transcribe", verb.attr("transcribe"), "is not true or false");
    else if (*b) warn(verb, "transcribe", "true", "asks for a transcription: transcription is not available");
  }
  if (verb.has_attr("transcribeCallback")) {
    warn(verb, "transcribeCallback", verb.attr("transcribeCallback"),
         "is ignored: transcription is not available");
  }

  record_ = std::move(st);
  std::weak_ptr<int> alive = alive_;
  if (!record_->finish_keys.empty()) {
    call_.collect_digits([this, alive](char d) {
      if (alive.expired() || !record_ || !record_->key.empty()) return;
      if (record_->finish_keys.find(d) == std::string::npos) return;
      record_->key = std::string(1, d);
      call_.stop_recording();
    });
  }
  call_.record(std::move(r), [this, alive](RecordResult result) {
    if (!alive.expired()) on_recorded(std::move(result));
  });
  return Step::Wait;
}

void Executor::on_recorded(RecordResult result) {
  call_.collect_digits(nullptr);
  if (!record_) return;
  RecordState st = std::move(*record_);
  record_.reset();
  // Contract 10.7: no audio captured → the next verb, without the action.
  if (result.failed || !result.heard_sound) {
    resume();
    return;
  }
  ActionParams params{{"RecordingUrl", result.url},
                      {"RecordingDuration", std::to_string(result.duration)},
                      {"RecordingSid", result.sid}};
  if (!st.key.empty()) params.emplace_back("Digits", st.key);
  finished_ = true;
  call_.fetch(std::move(st.action), std::move(st.method), std::move(params));
}

}  // namespace callwire::twiml
