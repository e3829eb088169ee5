#include "calls/inbound_call.hpp"

#include <cmath>
#include <ctime>
#include <utility>

#include "calls/calls_logger.hpp"
#include "calls/report_format.hpp"
#include "calls/twiml_answer.hpp"
#include "core/log.hpp"
#include "media/sdp/writer.hpp"
#include "twiml/document.hpp"

namespace callwire::calls {
namespace {

std::string_view kind_name(int kind) {
  switch (kind) {
    case 0: return "voice";
    case 1: return "fallback";
    default: return "action";
  }
}


}  // namespace

InboundCall::InboundCall(CallServices& services, sip::Stack& stack, std::size_t worker, LegRegistry& legs,
                         sip::InviteId invite, DomainRef domain, CallIdentity identity, InviteFacts facts,
                         std::string offer, Clock::time_point received)
    : services_(services),
      stack_(stack),
      worker_(worker),
      legs_(legs),
      invite_(invite),
      domain_(std::move(domain)),
      identity_(std::move(identity)),
      facts_(std::move(facts)),
      offer_(std::move(offer)),
      received_(received) {}

void InboundCall::start() {
  if (auto sent = stack_.respond(invite_, 180); !sent) {
    logger()->info("[cid={}] call {} gone before 180: {}", facts_.sip_call_id, sid(), sent.error().what());
    phase_ = Phase::Ended;
    if (on_finished) on_finished(*this);
    return;
  }
  dialog_ = stack_.dialog_of(invite_);
  services_.metrics.call_started();

  record_.sid = identity_.call_sid;
  record_.account_sid = identity_.account_sid;
  record_.to = facts_.to;
  record_.from = facts_.from;
  record_.status = "ringing";
  record_.direction = "inbound";
  record_.start_time = now_seconds();
  record_.sip_call_id = facts_.sip_call_id;
  record_.sip_domain_sid = identity_.domain_sid;
  services_.log.record(record_);
  logger()->info("[cid={}] call {} for {} from {} ({})", facts_.sip_call_id, sid(), identity_.domain_name,
                 facts_.from, facts_.source_ip);

  const auto& d = domain_->auth.domain;
  request_document(*d.voice_url, d.voice_method, Kind::Voice);
}

// --- webhooks ----------------------------------------------------------------

void InboundCall::request_document(std::string url, std::string method, Kind kind, Params extra) {
  if (++documents_ > services_.config.max_documents_per_call) {
    alert_for(12400, "error",
              "more than " + std::to_string(services_.config.max_documents_per_call) +
                  " TwiML documents in one call (a Redirect loop?); the call ends",
              url, method, {}, {});
    if (phase_ == Phase::Ringing) {
      reject(500, "failed");
    } else {
      hangup();
    }
    return;
  }
  Params params = call_params(identity_, facts_, call_status());
  for (auto& p : extra) params.push_back(std::move(p));

  webhook::Request request;
  request.url = url;
  request.method = method;
  request.params = params;
  request.auth_token = domain_->auth_token;

  std::uint64_t seq = ++fetch_seq_;
  auto started = Clock::now();
  if (kind == Kind::Voice) {
    services_.metrics.webhook_dispatch_delay(std::chrono::duration_cast<std::chrono::microseconds>(started - received_));
  }
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto& pool = services_.pool;
  std::size_t worker = worker_;
  services_.webhooks[worker_]->send(std::move(request), [weak, &pool, worker, seq, url = std::move(url),
                                               method = std::move(method), kind, params = std::move(params),
                                               started](webhook::Outcome outcome) mutable {
    pool.post(worker, [weak, seq, outcome = std::move(outcome), url = std::move(url), method = std::move(method), kind,
                       params = std::move(params), started] {
      auto self = weak.lock();
      // A late answer (call cancelled, hung up, or replaced by a newer fetch) is ignored.
      if (!self || self->phase_ == Phase::Ended || seq != self->fetch_seq_) return;
      self->on_document(outcome, url, method, kind, params, started);
    });
  });
}

void InboundCall::on_document(const webhook::Outcome& outcome, const std::string& url, const std::string& method,
                              Kind kind, const Params& sent, Clock::time_point started) {
  auto latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
  if (!outcome) {
    const auto& f = outcome.error();
    services_.metrics.webhook(kind_name(static_cast<int>(kind)), std::to_string(f.error_code), latency);
    document_failed(f.error_code, f.message, url, method, kind, sent, f.response_body);
    return;
  }
  services_.metrics.webhook(kind_name(static_cast<int>(kind)), "ok", latency);
  auto answer = read_twiml_answer(*outcome, url);
  if (!answer) {
    document_failed(answer.error().code, std::move(answer.error().message), url, method, kind, sent,
                    std::move(answer.error().body));
    return;
  }
  logger()->debug("[cid={}] call {}: {} verbs from {}", facts_.sip_call_id, sid(), answer->document.verbs.size(),
                  answer->url);
  run_document(std::move(answer->document), std::move(answer->url));
}

void InboundCall::run_document(twiml::Document document, std::string url) {
  // The new document replaces the old one, and whatever it was playing.
  // The old executor goes first, so the Interrupted playback cannot resume it.
  executor_.reset();
  stop_media();
  twiml::ExecutorConfig config;
  config.reject_status = services_.config.reject_status;
  executor_ = std::make_unique<twiml::Executor>(*this, std::move(document), std::move(url), config);
  executor_->run();
}

void InboundCall::document_failed(int code, std::string message, const std::string& url, const std::string& method,
                                  Kind kind, const Params& sent, std::string response_body) {
  logger()->warn("[cid={}] call {}: {} {} failed: {} {}", facts_.sip_call_id, sid(), method, url, code, message);
  alert_for(code, "error", message, url, method, sent, std::move(response_body));
  const auto& d = domain_->auth.domain;
  // The fallback covers the Voice URL's document only (contract 9.5).
  if (kind == Kind::Voice && d.voice_fallback_url && !d.voice_fallback_url->empty()) {
    request_document(*d.voice_fallback_url, d.voice_fallback_method, Kind::Fallback,
                     {{"ErrorCode", std::to_string(code)}, {"ErrorUrl", url}});
    return;
  }
  // No (working) fallback: an unanswered call is refused with a 500 naming
  // the error; an answered one ends (the announcement needs media).
  if (phase_ == Phase::Ringing) {
    if (auto sent_500 = stack_.respond(invite_, 500, "Application error " + std::to_string(code)); !sent_500) {
      logger()->info("[cid={}] call {}: 500 not sent: {}", facts_.sip_call_id, sid(), sent_500.error().what());
    }
    finish("failed", 500);
  } else {
    hangup();
  }
}

// --- CallControl -------------------------------------------------------------

void InboundCall::answer() {
  if (phase_ != Phase::Ringing) return;
  // After early media (a 183 with our answer) the 200 repeats that answer.
  auto sdp = session_ && negotiated_ ? std::optional<std::string>(media::sdp::to_string(negotiated_->local))
                                     : answer_sdp();
  if (!sdp) return;  // refused (488/503): the call is over
  sip::MessageParts parts;
  parts.content_type = "application/sdp";
  parts.body = std::move(*sdp);
  parts = with_session(std::move(parts));
  if (auto sent = stack_.respond(invite_, 200, {}, parts); !sent) {
    logger()->info("[cid={}] call {}: 200 not sent: {}", facts_.sip_call_id, sid(), sent.error().what());
    finish("canceled", 487);
    return;
  }
  phase_ = Phase::Answered;
  answered_at_ = Clock::now();
  record_.status = "in-progress";
  record_.start_time = now_seconds();
  record_update();
  start_media();
}

void InboundCall::reject(int sip_status, std::string_view call_status) {
  if (phase_ != Phase::Ringing) {
    hangup();
    return;
  }
  if (auto sent = stack_.respond(invite_, sip_status); !sent) {
    logger()->info("[cid={}] call {}: {} not sent: {}", facts_.sip_call_id, sid(), sip_status, sent.error().what());
  }
  finish(std::string(call_status), sip_status);
}

void InboundCall::hangup() {
  switch (phase_) {
    case Phase::Ended: return;
    case Phase::Ringing:
      answer();
      if (phase_ == Phase::Ended) return;
      [[fallthrough]];
    case Phase::Answered:
      // RFC 3261 §15: no BYE before the ACK of our 2xx.
      bye_after_ack_ = true;
      return;
    case Phase::Confirmed:
      if (!dialog_) {
        finish("completed", 200);
        return;
      }
      // The caller's jitter buffer still holds the last frames of a prompt
      // that just ended: a BYE sent at once would cut its last syllable.
      if (last_audio_end_ && Clock::now() - *last_audio_end_ < kPlayoutDrain && !bye_deferred_) {
        bye_deferred_ = true;
        after(kPlayoutDrain, [this] { hangup(); });
        return;
      }
      if (auto sent = stack_.hangup(*dialog_); !sent) {
        logger()->info("[cid={}] call {}: BYE not sent: {}", facts_.sip_call_id, sid(), sent.error().what());
        finish("completed", 200);
      }
      return;
  }
}

void InboundCall::fetch(std::string url, std::string method, twiml::ActionParams extra) {
  request_document(std::move(url), std::move(method), Kind::Action, std::move(extra));
}

void InboundCall::after(std::chrono::milliseconds delay, std::function<void()> then) {
  std::weak_ptr<InboundCall> weak = weak_from_this();
  timers_.push_back(services_.timers[worker_]->start(delay, [weak, then = std::move(then)] {
    auto self = weak.lock();
    if (self && self->phase_ != Phase::Ended) then();
  }));
}

void InboundCall::alert(int code, twiml::AlertLevel level, std::string message) {
  logger()->info("[cid={}] call {}: TwiML {}: {}", facts_.sip_call_id, sid(), code, message);
  alert_for(code, level == twiml::AlertLevel::Error ? "error" : "warning", std::move(message), {}, {}, {}, {});
}

// --- SIP events --------------------------------------------------------------

void InboundCall::on_cancelled() {
  if (phase_ == Phase::Ended) return;
  logger()->info("[cid={}] call {} cancelled by the caller", facts_.sip_call_id, sid());
  finish("canceled", 487);
}

void InboundCall::on_confirmed(std::string_view ack_body) {
  if (phase_ != Phase::Answered) return;
  phase_ = Phase::Confirmed;
  if (bye_after_ack_) {
    hangup();
    return;
  }
  if (awaiting_answer()) {
    if (!accept_ack_answer(ack_body)) {
      hangup();
      return;
    }
    if (after_answer_) std::exchange(after_answer_, nullptr)();
  }
}

void InboundCall::on_ended() {
  if (phase_ == Phase::Ended) return;
  finish(answered() ? "completed" : "canceled", answered() ? 200 : 487);
}

// --- the end -----------------------------------------------------------------

void InboundCall::finish(std::string status, int sip_code) {
  if (phase_ == Phase::Ended) return;
  bool was_answered = answered();
  phase_ = Phase::Ended;
  for (auto id : timers_) services_.timers[worker_]->cancel(id);
  timers_.clear();
  stop_session_timer();
  ++fetch_seq_;  // any webhook still in flight is now stale
  if (dial_final_status_) *dial_final_status_ = status;
  if (dial_) dial_->caller_gone();  // before the media: the bridge goes first
  close_media();

  record_.status = status;
  record_.end_time = now_seconds();
  record_.sip_response_code = sip_code;
  if (was_answered && answered_at_) {
    auto seconds = std::chrono::duration<double>(Clock::now() - *answered_at_).count();
    record_.duration = static_cast<int>(std::lround(seconds));
  }
  record_update();
  services_.metrics.call_ended(status);
  logger()->info("[cid={}] call {} ended: {} (SIP {})", facts_.sip_call_id, sid(), status, sip_code);
  send_status_callback();
  if (on_finished) on_finished(*this);
}

void InboundCall::send_status_callback() {
  const auto& d = domain_->auth.domain;
  if (!d.voice_status_callback_url || d.voice_status_callback_url->empty()) return;
  Params params = call_params(identity_, facts_, record_.status);
  if (record_.duration) {
    params.emplace_back("CallDuration", std::to_string(*record_.duration));
    params.emplace_back("Duration", std::to_string((*record_.duration + 59) / 60));
  }
  params.emplace_back("Timestamp", rfc2822(std::chrono::system_clock::now()));
  params.emplace_back("CallbackSource", "call-progress-events");
  params.emplace_back("SequenceNumber", "0");
  if (record_.sip_response_code) params.emplace_back("SipResponseCode", std::to_string(*record_.sip_response_code));

  webhook::Request request;
  request.url = *d.voice_status_callback_url;
  request.method = d.voice_status_callback_method;
  request.params = params;
  request.auth_token = domain_->auth_token;
  // The call may be gone when the outcome arrives, so copy what it needs.
  auto& metrics = services_.metrics;
  auto& log = services_.log;
  AlertInfo failure{identity_.account_sid, 0, "warning", {}, identity_.call_sid, d.voice_status_callback_method,
                    *d.voice_status_callback_url, form_summary(params), {}};
  auto started = Clock::now();
  services_.webhooks[worker_]->send(std::move(request), [&metrics, &log, failure, started](webhook::Outcome outcome) mutable {
    auto latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    if (outcome) {
      metrics.webhook("status_callback", "ok", latency);
      return;
    }
    metrics.webhook("status_callback", std::to_string(outcome.error().error_code), latency);
    failure.error_code = outcome.error().error_code;
    failure.message = "status callback failed: " + outcome.error().message;
    failure.response_body = outcome.error().response_body;
    log.alert(std::move(failure));
  });
}

void InboundCall::record_update() { services_.log.record(record_); }

void InboundCall::alert_for(int code, std::string level, std::string message, const std::string& url,
                            const std::string& method, const Params& sent, std::string response_body) {
  services_.log.alert(AlertInfo{identity_.account_sid, code, std::move(level), std::move(message), identity_.call_sid,
                                method, url, form_summary(sent), std::move(response_body)});
}

}  // namespace callwire::calls
