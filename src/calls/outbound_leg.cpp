#include "calls/outbound_leg.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "calls/calls_logger.hpp"
#include "calls/info_dtmf.hpp"
#include "calls/report_format.hpp"
#include "core/log.hpp"
#include "core/random.hpp"
#include "core/sid.hpp"
#include "core/text.hpp"
#include "media/sdp/parser.hpp"
#include "media/sdp/writer.hpp"

namespace callwire::calls {
namespace {

// The Dial status of a final SIP answer (contract 10.6): busy for the
// callee's own refusals, no-answer when nobody picked up, failed otherwise.
std::string status_for(int sip) {
  if (sip == 486 || sip == 600 || sip == 603) return "busy";
  if (sip == 408 || sip == 480 || sip == 487) return "no-answer";
  return "failed";
}

// 408 and 5xx (and our own 503 for an unreachable carrier) move on to the
// next trunk; the callee's answers (4xx, 6xx) do not.
bool fails_over(int sip) { return sip == 408 || (sip >= 500 && sip < 600); }

bool wants(const twiml::DialTarget& t, std::string_view event) {
  return std::find(t.status_events.begin(), t.status_events.end(), event) != t.status_events.end();
}

}  // namespace

OutboundLeg::OutboundLeg(CallServices& services, sip::Stack& stack, std::size_t worker, LegRegistry& registry,
                         LegContext context, LegSpec spec, Events events)
    : services_(services),
      stack_(stack),
      worker_(worker),
      registry_(registry),
      context_(std::move(context)),
      spec_(std::move(spec)),
      events_(std::move(events)) {
  record_.sid = make_time_ordered_sid("CA");
  record_.account_sid = context_.account_sid;
  record_.parent_call_sid = context_.parent_call_sid;
  record_.direction = "outbound-dial";
  record_.to = spec_.to;
  record_.from = spec_.from;
  record_.status = "queued";
  if (!spec_.caller_name.empty()) record_.caller_name = spec_.caller_name;
}

OutboundLeg::~OutboundLeg() {
  if (dialog_) registry_.remove(*dialog_);
  if (session_) session_->close();
}

void OutboundLeg::start() {
  if (state_ != State::Idle) return;
  state_ = State::Calling;
  record_.start_time = now_seconds();
  status_callback("initiated");
  if (!open_media()) {
    sip_code_ = 503;
    finish("failed");
    return;
  }
  try_route();
}

bool OutboundLeg::open_media() {
  auto* engine = worker_ < services_.media.size() ? services_.media[worker_] : nullptr;
  if (engine == nullptr) {
    logger()->warn("call {}: no media engine for the dialed leg", sid());
    return false;
  }
  auto session = engine->create_session();
  if (!session) {
    logger()->warn("call {}: no RTP port for the dialed leg: {}", sid(), session.error().what());
    return false;
  }
  session_ = std::move(*session);
  local_media_.address = engine->advertised_address();
  local_media_.rtp_port = session_->ports().rtp;
  local_media_.srtp = spec_.secure ? media::sdp::SrtpPolicy::Required : media::sdp::SrtpPolicy::Refuse;
  local_media_.session_id = media::sdp::new_session_id();
  local_media_.session_version = 1;
  if (!spec_.preferred_codec.empty()) {
    std::stable_partition(local_media_.codecs.begin(), local_media_.codecs.end(),
                          [&](const media::sdp::CodecSpec& c) { return iequals(c.name, spec_.preferred_codec); });
  }
  auto offer = media::sdp::offer(local_media_);
  if (!offer) {
    logger()->warn("call {}: no SDP offer: {}", sid(), offer.error().what());
    return false;
  }
  offer_ = std::move(*offer);
  return true;
}

std::string OutboundLeg::new_call_id() const {
  // A Call-ID that hashes to this worker, so the leg's responses and
  // requests come back to the thread that owns both legs (about N tries).
  for (;;) {
    std::string id = random_hex(20) + "@callwire";
    if (services_.pool.worker_for(id) == worker_) return id;
  }
}

void OutboundLeg::try_route() {
  while (route_ < spec_.routes.size()) {
    const LegRoute& route = spec_.routes[route_];
    slot_.reset();
    if (!route.trunk_sid.empty() && context_.usage != nullptr) {
      slot_ = context_.usage->try_acquire(route.trunk_sid, route.max_concurrent);
      if (!slot_) {
        logger()->info("call {}: trunk {} is at its {} concurrent calls; next route", sid(), route.trunk_sid,
                       route.max_concurrent);
        ++route_;
        sip_code_ = 503;
        continue;
      }
    }
    call_id_ = new_call_id();
    record_.sip_call_id = call_id_;
    record_.trunk_sid = route.trunk_sid.empty() ? std::nullopt : std::optional<std::string>(route.trunk_sid);

    sip::OutgoingInvite invite;
    invite.request_uri = route.request_uri;
    invite.next_hop = route.next_hop;
    invite.from_uri = "sip:" + route.from_user + "@" + spec_.from_host;
    invite.from_display = spec_.caller_name;
    invite.to_uri = route.request_uri;
    invite.call_id = call_id_;
    invite.headers = spec_.headers;
    invite.headers.emplace_back("X-Twilio-AccountSid", context_.account_sid);
    invite.headers.emplace_back("X-Twilio-CallSid", sid());
    for (auto& h : uac_invite_headers(services_.config.session_timer, session_interval_)) invite.headers.push_back(h);
    invite.content_type = "application/sdp";
    invite.body = media::sdp::to_string(*offer_);
    invite.login = route.login;

    std::weak_ptr<OutboundLeg> weak = weak_from_this();
    sip::OutgoingEvents events;
    events.on_provisional = [weak](const sip::Message& r) {
      if (auto self = weak.lock()) self->on_provisional(r);
    };
    events.on_answered = [weak](const sip::Message& r, const sip::DialogId& d) {
      if (auto self = weak.lock()) self->on_answered(r, d);
    };
    events.on_failed = [weak](int status, const sip::Message* r) {
      if (auto self = weak.lock()) self->on_failed(status, r);
    };
    auto id = stack_.invite(std::move(invite), std::move(events));
    if (!id) {
      logger()->info("[cid={}] call {}: INVITE to {} not sent: {}", call_id_, sid(), route.request_uri,
                     id.error().what());
      ++route_;
      sip_code_ = 503;
      continue;
    }
    outgoing_ = *id;
    save();
    logger()->info("[cid={}] call {} (parent {}): INVITE {}{}", call_id_, sid(), context_.parent_call_sid,
                   route.request_uri, route.next_hop.empty() ? "" : " via " + route.next_hop);
    return;
  }
  finish(status_for(sip_code_ == 0 ? 503 : sip_code_));
}

void OutboundLeg::on_provisional(const sip::Message& response) {
  if (state_ != State::Calling && state_ != State::Ringing) return;
  if (response.status() < 180) return;
  if (state_ == State::Calling) {
    state_ = State::Ringing;
    record_.status = "ringing";
    save();
    status_callback("ringing");
    if (events_.ringing) events_.ringing(*this);
  }
  // Early media (183 Session Progress, or a 180 with SDP): the callee's
  // answer to our offer, so its ringing or announcements can be heard.
  if (!early_ && !response.body().empty()) {
    std::string why;
    if (apply_answer(response.body(), why)) {
      early_ = true;
      if (events_.early_media) events_.early_media(*this);
    } else {
      logger()->info("[cid={}] call {}: early SDP not used: {}", call_id_, sid(), why);
    }
  }
}

bool OutboundLeg::apply_answer(std::string_view body, std::string& why) {
  auto parsed = media::sdp::parse(body);
  if (!parsed) {
    why = "unreadable SDP answer: " + parsed.error().what();
    return false;
  }
  auto n = media::sdp::accept_answer(*offer_, *parsed, local_media_);
  if (!n) {
    why = "unusable SDP answer: " + n.error().what();
    return false;
  }
  auto config = media::engine::SessionConfig::from_negotiated(*n);
  if (!config) {
    why = config.error().what();
    return false;
  }
  // The 2xx normally repeats the early answer; a different one replaces it.
  auto applied = !session_->started() ? session_->start(*config)
                 : (n->codec == negotiated_->codec) ? session_->update(*config)
                                                    : session_->reconfigure(*config);
  if (!applied) {
    why = applied.error().what();
    return false;
  }
  negotiated_ = std::move(*n);
  return true;
}

void OutboundLeg::on_answered(const sip::Message& response, const sip::DialogId& dialog) {
  if (state_ == State::Ended) {
    (void)stack_.hangup(dialog);
    return;
  }
  outgoing_ = 0;
  dialog_ = dialog;
  registry_.add(dialog, weak_from_this());
  sip_code_ = response.status();
  keep_headers(response);

  // The 2xx's SDP answers our offer (unless an early answer did and the 2xx has none).
  std::string why;
  bool usable = response.body().empty() ? early_ : apply_answer(response.body(), why);
  if (!usable && why.empty()) why = "no SDP answer";
  if (!usable) {
    logger()->info("[cid={}] call {}: answered, but {}; hung up", call_id_, sid(), why);
    (void)stack_.hangup(dialog);
    finish("failed");
    return;
  }
  state_ = State::Answered;
  answered_at_ = Clock::now();
  record_.status = "in-progress";
  save();
  status_callback("answered");
  start_session(response);
  logger()->info("[cid={}] call {}: answered ({} {})", call_id_, sid(), negotiated_->codec.name,
                 negotiated_->codec.clock_rate);
  if (events_.answered) events_.answered(*this);
}

void OutboundLeg::on_failed(int status, const sip::Message* response) {
  if (state_ == State::Ended || state_ == State::Answered) return;
  outgoing_ = 0;
  sip_code_ = status;
  if (response != nullptr) keep_headers(*response);
  if (!stop_status_.empty()) {
    finish(stop_status_);
    return;
  }
  if (status == 422 && retry_after_422(response)) return;
  logger()->info("[cid={}] call {}: {} {}", call_id_, sid(), status,
                 response != nullptr ? std::string(response->reason_phrase()) : std::string("(no response)"));
  if (fails_over(status) && route_ + 1 < spec_.routes.size()) {
    ++route_;
    state_ = State::Calling;
    try_route();
    return;
  }
  finish(status_for(status));
}

void OutboundLeg::stop(std::string status) {
  switch (state_) {
    case State::Idle:
      finish(std::move(status));
      return;
    case State::Calling:
    case State::Ringing:
      stop_status_ = std::move(status);
      if (outgoing_ != 0) {
        if (auto c = stack_.cancel(outgoing_); c) return;  // on_failed(487) finishes it
      }
      finish(stop_status_);
      return;
    case State::Answered:
      if (dialog_) (void)stack_.hangup(*dialog_);
      finish("completed");
      return;
    case State::Ended: return;
  }
}

void OutboundLeg::on_dialog_ended() {
  if (state_ == State::Answered) finish("completed");
}

bool OutboundLeg::on_dialog_request(sip::TxId tx, const sip::Message& request) {
  if (request.method() == sip::Method::Info) {
    if (auto key = info_dtmf_key(request.header(sip::HeaderId::ContentType), request.body()); key && info_key_) {
      logger()->debug("[cid={}] call {}: key {} (SIP INFO)", call_id_, sid(), *key);
      info_key_(*key);
    }
    return false;  // the stack answers 200
  }
  bool invite = request.method() == sip::Method::Invite;
  if (!invite && request.method() != sip::Method::Update) return false;
  if (state_ != State::Answered || !negotiated_) return false;
  if (refuse_small_session(tx, request)) return true;
  if (request.body().empty()) return answer_refresh(tx, request, invite);
  // Hold, resume or a new address from the callee: answered on the same
  // stream. A codec change is refused (488): the bridge relays a fixed pair.
  auto parsed = media::sdp::parse(request.body());
  std::string why;
  if (!parsed) {
    why = "unreadable SDP offer";
  } else if (auto next = media::sdp::answer_reoffer(*parsed, local_media_, *negotiated_); !next) {
    why = next.error().what();
  } else if (!(next->codec == negotiated_->codec)) {
    why = "a codec change on a bridged call";
  } else if (auto config = media::engine::SessionConfig::from_negotiated(*next); !config) {
    why = config.error().what();
  } else if (auto updated = session_->update(*config); !updated) {
    why = updated.error().what();
  } else {
    local_media_.session_version = next->local.origin.session_version;
    sip::MessageParts parts;
    parts.content_type = "application/sdp";
    parts.body = media::sdp::to_string(next->local);
    negotiated_ = std::move(*next);
    (void)stack_.respond_in_dialog(tx, request, 200, {}, with_session(request, std::move(parts)));
    return true;
  }
  (void)stack_.respond_in_dialog(tx, request, 488, why);
  return true;
}

int OutboundLeg::duration() const {
  if (!answered_at_) return 0;
  auto seconds = std::chrono::duration<double>(ended_at_.value_or(Clock::now()) - *answered_at_);
  return static_cast<int>(std::lround(seconds.count()));
}

void OutboundLeg::finish(std::string status) {
  if (state_ == State::Ended) return;
  ended_at_ = Clock::now();
  if (state_ == State::Answered) record_.duration = duration();
  state_ = State::Ended;
  slot_.reset();
  stop_session_timer();
  if (dialog_) registry_.remove(*dialog_);
  if (session_) session_->close();
  record_.status = std::move(status);
  record_.end_time = now_seconds();
  if (sip_code_ != 0) record_.sip_response_code = sip_code_;
  save();
  services_.metrics.call_ended(record_.status);
  logger()->info("[cid={}] call {} ended: {} (SIP {})", call_id_, sid(), record_.status, sip_code_);
  status_callback("completed");
  if (events_.ended) {
    // Never inside start()/stop(): the owner may be in the middle of a loop over its legs.
    std::weak_ptr<OutboundLeg> weak = weak_from_this();
    services_.pool.post(worker_, [weak] {
      if (auto self = weak.lock(); self && self->events_.ended) self->events_.ended(*self);
    });
  }
}

void OutboundLeg::keep_headers(const sip::Message& response) {
  final_headers_.clear();
  for (const auto& h : response.headers()) {
    if (istarts_with(h.name, "x-")) final_headers_.emplace_back(std::string(h.name), std::string(h.value));
  }
}

void OutboundLeg::save() { services_.log.record(record_); }

void OutboundLeg::status_callback(std::string_view event) {
  const auto& t = spec_.target;
  if (t.status_callback.empty() || !wants(t, event)) return;
  Params params{{"AccountSid", context_.account_sid},
                {"ApiVersion", "2010-04-01"},
                {"CallSid", sid()},
                {"ParentCallSid", context_.parent_call_sid},
                {"CallStatus", record_.status},
                {"Direction", "outbound-dial"},
                {"From", record_.from},
                {"To", record_.to},
                {"Caller", record_.from},
                {"Called", record_.to},
                {"SipCallId", call_id_},
                {"Timestamp", rfc2822(std::chrono::system_clock::now())},
                {"CallbackSource", "call-progress-events"},
                {"SequenceNumber", std::to_string(sequence_++)}};
  if (event == "initiated") params[4].second = "initiated";
  if (event == "completed") {
    if (record_.duration) params.emplace_back("CallDuration", std::to_string(*record_.duration));
    if (sip_code_ != 0) params.emplace_back("SipResponseCode", std::to_string(sip_code_));
  }
  webhook::Request request;
  request.url = t.status_callback;
  request.method = t.status_callback_method;
  request.params = params;
  request.auth_token = context_.auth_token;
  auto& log = services_.log;
  AlertInfo failure{context_.account_sid, 0, "warning", {}, sid(), t.status_callback_method, t.status_callback,
                    form_summary(params), {}};
  services_.webhooks[worker_]->send(std::move(request), [&log, failure](webhook::Outcome outcome) mutable {
    if (outcome) return;
    failure.error_code = outcome.error().error_code;
    failure.message = "Dial status callback failed: " + outcome.error().message;
    failure.response_body = outcome.error().response_body;
    log.alert(std::move(failure));
  });
}

}  // namespace callwire::calls
