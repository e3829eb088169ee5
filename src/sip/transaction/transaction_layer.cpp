// Dispatch and matching: which transaction a message belongs to (§17.1.3,
// §17.2.3), what the layer answers itself (CANCEL §9.2, merged requests
// §8.2.2.2), and the lifetime of transactions.
#include "sip/transaction/transaction_layer.hpp"

#include <spdlog/spdlog.h>

#include "core/log.hpp"
#include "core/random.hpp"
#include "sip/message/builder.hpp"
#include "sip/transaction/client_requests.hpp"
#include "sip/transaction/transaction.hpp"
#include "sip/transaction/tx_keys.hpp"

namespace callwire::sip {

namespace {
std::unexpected<Error> invalid(std::string detail) {
  return fail(std::make_error_code(std::errc::invalid_argument), std::move(detail));
}
// An ACK belongs to the INVITE transaction (§17.2.3).
std::string_view key_method(const Message& request) {
  return request.method() == Method::Ack ? std::string_view("INVITE") : request.method_token();
}
}  // namespace

TransactionLayer::TransactionLayer(Transport& transport, Timers& timers, TransactionUser& tu,
                                   RouteFor route_for, TimerConfig config, ViaFor response_via)
    : transport_(transport),
      timers_(timers),
      tu_(tu),
      route_for_(std::move(route_for)),
      config_(config),
      response_via_(std::move(response_via)),
      log_(log::get("tx")) {}

TransactionLayer::~TransactionLayer() {
  for (auto& [id, tx] : txs_) {
    for (int s = 0; s < Transaction::SlotCount; ++s) tx->stop_timer(static_cast<Transaction::Slot>(s));
  }
}

Transaction* TransactionLayer::find(TxId id) const {
  auto it = txs_.find(id);
  return it == txs_.end() ? nullptr : it->second.get();
}

std::optional<TxState> TransactionLayer::state(TxId id) const {
  if (Transaction* tx = find(id)) return tx->state;
  return std::nullopt;
}

void TransactionLayer::defer_free(Transaction& tx) {
  auto unlink = [&](std::unordered_map<std::string, TxId>& index, const std::string& key) {
    if (key.empty()) return;
    auto it = index.find(key);
    if (it != index.end() && it->second == tx.id) index.erase(it);
  };
  unlink(tx.is_server() ? server_index_ : client_index_, tx.index_key);
  unlink(merge_index_, tx.merge_key);
  doomed_.push_back(tx.id);
}

void TransactionLayer::sweep() {
  // Freeing runs the callbacks' destructors, which may start a dispatch of
  // their own; take the list first.
  while (!doomed_.empty()) {
    std::vector<TxId> batch;
    batch.swap(doomed_);
    for (TxId id : batch) txs_.erase(id);
  }
}

void TransactionLayer::detach(TxId id) {
  if (Transaction* tx = find(id)) tx->detached = true;
}

// --- inbound ---------------------------------------------------------------

void TransactionLayer::receive(Message message, const Source& src) {
  DispatchGuard guard(*this);
  if (message.is_response()) {
    receive_response(std::move(message), src);
  } else if (message.method() == Method::Ack) {
    receive_ack(std::move(message), src);
  } else if (message.method() == Method::Cancel) {
    receive_cancel(std::move(message), src);
  } else {
    receive_request(std::move(message), src);
  }
}

Transaction& TransactionLayer::create_server(const Message& request, const Source& src,
                                             bool layer_owned) {
  bool invite = request.method() == Method::Invite;
  auto owned = std::make_unique<Transaction>(
      *this, next_id(), invite ? Transaction::Kind::InviteServer : Transaction::Kind::NonInviteServer,
      invite ? TxState::Proceeding : TxState::Trying);
  Transaction& tx = *owned;
  tx.reliable = src.protocol != Protocol::Udp;
  tx.layer_owned = layer_owned;
  tx.route = route_for_(src, request.top_via());
  tx.call_id = request.call_id();
  tx.branch = request.top_via().branch();
  tx.index_key = server_key(request, key_method(request));
  server_index_[tx.index_key] = tx.id;
  if (request.to_tag().empty()) {
    tx.merge_key = merge_key(request);
    merge_index_.emplace(tx.merge_key, tx.id);  // the first one keeps the key
  }
  txs_.emplace(tx.id, std::move(owned));
  ++counters_.server_created;
  log_->debug("[cid={}] {} server tx {} branch={}", tx.call_id, request.method_token(), tx.id,
              tx.branch);
  return tx;
}

std::string TransactionLayer::local_response(const Message& request, const Source& src, int status,
                                            std::string_view to_tag) const {
  if (!response_via_) return Builder::response_to(request, status, {}, to_tag).build();
  return Builder::response_to(request, status, {}, to_tag, response_via_(request.top_via(), src))
      .build();
}

void TransactionLayer::answer_locally(const Message& request, const Source& src, int status,
                                      std::string_view to_tag) {
  Transaction& tx = create_server(request, src, true);
  std::string tag(to_tag);
  if (tag.empty() && request.to_tag().empty()) tag = new_tag();
  auto bytes = std::make_shared<const std::string>(local_response(request, src, status, tag));
  // A fresh transaction in Trying/Proceeding always takes its final response.
  (void)tx.respond(std::move(bytes), status, tag);
}

void TransactionLayer::receive_request(Message request, const Source& src) {
  if (auto it = server_index_.find(server_key(request, request.method_token()));
      it != server_index_.end()) {
    find(it->second)->on_request_retransmission();
    return;
  }
  if (request.to_tag().empty() && merge_index_.contains(merge_key(request))) {
    // Same request, second path (a fork that came back): §8.2.2.2.
    ++counters_.merged_requests;
    log_->debug("[cid={}] {} branch={} merged request: 482", request.call_id(),
                request.method_token(), request.top_via().branch());
    answer_locally(request, src, 482);
    return;
  }
  Transaction& tx = create_server(request, src, false);
  if (!tx.is_invite()) {
    tu_.on_request(tx.id, std::move(request), src);
    return;
  }
  // §17.2.1: a 100 quenches INVITE retransmissions, needed only when the TU
  // has not answered by the time it returns (a 407, a 180 sent at once make
  // it redundant). Sent then at once, not after 200 ms. The TU may end the
  // transaction, so it is looked up again by id.
  const TxId id = tx.id;
  auto trying = std::make_shared<const std::string>(local_response(request, src, 100, {}));
  tu_.on_request(id, std::move(request), src);
  if (Transaction* still = find(id); still && !still->last_response &&
                                     (still->state == TxState::Proceeding || still->state == TxState::Trying)) {
    still->last_response = std::move(trying);
    still->send(still->last_response);
  }
}

void TransactionLayer::receive_ack(Message ack, const Source& src) {
  if (auto it = server_index_.find(server_key(ack, "INVITE")); it != server_index_.end()) {
    Transaction* tx = find(it->second);
    // RFC 6026 §7.1: in Accepted the ACK (for the 2xx) goes to the TU.
    if (tx->state != TxState::Accepted) {
      tx->on_ack();
      return;
    }
  }
  ++counters_.acks_for_2xx;
  tu_.on_ack_for_2xx(std::move(ack), src);
}

void TransactionLayer::receive_cancel(Message cancel, const Source& src) {
  if (auto it = server_index_.find(server_key(cancel, cancel.method_token()));
      it != server_index_.end()) {
    find(it->second)->on_request_retransmission();
    return;
  }
  Transaction* invite = nullptr;
  if (auto it = server_index_.find(server_key(cancel, "INVITE")); it != server_index_.end()) {
    invite = find(it->second);
  }
  if (!invite || invite->kind != Transaction::Kind::InviteServer) {
    ++counters_.cancels_unmatched;
    log_->debug("[cid={}] CANCEL branch={} matches no INVITE: 481", cancel.call_id(),
                cancel.top_via().branch());
    answer_locally(cancel, src, 481);
    return;
  }
  // §9.2: the CANCEL is answered 200 in any state; only a Proceeding INVITE
  // is affected, by the TU.
  answer_locally(cancel, src, 200, invite->to_tag);
  if (invite->state == TxState::Proceeding && !invite->layer_owned) {
    log_->debug("[cid={}] CANCEL for server tx {} branch={}", invite->call_id, invite->id,
                invite->branch);
    tu_.on_cancel(invite->id, cancel);
  }
}

void TransactionLayer::receive_response(Message response, const Source& src) {
  Transaction* tx = nullptr;
  std::string_view branch = response.top_via().branch();
  if (!branch.empty()) {
    auto it = client_index_.find(client_key(branch, response.cseq().method_token));
    if (it != client_index_.end()) tx = find(it->second);
  }
  if (!tx || tx->held) {
    ++counters_.stray_responses;
    log_->debug("[cid={}] {} response branch={} matches no client tx", response.call_id(),
                response.status(), branch);
    tu_.on_stray_response(std::move(response), src);
    return;
  }
  tx->on_response(std::move(response));
}

// --- server API ------------------------------------------------------------

Status TransactionLayer::respond(TxId id, std::string response) {
  auto parsed = Message::parse(response);
  if (!parsed) return std::unexpected(parsed.error());
  if (!parsed->is_response()) return invalid("respond() takes a response");
  const std::string to_tag(parsed->to_tag());
  return respond(id, std::move(response), parsed->status(), to_tag);
}

Status TransactionLayer::respond(TxId id, std::string response, int status, std::string_view to_tag) {
  DispatchGuard guard(*this);
  Transaction* tx = find(id);
  if (!tx || !tx->is_server() || tx->layer_owned || tx->terminated()) {
    return invalid("no live server transaction " + std::to_string(id));
  }
  return tx->respond(std::make_shared<const std::string>(std::move(response)), status, to_tag);
}

// --- client API ------------------------------------------------------------

Result<TxId> TransactionLayer::start_client(Message request, std::string bytes, const Route& route,
                                            ClientCallbacks callbacks, bool held) {
  if (!request.is_request()) return invalid("send_request() takes a request");
  if (request.method() == Method::Ack) {
    return invalid("ACK is not a transaction: send the ACK for a 2xx through the Transport");
  }
  std::string_view branch = request.top_via().branch();
  if (!has_magic_cookie(branch)) return invalid("the top Via needs a z9hG4bK branch");
  std::string key = client_key(branch, request.cseq().method_token);
  if (client_index_.contains(key)) return invalid("branch already in use: " + std::string(branch));

  bool invite = request.method() == Method::Invite;
  auto owned = std::make_unique<Transaction>(
      *this, next_id(), invite ? Transaction::Kind::InviteClient : Transaction::Kind::NonInviteClient,
      invite ? TxState::Calling : TxState::Trying);
  Transaction& tx = *owned;
  tx.reliable = route.protocol != Protocol::Udp;
  tx.route = route;
  tx.call_id = request.call_id();
  tx.branch = branch;
  tx.index_key = std::move(key);
  tx.callbacks = std::move(callbacks);
  tx.request_bytes = std::make_shared<const std::string>(std::move(bytes));
  tx.request.emplace(std::move(request));
  client_index_[tx.index_key] = tx.id;
  txs_.emplace(tx.id, std::move(owned));
  ++counters_.client_created;
  log_->debug("[cid={}] {} client tx {} branch={}{}", tx.call_id, tx.request->method_token(), tx.id,
              tx.branch, held ? " (held until a provisional)" : "");
  if (held) {
    tx.held = true;
  } else {
    tx.start_client();
  }
  return tx.id;
}

Result<TxId> TransactionLayer::send_request(std::string request, const Route& route,
                                            ClientCallbacks callbacks) {
  DispatchGuard guard(*this);
  auto parsed = Message::parse(request);
  if (!parsed) return std::unexpected(parsed.error());
  return start_client(std::move(*parsed), std::move(request), route, std::move(callbacks), false);
}

Result<TxId> TransactionLayer::cancel(TxId invite_id, ClientCallbacks callbacks) {
  DispatchGuard guard(*this);
  Transaction* invite = find(invite_id);
  if (!invite || invite->kind != Transaction::Kind::InviteClient ||
      (invite->state != TxState::Calling && invite->state != TxState::Proceeding)) {
    return invalid("no INVITE client transaction " + std::to_string(invite_id) +
                   " waiting for a final response");
  }
  if (invite->cancel_tx != 0) return invalid("INVITE already cancelled");
  auto bytes = build_cancel(*invite->request);
  if (!bytes) return std::unexpected(bytes.error());
  auto parsed = Message::parse(*bytes);
  if (!parsed) return std::unexpected(parsed.error());
  // §9.1: no CANCEL before a provisional response.
  bool held = invite->state == TxState::Calling;
  auto id = start_client(std::move(*parsed), std::move(*bytes), invite->route, std::move(callbacks),
                         held);
  if (id) {
    invite->cancel_tx = *id;
    find(*id)->invite_tx = invite_id;
  }
  return id;
}

}  // namespace callwire::sip
