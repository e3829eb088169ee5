// Server transactions: INVITE (§17.2.1 with RFC 6026 Accepted) and
// non-INVITE (§17.2.2).
#include <algorithm>

#include "sip/transaction/transaction.hpp"

namespace callwire::sip {

Status Transaction::respond(std::shared_ptr<const std::string> bytes, int status,
                            std::string_view tag) {
  auto refuse = [&] {
    return fail(std::make_error_code(std::errc::operation_not_permitted),
                "transaction " + std::to_string(id) + " takes no " + std::to_string(status) +
                    " in state " + std::string(tx_state_name(state)));
  };
  const TimerConfig& cfg = layer.config_;
  if (kind == Kind::InviteServer) {
    if (state == TxState::Accepted) {
      // RFC 6026 §7.1: the TU retransmits its 2xx through the transaction.
      if (status < 200 || status >= 300) return refuse();
      send(std::move(bytes));
      return {};
    }
    if (state != TxState::Proceeding) return refuse();
    if (!tag.empty()) to_tag = tag;
    last_response = bytes;
    send(std::move(bytes));
    if (status < 200) return {};
    if (status < 300) {
      set_state(TxState::Accepted);
      start_timer(End, cfg.timeout(), &Transaction::timer_end);  // timer L
      return {};
    }
    set_state(TxState::Completed);
    if (!reliable) {
      retransmit_interval = cfg.t1;
      start_timer(Retransmit, retransmit_interval, &Transaction::timer_g);
    }
    start_timer(Timeout, cfg.timeout(), &Transaction::timer_h);
    return {};
  }

  if (state != TxState::Trying && state != TxState::Proceeding) return refuse();
  if (!tag.empty()) to_tag = tag;
  last_response = bytes;
  send(std::move(bytes));
  if (status < 200) {
    if (state == TxState::Trying) set_state(TxState::Proceeding);
    return {};
  }
  set_state(TxState::Completed);
  if (reliable) {
    terminate();  // timer J is 0 on reliable transports
  } else {
    start_timer(End, cfg.timeout(), &Transaction::timer_end);  // timer J
  }
  return {};
}

void Transaction::on_request_retransmission() {
  ++layer.counters_.retransmissions_absorbed;
  switch (state) {
    case TxState::Proceeding:  // the last provisional (INVITE: at least the 100)
    case TxState::Completed:   // the final response
      resend(last_response);
      break;
    default:  // Trying: nothing sent yet; Confirmed/Accepted: nothing to repeat
      break;
  }
}

void Transaction::on_ack() {
  if (state == TxState::Completed) {
    stop_timer(Retransmit);
    stop_timer(Timeout);
    set_state(TxState::Confirmed);
    if (reliable) {
      terminate();  // timer I is 0 on reliable transports
    } else {
      start_timer(End, layer.config_.t4, &Transaction::timer_end);  // timer I
    }
    return;
  }
  // Confirmed: a retransmitted ACK. Proceeding: an ACK before any final
  // response is meaningless; drop it.
  ++layer.counters_.retransmissions_absorbed;
}

void Transaction::timer_g() {
  resend(last_response);
  retransmit_interval = std::min(retransmit_interval * 2, layer.config_.t2);
  start_timer(Retransmit, retransmit_interval, &Transaction::timer_g);
}

void Transaction::timer_h() {
  ++layer.counters_.timeouts;
  terminate(TxEnd::NoAck);
}

}  // namespace callwire::sip
