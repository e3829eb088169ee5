// OutboundLeg's RFC 4028 session timer. Our INVITE says Supported: timer
// with Session-Expires and Min-SE; the 2xx states the terms (§7.2). When
// we refresh, an UPDATE without body (if the callee allows UPDATE) or a
// re-INVITE with our current SDP goes out at half the interval; when the
// callee refreshes, each re-INVITE or UPDATE restarts the count, and a
// missing refresh ends the leg with BYE, as if the callee had hung up.
#include "calls/outbound_leg.hpp"
#include "calls/calls_logger.hpp"
#include "core/log.hpp"
#include "media/sdp/parser.hpp"
#include "media/sdp/writer.hpp"

namespace callwire::calls {

void OutboundLeg::ensure_session_timer() {
  if (session_timer_) return;
  std::weak_ptr<OutboundLeg> weak = weak_from_this();
  SessionTimer::Callbacks callbacks;
  callbacks.refresh = [weak] {
    if (auto self = weak.lock(); self && self->state_ == State::Answered) self->refresh_session();
  };
  callbacks.expired = [weak] {
    auto self = weak.lock();
    if (!self || self->state_ != State::Answered) return;
    logger()->info("[cid={}] call {}: session expired without a refresh (RFC 4028); hanging up", self->call_id_,
                   self->sid());
    self->stop("completed");
  };
  session_timer_ = std::make_unique<SessionTimer>(*services_.timers[worker_], std::move(callbacks));
}

void OutboundLeg::start_session(const sip::Message& response) {
  if (!services_.config.session_timer.enabled) return;
  auto headers = read_session_timer(response);
  peer_allows_update_ = headers.allows_update;
  auto terms = negotiate_uac(headers);
  if (!terms) return;  // the callee's 2xx set no expiry
  ensure_session_timer();
  logger()->debug("[cid={}] call {}: session timer {} s, refreshed by {}", call_id_, sid(), terms->interval.count(),
                  terms->we_refresh ? "us" : "the callee");
  session_timer_->start(*terms);
}

bool OutboundLeg::retry_after_422(const sip::Message* response) {
  if (response == nullptr || session_interval_) return false;  // one retry
  const auto& config = services_.config.session_timer;
  auto min_se = read_session_timer(*response).min_se;
  if (!config.enabled || !min_se || *min_se <= config.interval || *min_se > std::chrono::seconds{86400}) return false;
  logger()->info("[cid={}] call {}: 422, the callee wants Session-Expires >= {} s; trying again", call_id_, sid(),
                 min_se->count());
  session_interval_ = *min_se;
  state_ = State::Calling;
  try_route();
  return true;
}

bool OutboundLeg::refuse_small_session(sip::TxId tx, const sip::Message& request) {
  auto min_se = too_small(read_session_timer(request), services_.config.session_timer);
  if (!min_se) return false;
  sip::MessageParts parts;
  parts.headers.emplace_back("Min-SE", std::to_string(min_se->count()));
  (void)stack_.respond_in_dialog(tx, request, 422, {}, parts);
  return true;
}

bool OutboundLeg::answer_refresh(sip::TxId tx, const sip::Message& request, bool invite) {
  sip::MessageParts parts;
  if (invite) {
    // A re-INVITE without SDP wants our offer: the session as it is (same
    // o= version); the answer in its ACK changes nothing the bridge relays.
    parts.content_type = "application/sdp";
    parts.body = media::sdp::to_string(negotiated_->local);
  }
  (void)stack_.respond_in_dialog(tx, request, 200, {}, with_session(request, std::move(parts)));
  return true;
}

sip::MessageParts OutboundLeg::with_session(const sip::Message& request, sip::MessageParts parts) {
  const auto& config = services_.config.session_timer;
  if (!config.enabled) return parts;
  auto negotiated = negotiate_uas(read_session_timer(request), config);
  std::optional<SessionTerms> terms = negotiated.terms;
  if (terms) {
    for (auto& h : negotiated.headers) parts.headers.push_back(std::move(h));
  } else if (session_timer_ && session_timer_->terms()) {
    // Without Session-Expires the request still shows the session is alive.
    terms = session_timer_->terms();
    parts.headers.emplace_back("Session-Expires",
                               session_expires_value(terms->interval, terms->we_refresh ? Refresher::Uas : Refresher::Uac));
    if (terms->peer_supports) parts.headers.emplace_back("Require", "timer");
  }
  if (!terms) return parts;
  ensure_session_timer();
  session_timer_->start(*terms);
  return parts;
}

void OutboundLeg::refresh_session() {
  if (!session_timer_ || !session_timer_->terms() || !dialog_ || !negotiated_) return;
  sip::MessageParts parts;
  parts.headers = refresh_headers(*session_timer_->terms(), services_.config.session_timer);
  bool invite = !peer_allows_update_;
  if (invite) {
    parts.content_type = "application/sdp";
    parts.body = media::sdp::to_string(negotiated_->local);  // unchanged: same o= version
  }
  std::weak_ptr<OutboundLeg> weak = weak_from_this();
  auto sent = stack_.request_in_dialog(*dialog_, invite ? "INVITE" : "UPDATE", parts,
                                       [weak, invite](int status, const sip::Message* response) {
                                         auto self = weak.lock();
                                         if (self && self->state_ == State::Answered)
                                           self->on_refresh_answer(status, response, invite);
                                       });
  if (!sent) {
    logger()->info("[cid={}] call {}: session refresh not sent: {}", call_id_, sid(), sent.error().what());
    return;
  }
  logger()->debug("[cid={}] call {}: session refresh ({})", call_id_, sid(), invite ? "re-INVITE" : "UPDATE");
}

void OutboundLeg::on_refresh_answer(int status, const sip::Message* response, bool invite) {
  if (status < 200 || status >= 300 || response == nullptr) {
    // 408 and 481 end the dialog; other failures leave the session to expire.
    logger()->info("[cid={}] call {}: session refresh answered {}", call_id_, sid(), status);
    return;
  }
  if (!session_timer_) return;
  auto headers = read_session_timer(*response);
  if (!headers.allows_update && response->has(sip::HeaderId::Allow)) peer_allows_update_ = false;
  if (auto terms = negotiate_uac(headers)) {
    session_timer_->start(*terms);
  } else {
    session_timer_->stop();  // §7.2: a 2xx without Session-Expires: no expiry any more
  }
  if (!invite || response->body().empty() || !negotiated_) return;
  // The 2xx answers the SDP we re-offered; hold or a new address apply,
  // a codec change cannot (the bridge relays a fixed pair).
  std::string why;
  if (auto parsed = media::sdp::parse(response->body()); !parsed) {
    why = "unreadable SDP: " + parsed.error().what();
  } else if (auto next = media::sdp::accept_answer(negotiated_->local, *parsed, local_media_); !next) {
    why = next.error().what();
  } else if (!(next->codec == negotiated_->codec)) {
    why = "a codec change on a bridged call";
  } else if (auto config = media::engine::SessionConfig::from_negotiated(*next); !config) {
    why = config.error().what();
  } else if (auto updated = session_->update(*config); !updated) {
    why = updated.error().what();
  } else {
    negotiated_ = std::move(*next);
    return;
  }
  logger()->info("[cid={}] call {}: answer to the session refresh not applied: {}", call_id_, sid(), why);
}

// Only stopped: finish() may run inside the timer's own callback.
void OutboundLeg::stop_session_timer() {
  if (session_timer_) session_timer_->stop();
}

}  // namespace callwire::calls
