// DialSession's screening (<Number url>, <Sip url>; contract 10.6): a leg
// that answers with a screening URL is not bridged yet. Its ScreeningCall
// runs the screening TwiML on the callee while the caller keeps hearing the
// ringing tone (or stays in early media with answerOnBridge) and the other
// legs keep ringing; the Dial timeout is suspended meanwhile. The document
// running to its end bridges the leg as any answer does (the other legs are
// cancelled then); a failed screening hangs the leg up, and the leg counts
// as not answered.
#include <algorithm>
#include <utility>

#include "calls/dial_session.hpp"
#include "core/log.hpp"

namespace callwire::calls {

void DialSession::screen(const std::shared_ptr<OutboundLeg>& leg) {
  // Screening may take longer than the ringing: the timeout stops applying.
  if (ring_timer_) {
    services_.timers[worker_]->cancel(*ring_timer_);
    ring_timer_.reset();
  }
  if (early_ == leg) {  // the caller must not hear the screening
    if (bridge_) bridge_->disconnect();
    bridge_.reset();
    early_.reset();
  }
  std::weak_ptr<DialSession> weak = weak_from_this();
  const OutboundLeg* key = leg.get();
  auto screening = std::make_shared<ScreeningCall>(
      services_, worker_, leg, ScreeningContext{context_.account_sid, context_.call_sid, context_.auth_token},
      [weak, key](bool passed) {
        if (auto self = weak.lock()) self->on_screened(*key, passed);
      });
  screenings_.push_back(screening);
  screening->start();
}

void DialSession::on_screened(const OutboundLeg& leg, bool passed) {
  if (!drop_screening(leg) || finished_ || winner_) return;
  auto it = std::find_if(legs_.begin(), legs_.end(), [&](const auto& l) { return l.get() == &leg; });
  if (it == legs_.end()) return;
  auto l = *it;
  if (passed && l->state() == OutboundLeg::State::Answered) {
    win(l);
    return;
  }
  screened_out_.push_back(l.get());
  l->stop("completed");  // BYE; on_leg_ended decides whether the dial is over
  resume_ring_timer();
}

bool DialSession::drop_screening(const OutboundLeg& leg) {
  auto it = std::find_if(screenings_.begin(), screenings_.end(), [&](const auto& s) { return &s->leg() == &leg; });
  if (it == screenings_.end()) return false;
  (*it)->stop();
  // Not destroyed here: this may run inside the screening's own outcome.
  services_.pool.post(worker_, [gone = std::move(*it)] {});
  screenings_.erase(it);
  return true;
}

void DialSession::stop_screenings() {
  for (auto& s : screenings_) {
    s->stop();
    services_.pool.post(worker_, [gone = std::move(s)] {});
  }
  screenings_.clear();
}

void DialSession::resume_ring_timer() {
  if (finished_ || winner_ || ring_timer_ || !screenings_.empty()) return;
  bool ringing = std::any_of(legs_.begin(), legs_.end(), [](const auto& l) {
    return l->state() == OutboundLeg::State::Calling || l->state() == OutboundLeg::State::Ringing;
  });
  if (!ringing) return;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(request_.timeout - (Clock::now() - ring_started_));
  ring_timer_ = arm(std::max(left, std::chrono::milliseconds(0)), [this] { on_timeout(); });
}

std::string DialSession::counted_status(const OutboundLeg& leg) const {
  bool out = std::find(screened_out_.begin(), screened_out_.end(), &leg) != screened_out_.end();
  return out ? std::string("no-answer") : leg.status();
}

}  // namespace callwire::calls
