#include "calls/dial_session.hpp"

#include <algorithm>
#include <utility>

#include "calls/calls_logger.hpp"
#include "calls/ringback.hpp"
#include "core/log.hpp"
#include "dial/e164.hpp"
#include "dial/errc.hpp"
#include "dial/sip_target.hpp"
#include "dial/termination_uri.hpp"
#include "dial/trunk_plan.hpp"
#include "twiml/errc.hpp"

namespace callwire::calls {
namespace {

// The user part of a SIP URI ("sip:alice@host;x" → "alice"), "" when none.
std::string uri_user(std::string_view uri) {
  auto colon = uri.find(':');
  auto at = uri.find('@');
  if (colon == std::string_view::npos || at == std::string_view::npos || at < colon) return {};
  return std::string(uri.substr(colon + 1, at - colon - 1));
}

// Of several legs that all failed, the status that says most: a callee that
// was busy beats one that did not answer, which beats a failure.
int rank(std::string_view status) {
  if (status == "busy") return 3;
  if (status == "no-answer") return 2;
  if (status == "canceled") return 1;
  return 0;
}

}  // namespace

DialSession::DialSession(CallServices& services, sip::Stack& stack, std::size_t worker, LegRegistry& registry,
                         DialHost& host, DialContext context, twiml::DialRequest request, twiml::DialDone done)
    : services_(services),
      stack_(stack),
      worker_(worker),
      registry_(registry),
      host_(host),
      context_(std::move(context)),
      request_(std::move(request)),
      done_(std::move(done)) {}

DialSession::~DialSession() {
  cancel_timers();
  stop_screenings();
}

std::size_t DialSession::arm(std::chrono::milliseconds delay, std::function<void()> f) {
  std::weak_ptr<DialSession> weak = weak_from_this();
  auto id = services_.timers[worker_]->start(delay, [weak, f = std::move(f)] {
    if (auto self = weak.lock(); self && !self->finished_) f();
  });
  timers_.push_back(id);
  return id;
}

void DialSession::cancel_timers() {
  for (auto id : timers_) services_.timers[worker_]->cancel(id);
  timers_.clear();
}

std::optional<LegSpec> DialSession::spec_for(const twiml::DialTarget& target, Refused& refused) {
  LegSpec spec;
  spec.target = target;
  spec.from_host = context_.from_host;
  refused.status = "failed";
  std::string caller_user = uri_user(context_.caller);

  if (target.kind == twiml::DialTarget::Kind::Sip) {
    auto sip = dial::parse_sip_target(target.address);
    if (!sip) {
      refused = {"failed", static_cast<int>(twiml::Errc::Schema),
                 "<Sip>" + target.address + "</Sip> cannot be dialed: " + sip.error().what()};
      return std::nullopt;
    }
    LegRoute route;
    route.request_uri = sip->request_uri;
    if (!target.username.empty()) route.login = sip::DigestLogin{target.username, target.password};
    route.from_user = request_.caller_id.empty() ? caller_user : request_.caller_id;
    if (route.from_user.empty()) route.from_user = "anonymous";
    for (auto& h : sip->headers) spec.headers.emplace_back(std::move(h.name), std::move(h.value));
    spec.secure = sip->secure;
    spec.to = sip->request_uri;
    spec.from = route.from_user;
    spec.routes.push_back(std::move(route));
    return spec;
  }

  auto number = dial::normalize_number(target.address);
  if (!number) {
    refused = {"failed", static_cast<int>(twiml::Errc::DialNumberFormat),
               "<Number>" + target.address + "</Number>: " + number.error().what()};
    return std::nullopt;
  }
  std::optional<std::string_view> byoc;
  if (!target.byoc.empty()) byoc = target.byoc;
  auto plan = dial::plan_trunks(context_.trunks, *number, byoc, dial::default_random_source());
  if (!plan) {
    refused = {"failed", static_cast<int>(twiml::Errc::DialNumber),
               "<Number>" + *number + "</Number> cannot be called: " + plan.error().what()};
    return std::nullopt;
  }
  // The caller ID: <Dial callerId>, else the trunk's CallerId, else the
  // caller's own number when their From user is one (contract 10.6: SIP
  // callers normally need an explicit one).
  std::optional<std::string> dial_caller;
  if (!request_.caller_id.empty()) {
    auto n = dial::normalize_number(request_.caller_id);
    if (!n) {
      refused = {"failed", static_cast<int>(twiml::Errc::DialCallerId),
                 "callerId " + request_.caller_id + ": " + n.error().what()};
      return std::nullopt;
    }
    dial_caller = *n;
  }
  auto caller_number = dial::normalize_number(caller_user);
  for (const auto& trunk : *plan) {
    auto term = dial::parse_termination_uri(trunk.termination_uri);
    if (!term) {
      logger()->warn("call {}: trunk {} has an unusable TerminationUri: {}", context_.call_sid, trunk.sid,
                     term.error().what());
      continue;
    }
    std::optional<std::string> from = dial_caller;
    if (!from && !trunk.caller_id.empty()) {
      if (auto n = dial::normalize_number(trunk.caller_id)) from = *n;
    }
    if (!from && caller_number) from = *caller_number;
    if (!from) continue;
    auto format = dial::parse_number_format(trunk.number_format).value_or(dial::NumberFormat::E164);
    LegRoute route;
    route.request_uri = dial::request_uri_for(*term, dial::format_for_trunk(*number, format));
    route.from_user = dial::format_for_trunk(*from, format);
    route.trunk_sid = trunk.sid;
    route.max_concurrent = trunk.max_concurrent_calls;
    if (!trunk.username.empty()) route.login = sip::DigestLogin{trunk.username, trunk.password};
    if (spec.from.empty()) spec.from = *from;
    spec.routes.push_back(std::move(route));
  }
  if (spec.routes.empty()) {
    refused = {"failed", static_cast<int>(twiml::Errc::DialCallerId),
               "no caller ID for " + *number +
                   ": set <Dial callerId> or the trunk's CallerId (the caller's From is not a phone number)"};
    return std::nullopt;
  }
  spec.to = *number;
  return spec;
}

void DialSession::start() {
  for (const auto& target : request_.targets) {
    Refused refused;
    if (auto spec = spec_for(target, refused)) {
      pending_.push_back(std::move(*spec));
    } else {
      host_.dial_alert(refused.code, refused.message);
      last_refusal_ = std::move(refused);
    }
  }
  if (pending_.empty()) {
    twiml::DialResult r;
    r.status = last_refusal_ ? last_refusal_->status : "failed";
    report(std::move(r));
    return;
  }
  if (!request_.answer_on_bridge) start_ringback();
  ring_next();
}

void DialSession::ring_next() {
  if (finished_) return;
  std::vector<LegSpec> now;
  if (request_.sequential) {
    if (pending_.empty()) return;
    now.push_back(std::move(pending_.front()));
    pending_.erase(pending_.begin());
  } else {
    now = std::move(pending_);
    pending_.clear();
  }
  if (ring_timer_) services_.timers[worker_]->cancel(*ring_timer_);
  ring_started_ = Clock::now();
  ring_timer_ = arm(request_.timeout, [this] { on_timeout(); });
  for (auto& spec : now) launch(std::move(spec));
}

void DialSession::launch(LegSpec spec) {
  if (auto media = host_.caller_media()) spec.preferred_codec = media->config().codec.name;
  LegContext ctx{context_.account_sid, context_.call_sid, context_.auth_token, services_.trunk_usage};
  std::weak_ptr<DialSession> weak = weak_from_this();
  OutboundLeg::Events events;
  events.answered = [weak](OutboundLeg& leg) {
    if (auto self = weak.lock()) self->on_leg_answered(leg);
  };
  events.early_media = [weak](OutboundLeg& leg) {
    if (auto self = weak.lock()) self->on_leg_early_media(leg);
  };
  events.ended = [weak](OutboundLeg& leg) {
    if (auto self = weak.lock()) self->on_leg_ended(leg);
  };
  auto leg = std::make_shared<OutboundLeg>(services_, stack_, worker_, registry_, std::move(ctx), std::move(spec),
                                           std::move(events));
  legs_.push_back(leg);
  leg->start();
}

void DialSession::on_leg_early_media(OutboundLeg& leg) {
  // Only answerOnBridge passes the callee's early media through (otherwise
  // the caller is answered and hears callwire's ringing tone), and only the
  // first leg's.
  if (finished_ || winner_ || early_ || !request_.answer_on_bridge) return;
  auto it = std::find_if(legs_.begin(), legs_.end(), [&](const auto& l) { return l.get() == &leg; });
  if (it == legs_.end()) return;
  early_ = *it;
  std::weak_ptr<DialSession> weak = weak_from_this();
  std::weak_ptr<OutboundLeg> weak_leg = early_;
  host_.early_media_caller([weak, weak_leg] {
    auto self = weak.lock();
    auto l = weak_leg.lock();
    if (!self || !l || self->finished_ || self->winner_ || self->early_ != l) return;
    if (l->state() != OutboundLeg::State::Ringing) return;
    auto b = media::engine::MediaBridge::connect(self->host_.caller_media(), l->media());
    if (!b) {
      logger()->info("call {}: early media of {} not bridged: {}", self->context_.call_sid, l->sid(),
                     b.error().what());
      return;
    }
    self->bridge_ = std::move(*b);
    logger()->info("call {}: early media of {} bridged", self->context_.call_sid, l->sid());
  });
}

void DialSession::on_leg_answered(OutboundLeg& answered) {
  if (finished_ || winner_) {
    answered.stop("canceled");
    return;
  }
  auto it = std::find_if(legs_.begin(), legs_.end(), [&](const auto& l) { return l.get() == &answered; });
  if (it == legs_.end()) return;
  if (!(*it)->target().screen_url.empty()) {
    screen(*it);
    return;
  }
  win(*it);
}

void DialSession::win(const std::shared_ptr<OutboundLeg>& leg_won) {
  winner_ = leg_won;
  stop_screenings();
  if (ring_timer_) {
    services_.timers[worker_]->cancel(*ring_timer_);
    ring_timer_.reset();
  }
  pending_.clear();
  if (early_ && early_ != winner_ && bridge_) {  // another leg's early media
    bridge_->disconnect();
    bridge_.reset();
  }
  for (auto& other : legs_) {
    if (other != winner_) other->stop("canceled");
  }
  std::weak_ptr<DialSession> weak = weak_from_this();
  std::weak_ptr<OutboundLeg> leg = winner_;
  host_.answer_caller([weak, leg] {
    auto self = weak.lock();
    auto l = leg.lock();
    if (self && l && !self->finished_) self->bridge(l);
  });
}

void DialSession::bridge(const std::shared_ptr<OutboundLeg>& leg) {
  stop_ringback();
  auto caller = host_.caller_media();
  auto callee = leg->media();
  if (!caller || !callee) {
    host_.dial_alert(static_cast<int>(twiml::Errc::Schema), "the dialed call has no media to bridge");
    leg->stop("completed");
    return;
  }
  auto join = [weak = weak_from_this(), leg] {
    auto self = weak.lock();
    if (!self || self->finished_ || leg->state() != OutboundLeg::State::Answered) return;
    if (!self->bridge_ || !self->bridge_->connected()) {  // else joined already for early media
      auto b = media::engine::MediaBridge::connect(self->host_.caller_media(), leg->media());
      if (!b) {
        logger()->warn("call {}: bridge to {} failed: {}", self->context_.call_sid, leg->sid(), b.error().what());
        leg->stop("completed");
        return;
      }
      self->bridge_ = std::move(*b);
    }
    logger()->info("call {}: bridged with {}", self->context_.call_sid, leg->sid());
    self->start_recording(leg);
    self->arm(self->request_.time_limit, [self = self.get(), leg] { leg->stop("completed"); });
    if (self->request_.hangup_on_star) {
      self->host_.dial_digits([weak = self->weak_from_this(), leg](char d) {
        auto s = weak.lock();
        if (s && !s->finished_ && d == '*') leg->stop("completed");
      });
    }
  };
  const std::string& digits = leg->target().send_digits;
  if (digits.empty()) {
    join();
    return;
  }
  // sendDigits go to the callee first (an extension, a PIN), then the bridge.
  if (bridge_) {  // the callee's Player is silent while bridged for early media
    bridge_->disconnect();
    bridge_.reset();
  }
  if (auto sent = callee->send_digits(digits, [join](media::engine::PlaybackResult) { join(); }); !sent) {
    join();
  }
}

void DialSession::on_leg_ended(OutboundLeg& leg) {
  if (finished_) return;
  if (winner_.get() == &leg) {
    if (bridge_) bridge_->disconnect();
    twiml::DialResult r;
    r.status = "completed";
    r.bridged = true;
    r.call_sid = leg.sid();
    r.duration = leg.duration();
    r.sip_call_id = leg.target().kind == twiml::DialTarget::Kind::Sip ? leg.sip_call_id() : "";
    r.sip_response_code = leg.target().kind == twiml::DialTarget::Kind::Sip ? 200 : 0;
    if (leg.target().kind == twiml::DialTarget::Kind::Sip) r.sip_headers = leg.final_headers();
    report(std::move(r));
    return;
  }
  if (winner_) return;  // a losing leg's CANCEL completed
  if (early_.get() == &leg) {  // its early media ends with it
    if (bridge_) bridge_->disconnect();
    bridge_.reset();
    early_.reset();
  }
  if (drop_screening(leg)) {  // the callee hung up while being screened
    screened_out_.push_back(&leg);
    resume_ring_timer();
  }
  bool all_over = std::all_of(legs_.begin(), legs_.end(),
                              [](const auto& l) { return l->state() == OutboundLeg::State::Ended; });
  if (!all_over) return;
  if (request_.sequential && !pending_.empty()) {
    ring_next();
    return;
  }
  // Nobody answered: the most telling status of the legs.
  const OutboundLeg* best = legs_.front().get();
  for (const auto& l : legs_) {
    if (rank(counted_status(*l)) > rank(counted_status(*best))) best = l.get();
  }
  twiml::DialResult r;
  r.status = counted_status(*best) == "canceled" ? "no-answer" : counted_status(*best);
  r.call_sid = best->sid();
  if (best->target().kind == twiml::DialTarget::Kind::Sip) {
    r.sip_call_id = best->sip_call_id();
    r.sip_response_code = best->sip_code();
    r.sip_headers = best->final_headers();
  }
  report(std::move(r));
}

void DialSession::on_timeout() {
  ring_timer_.reset();
  if (winner_) return;
  logger()->info("call {}: nobody answered within {} s", context_.call_sid, request_.timeout.count());
  for (auto& leg : legs_) leg->stop("no-answer");
}

void DialSession::caller_gone() {
  if (finished_) return;
  twiml::DialResult r;
  r.caller_hung_up = true;
  if (winner_) {
    r.status = "completed";
    r.bridged = true;
    r.call_sid = winner_->sid();
    r.duration = winner_->duration();
  } else {
    r.status = "canceled";
    if (!legs_.empty()) r.call_sid = legs_.back()->sid();
  }
  for (auto& leg : legs_) leg->stop(leg == winner_ ? "completed" : "canceled");
  report(std::move(r));
}

void DialSession::start_ringback() {
  auto media = host_.caller_media();
  if (!media) return;
  auto pcm = ringback_cycle(request_.ring_tone);
  if (media->play_pcm(std::move(pcm), 8000, 0)) ringback_ = true;
}

void DialSession::stop_ringback() {
  if (!ringback_) return;
  ringback_ = false;
  if (auto media = host_.caller_media()) media->stop_playback();
}

void DialSession::start_recording(const std::shared_ptr<OutboundLeg>& leg) {
  if (request_.record == twiml::DialRequest::Record::None || recording_) return;
  auto rec = DialRecording::start(services_, worker_,
                                  {context_.account_sid, context_.call_sid, context_.auth_token}, request_,
                                  host_.caller_media(), leg->media());
  if (!rec) {
    logger()->warn("call {}: bridge not recorded: {}", context_.call_sid, rec.error().what());
    host_.dial_alert(12400, "<Dial record>: cannot record: " + rec.error().what());
    return;
  }
  recording_ = std::move(*rec);
}

void DialSession::report(twiml::DialResult result) {
  if (finished_) return;
  finished_ = true;
  cancel_timers();
  stop_screenings();
  stop_ringback();
  if (request_.hangup_on_star) host_.dial_digits(nullptr);
  if (bridge_) bridge_->disconnect();
  logger()->info("call {}: dial ended: {}{}", context_.call_sid, result.status,
                 result.caller_hung_up ? " (caller hung up)" : "");
  // Not inside the caller's own call into us: the executor may run on.
  auto done = std::move(done_);
  if (recording_) {  // the result waits for the recording's row (the action may fetch it)
    auto rec = std::move(recording_);
    rec->stop([done = std::move(done), result = std::move(result)](DialRecordingResult rr) mutable {
      if (rr.recorded) {
        result.recording_sid = rr.sid;
        result.recording_url = rr.url;
        result.recording_duration = rr.duration;
      }
      if (done) done(std::move(result));
    });
    return;
  }
  services_.pool.post(worker_, [done = std::move(done), result = std::move(result)]() mutable {
    if (done) done(std::move(result));
  });
}

}  // namespace callwire::calls
