#include "sip/dialog/two_xx_retransmitter.hpp"

#include <algorithm>

namespace callwire::sip {

TwoXxRetransmitter::TwoXxRetransmitter(Timers& timers, Transport& transport, Route route,
                                       std::shared_ptr<const std::string> response,
                                       std::uint32_t invite_cseq, DialogTimings timings,
                                       std::function<void()> on_ack_timeout)
    : timers_(timers),
      transport_(transport),
      route_(std::move(route)),
      response_(std::move(response)),
      invite_cseq_(invite_cseq),
      timings_(timings),
      on_ack_timeout_(std::move(on_ack_timeout)) {}

TwoXxRetransmitter::~TwoXxRetransmitter() { stop(); }

void TwoXxRetransmitter::start(bool send_first) {
  if (active_) return;
  active_ = true;
  if (send_first) send();
  // Reliable transports deliver the 2xx themselves (§13.3.1.4, §17.2.1);
  // the ACK can still get lost, hence the timeout on both.
  if (route_.protocol == Protocol::Udp) {
    interval_ = timings_.t1;
    arm_retransmit();
  }
  timeout_timer_ = timers_.start(64 * timings_.t1, [this] {
    timeout_timer_ = 0;
    active_ = false;
    if (retransmit_timer_ != 0) timers_.cancel(retransmit_timer_);
    retransmit_timer_ = 0;
    // The callback may destroy this object: call a copy, touch nothing after.
    auto cb = on_ack_timeout_;
    if (cb) cb();
  });
}

void TwoXxRetransmitter::arm_retransmit() {
  retransmit_timer_ = timers_.start(interval_, [this] {
    retransmit_timer_ = 0;
    send();
    interval_ = std::min(interval_ * 2, timings_.t2);
    arm_retransmit();
  });
}

void TwoXxRetransmitter::send() {
  ++sends_;
  transport_.send(route_, response_);
}

bool TwoXxRetransmitter::on_ack(const Message& ack) {
  if (!active_ || !ack.is_request() || ack.method() != Method::Ack) return false;
  if (ack.cseq().number != invite_cseq_) return false;
  stop();
  return true;
}

void TwoXxRetransmitter::stop() {
  active_ = false;
  if (retransmit_timer_ != 0) timers_.cancel(retransmit_timer_);
  if (timeout_timer_ != 0) timers_.cancel(timeout_timer_);
  retransmit_timer_ = timeout_timer_ = 0;
}

}  // namespace callwire::sip
