// InboundCall's RFC 4028 session timer. Our 2xx to the INVITE (and to each
// re-INVITE or UPDATE) states the terms and restarts the timer. When the
// caller refreshes, a missing refresh ends the call with BYE before the
// session would expire; when we refresh, an UPDATE without body (if the
// caller allows UPDATE) or a re-INVITE with our current SDP (same o=
// version) goes out at half the interval.
#include "calls/inbound_call.hpp"
#include "calls/calls_logger.hpp"
#include "core/log.hpp"
#include "media/sdp/parser.hpp"
#include "media/sdp/writer.hpp"

namespace callwire::calls {
sip::MessageParts InboundCall::with_session(sip::MessageParts parts) {
  const auto& config = services_.config.session_timer;
  if (!config.enabled) return parts;
  auto negotiated = negotiate_uas(session_request_, config);
  std::optional<SessionTerms> terms = negotiated.terms;
  if (terms) {
    if (session_request_.allows_update) peer_allows_update_ = true;
    for (auto& h : negotiated.headers) parts.headers.push_back(std::move(h));
  } else if (session_timer_ && session_timer_->terms()) {
    // A re-INVITE or UPDATE without Session-Expires still shows the session
    // is alive: the terms stay, restated in our 2xx.
    terms = session_timer_->terms();
    parts.headers.emplace_back("Session-Expires",
                               session_expires_value(terms->interval, terms->we_refresh ? Refresher::Uas : Refresher::Uac));
    if (terms->peer_supports) parts.headers.emplace_back("Require", "timer");
  }
  if (!terms) return parts;
  if (!session_timer_) {
    std::weak_ptr<InboundCall> weak = weak_from_this();
    SessionTimer::Callbacks callbacks;
    callbacks.refresh = [weak] {
      if (auto self = weak.lock(); self && self->phase_ != Phase::Ended) self->refresh_session();
    };
    callbacks.expired = [weak] {
      auto self = weak.lock();
      if (!self || self->phase_ == Phase::Ended) return;
      logger()->info("[cid={}] call {}: session expired without a refresh (RFC 4028); hanging up",
                     self->facts_.sip_call_id, self->sid());
      self->hangup();
    };
    session_timer_ = std::make_unique<SessionTimer>(*services_.timers[worker_], std::move(callbacks));
  }
  logger()->debug("[cid={}] call {}: session timer {} s, refreshed by {}", facts_.sip_call_id, sid(),
                  terms->interval.count(), terms->we_refresh ? "us" : "the caller");
  session_timer_->start(*terms);
  return parts;
}

void InboundCall::refresh_session() {
  if (!session_timer_ || !session_timer_->terms() || !dialog_ || phase_ != Phase::Confirmed) return;
  sip::MessageParts parts;
  parts.headers = refresh_headers(*session_timer_->terms(), services_.config.session_timer);
  bool invite = !peer_allows_update_;
  if (invite && negotiated_) {
    parts.content_type = "application/sdp";
    parts.body = media::sdp::to_string(negotiated_->local);  // unchanged: same o= version
  }
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto sent = stack_.request_in_dialog(*dialog_, invite ? "INVITE" : "UPDATE", parts,
                                       [weak, invite](int status, const sip::Message* response) {
                                         auto self = weak.lock();
                                         if (self && self->phase_ != Phase::Ended)
                                           self->on_refresh_answer(status, response, invite);
                                       });
  if (!sent) {
    // e.g. a re-INVITE of the caller in progress: its 2xx restarts the timer;
    // otherwise the session expires.
    logger()->info("[cid={}] call {}: session refresh not sent: {}", facts_.sip_call_id, sid(), sent.error().what());
    return;
  }
  logger()->debug("[cid={}] call {}: session refresh ({})", facts_.sip_call_id, sid(), invite ? "re-INVITE" : "UPDATE");
}

void InboundCall::on_refresh_answer(int status, const sip::Message* response, bool invite) {
  if (status < 200 || status >= 300 || response == nullptr) {
    // 408 and 481 end the dialog (the stack sends no BYE then, §10); other
    // failures leave the session to expire unless a later refresh succeeds.
    logger()->info("[cid={}] call {}: session refresh answered {}", facts_.sip_call_id, sid(), status);
    return;
  }
  if (!session_timer_) return;
  if (auto terms = negotiate_uac(read_session_timer(*response))) {
    session_timer_->start(*terms);
  } else {
    session_timer_->stop();  // §7.2: a 2xx without Session-Expires: no expiry any more
  }
  if (!invite || response->body().empty() || !negotiated_) return;
  // The 2xx answers the SDP we re-offered; usually it is the same session.
  std::string why;
  if (auto parsed = media::sdp::parse(response->body()); !parsed) {
    why = "unreadable SDP: " + parsed.error().what();
  } else if (auto next = media::sdp::accept_answer(negotiated_->local, *parsed, modify_local()); !next) {
    why = next.error().what();
  } else if (apply_media(std::move(*next), why)) {
    return;
  }
  logger()->info("[cid={}] call {}: answer to the session refresh not applied: {}", facts_.sip_call_id, sid(), why);
}

// Only stopped: finish() may run inside the timer's own callback.
void InboundCall::stop_session_timer() {
  if (session_timer_) session_timer_->stop();
}

}  // namespace callwire::calls
