// Client transactions: INVITE (§17.1.1 with RFC 6026 Accepted) and
// non-INVITE (§17.1.2).
#include <algorithm>

#include <spdlog/spdlog.h>

#include "sip/transaction/client_requests.hpp"
#include "sip/transaction/transaction.hpp"

namespace callwire::sip {

void Transaction::start_client() {
  held = false;
  const TimerConfig& cfg = layer.config_;
  send(request_bytes);
  if (!reliable) {
    retransmit_interval = cfg.t1;
    start_timer(Retransmit, retransmit_interval,
                kind == Kind::InviteClient ? &Transaction::timer_a : &Transaction::timer_e);
  }
  start_timer(Timeout, cfg.timeout(),
              kind == Kind::InviteClient ? &Transaction::timer_b : &Transaction::timer_f);
}

void Transaction::deliver(Message response) {
  if (response.status() >= 200) final_seen = true;
  if (!detached && callbacks.on_response) callbacks.on_response(std::move(response));
}

void Transaction::on_response(Message response) {
  const int status = response.status();
  const TimerConfig& cfg = layer.config_;

  if (kind == Kind::NonInviteClient) {
    if (state == TxState::Completed) {
      ++layer.counters_.retransmissions_absorbed;
      return;
    }
    if (status < 200) {
      // Timer E keeps running; from now on it fires every T2 (timer_e).
      if (state == TxState::Trying) set_state(TxState::Proceeding);
      deliver(std::move(response));
      return;
    }
    stop_timer(Retransmit);
    stop_timer(Timeout);
    set_state(TxState::Completed);
    deliver(std::move(response));
    if (reliable) {
      terminate();  // timer K is 0 on reliable transports
    } else {
      start_timer(End, cfg.t4, &Transaction::timer_end);  // timer K
    }
    return;
  }

  // INVITE client.
  switch (state) {
    case TxState::Calling:
    case TxState::Proceeding:
      break;
    case TxState::Completed:
      if (status >= 300) {
        ++layer.counters_.retransmissions_absorbed;
        resend(ack);  // the ACK was lost: the final came again
      }
      return;
    case TxState::Accepted:
      // RFC 6026 §7.2: retransmitted 2xx (and 2xx from other forks) go to
      // the TU, which acknowledges each.
      if (status >= 200 && status < 300) deliver(std::move(response));
      return;
    default:
      return;
  }

  stop_timer(Retransmit);
  stop_timer(Timeout);  // timer B only runs in Calling (§17.1.1.2)
  if (status < 200) {
    if (state == TxState::Calling) set_state(TxState::Proceeding);
    if (cancel_tx != 0) {
      // A CANCEL was waiting for this first provisional (§9.1).
      if (Transaction* c = layer.find(cancel_tx); c && c->held) c->start_client();
    }
    deliver(std::move(response));
    return;
  }
  if (status < 300) {
    set_state(TxState::Accepted);
    start_timer(End, cfg.timeout(), &Transaction::timer_end);  // timer M
    if (Transaction* c = layer.find(cancel_tx); c && c->held) c->terminate();
    deliver(std::move(response));
    return;
  }
  // 300-699: ACK it ourselves (§17.1.1.3).
  if (auto built = build_ack_for_non2xx(*request, response)) {
    ack = std::make_shared<const std::string>(std::move(*built));
    send(ack);
  } else {
    layer.log_->warn("[cid={}] ict {} branch={} cannot build ACK: {}", call_id, id, branch,
                     built.error().what());
  }
  set_state(TxState::Completed);
  if (Transaction* c = layer.find(cancel_tx); c && c->held) c->terminate();
  deliver(std::move(response));
  if (reliable) {
    terminate();  // timer D is 0 on reliable transports
  } else {
    start_timer(End, cfg.d, &Transaction::timer_end);  // timer D
  }
}

void Transaction::timer_a() {
  resend(request_bytes);
  retransmit_interval *= 2;  // no cap: A doubles until B fires
  start_timer(Retransmit, retransmit_interval, &Transaction::timer_a);
}

void Transaction::timer_e() {
  resend(request_bytes);
  const TimerConfig& cfg = layer.config_;
  retransmit_interval =
      state == TxState::Proceeding ? cfg.t2 : std::min(retransmit_interval * 2, cfg.t2);
  start_timer(Retransmit, retransmit_interval, &Transaction::timer_e);
}

void Transaction::timer_b() {
  ++layer.counters_.timeouts;
  bool report = !detached && callbacks.on_timeout;
  terminate();
  if (report) callbacks.on_timeout();
}

void Transaction::timer_f() { timer_b(); }

}  // namespace callwire::sip
