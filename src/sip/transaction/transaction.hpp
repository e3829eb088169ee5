#pragma once
// One transaction of any of the four RFC 3261 §17 kinds (internal to the
// layer). The TransactionLayer owns it by id; timer and send callbacks
// capture the id and look it up again, so a late callback finds nothing.
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "core/timers.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace callwire::sip {

// Frees terminated transactions when the outermost dispatch (receive, a
// timer, respond, ...) returns, never inside a transaction's own callback.
struct TransactionLayer::DispatchGuard {
  TransactionLayer& layer;
  explicit DispatchGuard(TransactionLayer& l) : layer(l) { ++layer.depth_; }
  ~DispatchGuard() {
    if (--layer.depth_ == 0) layer.sweep();
  }
  DispatchGuard(const DispatchGuard&) = delete;
  DispatchGuard& operator=(const DispatchGuard&) = delete;
};

class Transaction {
 public:
  enum class Kind : std::uint8_t { InviteServer, NonInviteServer, InviteClient, NonInviteClient };
  using Handler = void (Transaction::*)();

  Transaction(TransactionLayer& layer, TxId id, Kind kind, TxState state);

  bool is_server() const { return kind == Kind::InviteServer || kind == Kind::NonInviteServer; }
  bool is_invite() const { return kind == Kind::InviteServer || kind == Kind::InviteClient; }
  bool terminated() const { return state == TxState::Terminated; }

  // Common (transaction.cpp).
  void send(std::shared_ptr<const std::string> bytes);
  void resend(const std::shared_ptr<const std::string>& bytes);  // counted as a retransmission
  // Timers: retransmit (A, E, G), timeout (B, F, H), end (D, I, J, K, L, M),
  // and a zero-delay one that reports a send failure on a fresh dispatch.
  enum Slot : std::uint8_t { Retransmit, Timeout, End, SendError, SlotCount };
  void start_timer(Slot slot, Millis delay, Handler handler);
  void stop_timer(Slot slot);
  bool timer_running(Slot slot) const { return timers[slot] != 0; }
  void set_state(TxState next);
  void terminate(TxEnd why = TxEnd::Normal);
  void on_send_failed(std::error_code ec);
  void fire_transport_error();

  // Server side (server_transaction.cpp).
  [[nodiscard]] Status respond(std::shared_ptr<const std::string> bytes, int status,
                               std::string_view to_tag);
  void on_request_retransmission();
  void on_ack();
  void timer_g();
  void timer_h();
  void timer_end();  // I, J, L, D, K, M: the transaction is over

  // Client side (client_transaction.cpp).
  void start_client();
  void on_response(Message response);
  void timer_a();
  void timer_b();
  void timer_e();
  void timer_f();
  void deliver(Message response);

  TransactionLayer& layer;
  const TxId id;
  const Kind kind;
  TxState state;
  bool reliable = false;
  bool layer_owned = false;  // server: answered by the layer, the TU never hears of it
  bool detached = false;     // client: callbacks are no longer called
  bool final_seen = false;   // client: a final response reached the TU
  bool held = false;         // client CANCEL waiting for a provisional to its INVITE
  Route route;
  std::string call_id;  // for log lines
  std::string branch;
  std::string index_key;  // server_index_ or client_index_ key
  std::string merge_key;  // merge_index_ key, server requests without To tag

  // Server.
  std::shared_ptr<const std::string> last_response;
  std::string to_tag;  // of the last response sent (for the 200 to a CANCEL)

  // Client.
  std::optional<Message> request;  // parsed copy of the request, for ACK and CANCEL
  std::shared_ptr<const std::string> request_bytes;
  std::shared_ptr<const std::string> ack;  // INVITE: ACK for the non-2xx final
  ClientCallbacks callbacks;
  TxId cancel_tx = 0;   // INVITE: the CANCEL started by TransactionLayer::cancel
  TxId invite_tx = 0;   // CANCEL: the INVITE it cancels

  Timers::Id timers[SlotCount] = {};
  Millis retransmit_interval{0};
  std::error_code send_error;
};

}  // namespace callwire::sip
