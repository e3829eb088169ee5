#include "sip/transaction/transaction.hpp"

#include <spdlog/spdlog.h>

namespace callwire::sip {

std::string_view tx_state_name(TxState s) {
  switch (s) {
    case TxState::Calling: return "Calling";
    case TxState::Trying: return "Trying";
    case TxState::Proceeding: return "Proceeding";
    case TxState::Completed: return "Completed";
    case TxState::Confirmed: return "Confirmed";
    case TxState::Accepted: return "Accepted";
    case TxState::Terminated: return "Terminated";
  }
  return "?";
}

namespace {
std::string_view kind_name(Transaction::Kind k) {
  switch (k) {
    case Transaction::Kind::InviteServer: return "ist";
    case Transaction::Kind::NonInviteServer: return "nist";
    case Transaction::Kind::InviteClient: return "ict";
    case Transaction::Kind::NonInviteClient: return "nict";
  }
  return "?";
}
}  // namespace

Transaction::Transaction(TransactionLayer& l, TxId i, Kind k, TxState s)
    : layer(l), id(i), kind(k), state(s) {}

void Transaction::send(std::shared_ptr<const std::string> bytes) {
  // The callback may run inline or much later, after this transaction (or
  // the whole layer) is gone: it holds only the id and a liveness token.
  std::weak_ptr<int> alive = layer.alive_;
  TransactionLayer* l = &layer;
  TxId tx_id = id;
  layer.transport_.send(route, std::move(bytes), [alive, l, tx_id](std::error_code ec) {
    if (!ec || alive.expired()) return;
    if (Transaction* tx = l->find(tx_id)) tx->on_send_failed(ec);
  });
}

void Transaction::resend(const std::shared_ptr<const std::string>& bytes) {
  if (!bytes) return;
  ++layer.counters_.retransmissions_sent;
  layer.log_->trace("[cid={}] {} {} branch={} retransmit", call_id, kind_name(kind), id, branch);
  send(bytes);
}

void Transaction::start_timer(Slot slot, Millis delay, Handler handler) {
  stop_timer(slot);
  TransactionLayer* l = &layer;
  TxId tx_id = id;
  timers[slot] = layer.timers_.start(delay, [l, tx_id, slot, handler] {
    Transaction* tx = l->find(tx_id);
    if (!tx || tx->terminated()) return;
    tx->timers[slot] = 0;
    TransactionLayer::DispatchGuard guard(*l);
    (tx->*handler)();
  });
}

void Transaction::stop_timer(Slot slot) {
  if (timers[slot] != 0) layer.timers_.cancel(timers[slot]);
  timers[slot] = 0;
}

void Transaction::set_state(TxState next) {
  layer.log_->debug("[cid={}] {} {} branch={} {} -> {}", call_id, kind_name(kind), id, branch,
                    tx_state_name(state), tx_state_name(next));
  state = next;
}

void Transaction::terminate(TxEnd why) {
  if (terminated()) return;
  for (int s = 0; s < SlotCount; ++s) stop_timer(static_cast<Slot>(s));
  set_state(TxState::Terminated);
  layer.defer_free(*this);
  if (kind == Kind::InviteClient && cancel_tx != 0) {
    // A CANCEL still waiting for a provisional must never go out now (§9.1).
    if (Transaction* c = layer.find(cancel_tx); c && c->held) c->terminate();
  }
  if (is_server() && !layer_owned) layer.tu_.on_server_terminated(id, why);
}

void Transaction::on_send_failed(std::error_code ec) {
  if (terminated() || timer_running(SendError)) return;
  // Report on a fresh dispatch: the failure may be reported from inside the
  // send() call that is still running a state transition.
  send_error = ec;
  start_timer(SendError, Millis{0}, &Transaction::fire_transport_error);
}

void Transaction::fire_transport_error() {
  ++layer.counters_.transport_errors;
  layer.log_->debug("[cid={}] {} {} branch={} transport error: {}", call_id, kind_name(kind), id,
                    branch, send_error.message());
  if (is_server()) {
    terminate(TxEnd::TransportError);
    return;
  }
  // After the final response reached the TU a failed ACK only ends the
  // transaction; the TU already has its answer.
  bool report = !final_seen && !detached && callbacks.on_transport_error;
  terminate(TxEnd::TransportError);
  if (report) callbacks.on_transport_error(send_error);
}

void Transaction::timer_end() { terminate(TxEnd::Normal); }

}  // namespace callwire::sip
