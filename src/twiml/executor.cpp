#include "twiml/executor.hpp"

#include <charconv>
#include <utility>

#include "twiml/errc.hpp"
#include "twiml/url.hpp"

namespace callwire::twiml {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

Executor::Executor(CallControl& call, Document document, std::string document_url, ExecutorConfig config)
    : call_(call), document_(std::move(document)), document_url_(std::move(document_url)), config_(config) {}

void Executor::run() {
  while (!finished_) {
    if (next_ >= document_.verbs.size()) {
      // End of document: the call is over (contract 8.4).
      finished_ = true;
      call_.hangup();
      return;
    }
    const Node& verb = document_.verbs[next_++];
    switch (execute(verb)) {
      case Step::Next: break;
      case Step::Wait: return;
      case Step::Stop: finished_ = true; return;
    }
  }
}

Executor::Step Executor::execute(const Node& verb) {
  if (verb.name == "Hangup") {
    call_.hangup();
    return Step::Stop;
  }
  if (verb.name == "Reject") return reject(verb);
  if (verb.name == "Redirect") return redirect(verb);
  if (verb.name == "Pause") return pause(verb);
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
  call_.fetch(resolve_url(document_url_, verb.text), std::move(upper));
  return Step::Stop;
}

Executor::Step Executor::pause(const Node& verb) {
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
  std::weak_ptr<int> alive = alive_;
  call_.after(std::chrono::seconds(seconds), [this, alive] {
    if (!alive.expired()) run();
  });
  return Step::Wait;
}

}  // namespace callwire::twiml
