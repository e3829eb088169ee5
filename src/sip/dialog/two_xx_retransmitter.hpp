#pragma once
// RFC 3261 §13.3.1.4: the UAS core, not the transaction, keeps sending a 2xx
// to INVITE until the ACK arrives. Over unreliable transports it resends at
// T1, then doubling intervals capped at T2; over any transport it gives up
// after 64*T1 and reports the missing ACK.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/timers.hpp"
#include "sip/message/message.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

struct DialogTimings {
  Millis t1{500};
  Millis t2{4000};
};

class TwoXxRetransmitter {
 public:
  // `invite_cseq` is the CSeq number of the INVITE the 2xx answers.
  TwoXxRetransmitter(Timers& timers, Transport& transport, Route route,
                     std::shared_ptr<const std::string> response, std::uint32_t invite_cseq,
                     DialogTimings timings, std::function<void()> on_ack_timeout);
  ~TwoXxRetransmitter();
  TwoXxRetransmitter(const TwoXxRetransmitter&) = delete;
  TwoXxRetransmitter& operator=(const TwoXxRetransmitter&) = delete;

  // Sends the 2xx now (unless the caller already did) and arms the timers.
  void start(bool send_first = true);
  // An ACK with the INVITE's CSeq number stops everything: true. Other ACKs
  // (another CSeq, or after it stopped) change nothing: false.
  bool on_ack(const Message& ack);
  void stop();
  bool active() const { return active_; }
  std::uint32_t invite_cseq() const { return invite_cseq_; }
  std::size_t sends() const { return sends_; }  // sent by this object, first included

 private:
  void arm_retransmit();
  void send();

  Timers& timers_;
  Transport& transport_;
  Route route_;
  std::shared_ptr<const std::string> response_;
  std::uint32_t invite_cseq_;
  DialogTimings timings_;
  std::function<void()> on_ack_timeout_;
  Millis interval_{0};
  Timers::Id retransmit_timer_ = 0;
  Timers::Id timeout_timer_ = 0;
  bool active_ = false;
  std::size_t sends_ = 0;
};

}  // namespace callwire::sip
