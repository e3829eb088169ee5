// <Dial> (contract 10.6): reads the verb and its nouns into a DialRequest,
// hands it to the call, and afterwards posts the action with the result or
// goes on with the next verb. Nouns callwire cannot ring (Client,
// Conference, Queue, ...) raise a 12200 warning and are skipped; a <Dial>
// left with nothing to ring ends as DialCallStatus=failed.
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

constexpr std::array<std::string_view, 24> kDialAttributes{
    "action", "method", "timeout", "callerId", "answerOnBridge", "hangupOnStar", "timeLimit", "record",
    "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent",
    "recordingTrack", "trim", "ringTone", "referUrl", "referMethod", "sequential", "callReason", "events",
    "recordingConfigurationId", "callerName", "machineDetection", "statusCallback", "statusCallbackEvent"};

constexpr std::size_t kMaxNouns = 10;  // contract 10.6

// A callerId for a <Sip> target: letters, digits and + - _ . (contract 10.6).
bool sip_caller_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '-' ||
           c == '_' || c == '.';
  });
}

// A callerId for a phone number: E.164 (+ then 8 to 15 digits), also written
// without the plus or with the usual separators.
bool number_caller_id(std::string_view id) {
  std::size_t digits = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    if (c >= '0' && c <= '9') ++digits;
    else if (c == '+' && i == 0) continue;
    else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') return false;
  }
  return digits >= 8 && digits <= 15;
}

bool valid_send_digits(std::string_view d) {
  return std::all_of(d.begin(), d.end(), [](char c) { return is_key(c) || c == 'w' || c == 'W'; });
}

}  // namespace

ActionParams dial_action_params(const DialResult& r) {
  ActionParams p;
  p.emplace_back("DialCallStatus", r.status);
  if (!r.call_sid.empty()) p.emplace_back("DialCallSid", r.call_sid);
  if (r.bridged) p.emplace_back("DialCallDuration", std::to_string(r.duration));
  p.emplace_back("DialBridged", r.bridged ? "true" : "false");
  if (!r.sip_call_id.empty()) p.emplace_back("DialSipCallId", r.sip_call_id);
  if (r.sip_response_code != 0) p.emplace_back("DialSipResponseCode", std::to_string(r.sip_response_code));
  for (const auto& [name, value] : r.sip_headers) p.emplace_back("DialSipHeader_" + name, value);
  if (!r.recording_url.empty()) {
    p.emplace_back("RecordingUrl", r.recording_url);
    p.emplace_back("RecordingSid", r.recording_sid);
    p.emplace_back("RecordingDuration", std::to_string(r.recording_duration));
  }
  return p;
}

bool Executor::dial_target(const Node& noun, DialTarget& t) {
  t.address = noun.text;
  if (noun.name == "Sip") t.kind = DialTarget::Kind::Sip;
  if (t.address.empty()) {
    warn(noun, "", "", "has no number or URI; skipped");
    return false;
  }
  if (noun.name == "Number") {
    t.send_digits = noun.attr("sendDigits");
    if (!valid_send_digits(t.send_digits)) {
      warn(noun, "sendDigits", t.send_digits, "has a character other than 0-9 * # w W; ignored");
      t.send_digits.clear();
    }
    t.byoc = noun.attr("byoc");
  } else {
    t.username = noun.attr("username");
    t.password = noun.attr("password");
  }
  // Screening TwiML (contract 10.6): requested when this callee answers.
  if (std::string_view url = noun.attr("url"); !url.empty()) t.screen_url = resolve_url(document_url_, url);
  if (auto m = parse_method(noun.attr("method", "POST"))) {
    t.screen_method = *m;
  } else {
    warn(noun, "method", noun.attr("method"), "is not GET or POST; POST used");
  }
  for (std::string_view a : {"machineDetection", "amdStatusCallback"}) {
    if (noun.has_attr(a)) warn(noun, a, noun.attr(a), "is not supported; ignored");
  }
  if (noun.has_attr("statusCallback")) t.status_callback = resolve_url(document_url_, noun.attr("statusCallback"));
  if (auto m = parse_method(noun.attr("statusCallbackMethod", "POST"))) {
    t.status_callback_method = *m;
  } else {
    warn(noun, "statusCallbackMethod", noun.attr("statusCallbackMethod"), "is not GET or POST; POST used");
  }
  if (noun.has_attr("statusCallbackEvent")) {
    t.status_events.clear();
    std::string_view events = noun.attr("statusCallbackEvent");
    std::size_t i = 0;
    while (i < events.size()) {
      while (i < events.size() && (events[i] == ' ' || events[i] == ',')) ++i;
      std::size_t j = i;
      while (j < events.size() && events[j] != ' ' && events[j] != ',') ++j;
      std::string_view e = events.substr(i, j - i);
      if (e == "initiated" || e == "ringing" || e == "answered" || e == "completed") {
        t.status_events.emplace_back(e);
      } else if (!e.empty()) {
        warn(noun, "statusCallbackEvent", e, "is not initiated, ringing, answered or completed; ignored");
      }
      i = j;
    }
  }
  return true;
}

Executor::Step Executor::dial(const Node& verb) {
  for (const auto& [name, value] : verb.attributes) {
    if (!is_one_of(kDialAttributes, name)) warn(verb, name, value, "is not a <Dial> attribute; ignored");
  }
  DialRequest req;
  if (verb.has_attr("action")) req.action_url = resolve_url(document_url_, verb.attr("action"));
  if (auto m = parse_method(verb.attr("method", "POST"))) {
    req.action_method = *m;
  } else {
    warn(verb, "method", verb.attr("method"), "is not GET or POST; POST used");
  }
  if (verb.has_attr("timeout")) {
    auto t = parse_unsigned(verb.attr("timeout"));
    if (!t) {
      call_.alert(static_cast<int>(Errc::DialTimeout), AlertLevel::Warning,
                  "<Dial timeout=\"" + std::string(verb.attr("timeout")) + "\"> is not a whole number; 30 s used");
    } else {
      req.timeout = std::chrono::seconds(std::clamp(*t, 5u, 600u));  // contract 10.6: 5-600
    }
  }
  if (verb.has_attr("timeLimit")) {
    auto t = parse_unsigned(verb.attr("timeLimit"));
    if (!t || *t == 0) {
      call_.alert(static_cast<int>(Errc::DialTimeLimit), AlertLevel::Warning,
                  "<Dial timeLimit=\"" + std::string(verb.attr("timeLimit")) + "\"> is not a whole number > 0; 4 h used");
    } else {
      req.time_limit = std::chrono::seconds(std::min(*t, 86400u));
    }
  }
  for (auto [attr, flag] : {std::pair{"answerOnBridge", &req.answer_on_bridge},
                            std::pair{"hangupOnStar", &req.hangup_on_star}, std::pair{"sequential", &req.sequential}}) {
    if (!verb.has_attr(attr)) continue;
    if (auto b = parse_bool(verb.attr(attr))) *flag = *b;
    else warn(verb, attr, verb.attr(attr), "is not true or false; false used");
  }
  req.ring_tone = verb.attr("ringTone");
  // record (contract 10.6): bridged media only, so from-ringing starts at the bridge too.
  std::string_view record = verb.attr("record", "do-not-record");
  if (record == "record-from-answer" || record == "record-from-ringing" || record == "true") {
    req.record = DialRequest::Record::Mono;
  } else if (record == "record-from-answer-dual" || record == "record-from-ringing-dual") {
    req.record = DialRequest::Record::Dual;
  } else if (record != "do-not-record" && record != "false") {
    warn(verb, "record", record, "is not a record mode; not recorded");
  }
  if (verb.has_attr("trim")) {
    std::string_view t = verb.attr("trim");
    if (t == "trim-silence") req.record_trim_silence = true;
    else if (t != "do-not-trim") warn(verb, "trim", t, "is not trim-silence or do-not-trim; do-not-trim used");
  }
  if (verb.has_attr("recordingTrack") && verb.attr("recordingTrack") != "both")
    warn(verb, "recordingTrack", verb.attr("recordingTrack"), "is not supported; both tracks recorded");
  if (std::string_view cb = verb.attr("recordingStatusCallback"); !cb.empty())
    req.recording_status_callback = resolve_url(document_url_, cb);
  if (auto m = parse_method(verb.attr("recordingStatusCallbackMethod", "POST"))) {
    req.recording_status_callback_method = *m;
  } else {
    warn(verb, "recordingStatusCallbackMethod", verb.attr("recordingStatusCallbackMethod"),
         "is not GET or POST; POST used");
  }
  if (verb.has_attr("recordingStatusCallbackEvent")) {
    std::vector<std::string> events;
    std::string_view text = verb.attr("recordingStatusCallbackEvent");
    std::size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
      std::size_t j = i;
      while (j < text.size() && text[j] != ' ' && text[j] != ',') ++j;
      std::string_view e = text.substr(i, j - i);
      if (e == "in-progress" || e == "completed" || e == "absent") events.emplace_back(e);
      else if (!e.empty()) warn(verb, "recordingStatusCallbackEvent", e, "is not in-progress, completed or absent; ignored");
      i = j;
    }
    if (!events.empty()) req.recording_status_events = std::move(events);
  }
  if (verb.has_attr("referUrl")) warn(verb, "referUrl", verb.attr("referUrl"), "is not supported; REFER refused");

  // The targets: nouns, or the bare number.
  std::vector<const Node*> nouns;
  Node bare;
  if (verb.children.empty()) {
    bare.name = "Number";
    bare.text = verb.text;
    nouns.push_back(&bare);
  } else {
    for (const auto& child : verb.children) nouns.push_back(&child);
  }
  for (const Node* noun : nouns) {
    if (noun->name != "Number" && noun->name != "Sip") {
      warn(*noun, "", "", "is not supported by this callwire version; skipped");
      continue;
    }
    if (req.targets.size() == kMaxNouns) {
      warn(*noun, "", "", "is beyond the 10 nouns a <Dial> may ring; skipped");
      continue;
    }
    DialTarget t;
    if (dial_target(*noun, t)) req.targets.push_back(std::move(t));
  }

  req.caller_id = verb.attr("callerId");
  if (!req.caller_id.empty()) {
    bool any_number = std::any_of(req.targets.begin(), req.targets.end(),
                                  [](const DialTarget& t) { return t.kind == DialTarget::Kind::Number; });
    bool ok = any_number ? number_caller_id(req.caller_id) : sip_caller_id(req.caller_id);
    if (!ok) {
      call_.alert(static_cast<int>(Errc::DialCallerId), AlertLevel::Error,
                  "<Dial callerId=\"" + req.caller_id + "\"> is not " +
                      (any_number ? "a phone number" : "letters, digits and + - _ .") + "; nothing dialed");
      req.targets.clear();
    }
  }

  std::string action = req.action_url;
  std::string method = req.action_method;
  std::weak_ptr<int> alive = alive_;
  DialDone done = [this, alive, action, method](DialResult result) {
    if (alive.expired() || result.caller_hung_up) return;  // the call posts the action itself
    if (!action.empty()) {
      finished_ = true;
      call_.fetch(action, method, dial_action_params(result));
      return;
    }
    resume();
  };
  if (req.targets.empty()) {
    call_.answer();
    DialResult failed;
    if (!action.empty()) {
      finished_ = true;
      call_.fetch(action, method, dial_action_params(failed));
      return Step::Stop;
    }
    return Step::Next;
  }
  if (!req.answer_on_bridge) call_.answer();
  call_.dial(std::move(req), std::move(done));
  return Step::Wait;
}

}  // namespace callwire::twiml
