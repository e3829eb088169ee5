#include "calls/screening_call.hpp"

#include <utility>

#include "calls/report_format.hpp"
#include "calls/twiml_answer.hpp"
#include "core/log.hpp"
#include "twiml/errc.hpp"

namespace callwire::calls {
namespace {

const std::shared_ptr<spdlog::logger>& screening_logger() { return log::get("calls"); }

}  // namespace

ScreeningCall::ScreeningCall(CallServices& services, std::size_t worker, std::shared_ptr<OutboundLeg> leg,
                             ScreeningContext context, Outcome outcome)
    : services_(services),
      worker_(worker),
      leg_(std::move(leg)),
      context_(std::move(context)),
      outcome_(std::move(outcome)),
      prompts_(services, worker, context_.auth_token,
               MediaPrompts::Hooks{[this] { return media(); }, [this] { return live(); },
                                   [this](int code, std::string message) {
                                     alert(code, twiml::AlertLevel::Warning, std::move(message));
                                   },
                                   nullptr}) {}

ScreeningCall::~ScreeningCall() { stop(); }

std::shared_ptr<media::engine::MediaSession> ScreeningCall::media() const {
  auto session = leg_->media();
  if (!live() || !session || !session->started() || session->closed()) return nullptr;
  return session;
}

void ScreeningCall::start() {
  const auto& t = leg_->target();
  screening_logger()->info("[cid={}] call {} (parent {}): answered; screening with {} {}", leg_->sip_call_id(),
                           leg_->sid(), context_.parent_call_sid, t.screen_method, t.screen_url);
  fetch(t.screen_url, t.screen_method);
}

void ScreeningCall::stop() {
  // Once only: later (the destructor, after the bridge) the leg's media is
  // the bridge's, and its sendDigits must not be cut.
  if (stopped_) return;
  stopped_ = true;
  concluded_ = true;
  ++fetch_seq_;
  for (auto id : timers_) services_.timers[worker_]->cancel(id);
  timers_.clear();
  digit_handler_ = nullptr;
  leg_->on_info_key(nullptr);
  // The leg's media is the bridge's now (or closed): nothing of ours plays on it.
  if (auto session = leg_->media(); session && !session->closed()) {
    session->on_digit(nullptr, false);
    session->stop_playback();
  }
}

// The child call's parameters (contract 10.6: the screening request is about the callee's call).
Params ScreeningCall::child_params() const {
  Params p{{"AccountSid", context_.account_sid},
           {"ApiVersion", "2010-04-01"},
           {"CallSid", leg_->sid()},
           {"ParentCallSid", context_.parent_call_sid},
           {"CallStatus", "in-progress"},
           {"Direction", "outbound-dial"},
           {"From", leg_->from()},
           {"To", leg_->to()},
           {"Caller", leg_->from()},
           {"Called", leg_->to()}};
  if (leg_->target().kind == twiml::DialTarget::Kind::Sip) {
    p.emplace_back("SipCallId", leg_->sip_call_id());
    // The X- headers of the callee's 200 OK (contract 8.9).
    for (const auto& [name, value] : leg_->final_headers()) p.emplace_back("SipHeader_" + name, value);
  }
  return p;
}

void ScreeningCall::fetch(std::string url, std::string method, twiml::ActionParams extra) {
  if (!live()) return;
  if (++documents_ > services_.config.max_documents_per_call) {
    alert_on_child(12400, "error",
                   "more than " + std::to_string(services_.config.max_documents_per_call) +
                       " screening documents for one callee (a Redirect loop?); the callee is hung up",
                   url, method, {}, {});
    conclude(false, "too many documents");
    return;
  }
  Params params = child_params();
  for (auto& p : extra) params.push_back(std::move(p));
  webhook::Request request;
  request.url = url;
  request.method = method;
  request.params = params;
  request.auth_token = context_.auth_token;

  std::uint64_t seq = ++fetch_seq_;
  auto started = Clock::now();
  std::weak_ptr<ScreeningCall> weak = weak_from_this();
  auto& pool = services_.pool;
  auto& metrics = services_.metrics;
  std::size_t worker = worker_;
  services_.webhooks[worker_]->send(std::move(request), [weak, &pool, &metrics, worker, seq, started,
                                                         url = std::move(url), method = std::move(method),
                                                         params = std::move(params)](webhook::Outcome outcome) mutable {
    auto latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    metrics.webhook("screening", outcome ? "ok" : std::to_string(outcome.error().error_code), latency);
    pool.post(worker, [weak, seq, outcome = std::move(outcome), url = std::move(url), method = std::move(method),
                       params = std::move(params)] {
      auto self = weak.lock();
      // A late answer (screening over, or replaced by a newer fetch) is ignored.
      if (!self || !self->live() || seq != self->fetch_seq_) return;
      self->on_answer(outcome, url, method, params);
    });
  });
}

void ScreeningCall::on_answer(const webhook::Outcome& outcome, const std::string& url, const std::string& method,
                              const Params& sent) {
  if (!outcome) {
    const auto& f = outcome.error();
    alert_on_child(f.error_code, "error", "screening " + f.message, url, method, sent, f.response_body);
    conclude(false, "the screening request failed");
    return;
  }
  auto answer = read_twiml_answer(*outcome, url);
  if (!answer) {
    alert_on_child(answer.error().code, "error", std::move(answer.error().message), url, method, sent,
                   std::move(answer.error().body));
    conclude(false, "the screening document is unusable");
    return;
  }
  for (const auto& verb : answer->document.verbs) {
    if (verb.name != "Dial") continue;
    alert_on_child(static_cast<int>(twiml::Errc::Schema), "error",
                   "screening TwiML must not contain <Dial>; the callee is hung up", url, method, sent, {});
    conclude(false, "<Dial> in screening TwiML");
    return;
  }
  run(std::move(answer->document), std::move(answer->url));
}

void ScreeningCall::run(twiml::Document document, std::string url) {
  // As for the caller: the old executor goes first, so its Interrupted
  // playback cannot resume it.
  executor_.reset();
  stop_media();
  twiml::ExecutorConfig config;
  config.reject_status = services_.config.reject_status;
  executor_ = std::make_unique<twiml::Executor>(*this, std::move(document), std::move(url), config);
  executor_->run();
}

void ScreeningCall::conclude(bool passed, std::string_view why) {
  if (concluded_) return;
  screening_logger()->info("[cid={}] call {}: screening {} ({})", leg_->sip_call_id(), leg_->sid(),
                           passed ? "passed" : "failed", why);
  stop();
  std::weak_ptr<ScreeningCall> weak = weak_from_this();
  services_.pool.post(worker_, [weak, passed] {
    if (auto self = weak.lock(); self && self->outcome_) self->outcome_(passed);
  });
}

void ScreeningCall::reject(int, std::string_view) { conclude(false, "<Reject>"); }
void ScreeningCall::hangup() { conclude(false, "<Hangup>"); }
void ScreeningCall::document_ended() { conclude(true, "end of the document"); }

void ScreeningCall::dial(twiml::DialRequest, twiml::DialDone) {
  alert(static_cast<int>(twiml::Errc::Schema), twiml::AlertLevel::Error,
        "screening TwiML must not contain <Dial>; the callee is hung up");
  conclude(false, "<Dial> in screening TwiML");
}

void ScreeningCall::after(std::chrono::milliseconds delay, std::function<void()> then) {
  std::weak_ptr<ScreeningCall> weak = weak_from_this();
  timers_.push_back(services_.timers[worker_]->start(delay, [weak, then = std::move(then)] {
    auto self = weak.lock();
    if (self && self->live()) then();
  }));
}

void ScreeningCall::alert(int code, twiml::AlertLevel level, std::string message) {
  screening_logger()->info("[cid={}] call {}: screening TwiML {}: {}", leg_->sip_call_id(), leg_->sid(), code, message);
  alert_on_child(code, level == twiml::AlertLevel::Error ? "error" : "warning", std::move(message), {}, {}, {}, {});
}

void ScreeningCall::alert_on_child(int code, std::string level, std::string message, const std::string& url,
                                   const std::string& method, const Params& sent, std::string response_body) {
  services_.log.alert(AlertInfo{context_.account_sid, code, std::move(level), std::move(message), leg_->sid(), method,
                                url, form_summary(sent), std::move(response_body)});
}

void ScreeningCall::say(std::vector<twiml::SpeechPiece> pieces, std::string voice, std::string language, unsigned loop,
                        twiml::MediaDone done) {
  if (live()) prompts_.say(std::move(pieces), std::move(voice), std::move(language), loop, std::move(done));
}

void ScreeningCall::play(std::string url, unsigned loop, twiml::MediaDone done) {
  if (live()) prompts_.play(std::move(url), loop, std::move(done));
}

void ScreeningCall::play_digits(std::string digits, twiml::MediaDone done) {
  if (live()) prompts_.play_digits(std::move(digits), std::move(done));
}

void ScreeningCall::stop_media() {
  if (auto session = media()) session->stop_playback();
}

void ScreeningCall::collect_digits(twiml::DigitHandler on_digit) {
  digit_handler_ = std::move(on_digit);
  auto session = media();
  if (!digit_handler_) {
    leg_->on_info_key(nullptr);
    if (session) session->on_digit(nullptr, false);
    return;
  }
  // Keys arrive inside the session's receive path, or as SIP INFO on this
  // worker (the leg's Call-ID is pinned to it): the executor hears them a
  // turn later either way.
  std::weak_ptr<ScreeningCall> weak = weak_from_this();
  auto& pool = services_.pool;
  std::size_t worker = worker_;
  auto heard = [weak, &pool, worker](char digit) {
    pool.post(worker, [weak, digit] {
      auto self = weak.lock();
      if (!self || !self->live() || !self->digit_handler_) return;
      auto handler = self->digit_handler_;  // it may replace itself
      handler(digit);
    });
  };
  leg_->on_info_key(heard);
  if (session) session->on_digit([heard](char digit, media::engine::DigitSource) { heard(digit); }, true);
}

void ScreeningCall::record(twiml::RecordRequest, twiml::RecordDone done) {
  alert(static_cast<int>(twiml::Errc::Schema), twiml::AlertLevel::Warning,
        "<Record> is not run in screening TwiML; skipped");
  std::weak_ptr<ScreeningCall> weak = weak_from_this();
  services_.pool.post(worker_, [weak, done = std::move(done)] {
    auto self = weak.lock();
    if (self && self->live()) done(twiml::RecordResult{true, false, {}, {}, 0});
  });
}

}  // namespace callwire::calls
