#pragma once
// The RFC 3261 §17 transaction layer (with RFC 6026 Accepted states): one
// instance per worker thread, single-threaded, no locks. It matches inbound
// messages to transactions, absorbs retransmissions, retransmits on timers
// A/E/G over UDP, times out with B/F/H, and hands new requests, ACKs for 2xx
// and stray responses to the TransactionUser.
//
// Client requests carry their own top Via with a fresh branch: build it with
// make_via(..., new_branch()) (client_requests.hpp); send_request() reads
// the branch back from the bytes and refuses a request without the RFC 3261
// magic cookie.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "core/timers.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/timer_config.hpp"
#include "sip/transaction/transaction_user.hpp"
#include "sip/transport/transport.hpp"

namespace spdlog {
class logger;
}

namespace callwire::sip {

class Transaction;  // internal, see transaction.hpp

// Monotonic counters for tests and metrics.
struct TxCounters {
  std::uint64_t server_created = 0;
  std::uint64_t client_created = 0;
  std::uint64_t retransmissions_sent = 0;      // requests/responses/ACKs sent again
  std::uint64_t retransmissions_absorbed = 0;  // inbound duplicates swallowed
  std::uint64_t timeouts = 0;                  // timers B, F, H
  std::uint64_t transport_errors = 0;
  std::uint64_t merged_requests = 0;           // answered 482 (§8.2.2.2)
  std::uint64_t cancels_unmatched = 0;         // answered 481
  std::uint64_t stray_responses = 0;
  std::uint64_t acks_for_2xx = 0;
};

class TransactionLayer {
 public:
  // Where the responses to a request from `src` with top Via `via` go
  // (RFC 3261 §18.2.2 / RFC 3581); the stack passes sip::response_route.
  using RouteFor = std::function<Route(const Source& src, const Via& via)>;
  // The top via-parm of the responses the layer writes itself (100 Trying,
  // 481, 482, 200 to CANCEL): received/rport filled in (RFC 3581); the stack
  // passes sip::received_via. Empty: the request's top Via is copied as is.
  using ViaFor = std::function<std::string(const Via& top, const Source& src)>;

  TransactionLayer(Transport& transport, Timers& timers, TransactionUser& tu, RouteFor route_for,
                   TimerConfig config = {}, ViaFor response_via = {});
  ~TransactionLayer();  // cancels every timer; pending callbacks then find nothing
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;

  // Every message the transports read on this worker, after admission and
  // the sanity gate (requests need a top Via, From, To, Call-ID and CSeq).
  void receive(Message message, const Source& src);

  // --- server side ---------------------------------------------------------
  // Sends `response` (a full message, e.g. Builder::response_to(request,
  // ...).build()) on server transaction `tx` and moves its state machine.
  // Fails when `tx` is unknown/ended, the bytes are not a response, or the
  // state takes no more responses (e.g. a second final response).
  [[nodiscard]] Status respond(TxId tx, std::string response);
  // The same for a response the caller built itself, so it knows the status
  // and the To tag the response carries: no need to parse it back.
  [[nodiscard]] Status respond(TxId tx, std::string response, int status, std::string_view to_tag);

  // --- client side ---------------------------------------------------------
  // Starts a client transaction for `request` (not ACK: the ACK for a 2xx is
  // sent by the dialog straight through the Transport). The top Via must
  // carry a z9hG4bK branch not used by another live client transaction.
  [[nodiscard]] Result<TxId> send_request(std::string request, const Route& route,
                                          ClientCallbacks callbacks);
  // Cancels INVITE client transaction `invite_tx` (§9.1): builds the CANCEL
  // and starts a client transaction for it on the INVITE's route. If no
  // provisional response has arrived yet, the CANCEL waits for one; if the
  // INVITE then ends with a final response or timer B, the CANCEL is dropped
  // without calling its callbacks. Fails if `invite_tx` is not a live INVITE
  // client transaction or already has a final response.
  [[nodiscard]] Result<TxId> cancel(TxId invite_tx, ClientCallbacks callbacks);
  // Stops reporting to the callbacks of client transaction `tx` (e.g. its
  // call ended); the transaction still runs its course on the wire.
  void detach(TxId tx);

  // --- introspection -------------------------------------------------------
  // The state of a live transaction; nullopt once it has been freed.
  std::optional<TxState> state(TxId tx) const;
  std::size_t size() const { return txs_.size(); }  // live transactions, both sides
  const TxCounters& counters() const { return counters_; }
  const TimerConfig& config() const { return config_; }

 private:
  friend class Transaction;
  struct DispatchGuard;

  Transaction* find(TxId id) const;
  TxId next_id() { return next_id_++; }
  void defer_free(Transaction& tx);  // unlinks now, frees after the dispatch
  void sweep();

  void receive_request(Message request, const Source& src);
  void receive_response(Message response, const Source& src);
  void receive_ack(Message ack, const Source& src);
  void receive_cancel(Message cancel, const Source& src);
  // A server transaction answered by the layer itself (481, 482, 200 to CANCEL).
  void answer_locally(const Message& request, const Source& src, int status,
                      std::string_view to_tag = {});
  Transaction& create_server(const Message& request, const Source& src, bool layer_owned);
  std::string local_response(const Message& request, const Source& src, int status,
                             std::string_view to_tag) const;
  // A client transaction for `request`; `held` ones wait to be started (CANCEL, §9.1).
  Result<TxId> start_client(Message request, std::string bytes, const Route& route,
                            ClientCallbacks callbacks, bool held);

  Transport& transport_;
  Timers& timers_;
  TransactionUser& tu_;
  RouteFor route_for_;
  TimerConfig config_;
  ViaFor response_via_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // weak-captured by send callbacks

  TxId next_id_ = 1;
  int depth_ = 0;  // nesting of dispatches; frees happen when it returns to 0
  std::unordered_map<TxId, std::unique_ptr<Transaction>> txs_;
  std::unordered_map<std::string, TxId> server_index_;  // §17.2.3 key -> tx
  std::unordered_map<std::string, TxId> merge_index_;   // From tag, Call-ID, CSeq -> tx
  std::unordered_map<std::string, TxId> client_index_;  // branch + CSeq method -> tx
  std::vector<TxId> doomed_;
  TxCounters counters_;
};

}  // namespace callwire::sip
