#pragma once
// The SIP stack of one worker: where a received message goes after the
// transports. Order per request (see docs/architecture.md):
//   admission hook → RFC 3581 Via fix-up → sanity gate → transactions →
//   dialogs (in-dialog requests) or the SessionHandler / built-in answers
//   (OPTIONS 200, 405 for methods callwire does not serve).
// Single-threaded: everything runs on the worker that owns the Call-ID.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/result.hpp"
#include "core/timers.hpp"
#include "sip/dialog/dialog_layer.hpp"
#include "sip/message/message.hpp"
#include "sip/stack/admission.hpp"
#include "sip/stack/name_resolver.hpp"
#include "sip/stack/outgoing_invite.hpp"
#include "sip/stack/session_handler.hpp"
#include "sip/transaction/transaction_layer.hpp"
#include "sip/transport/transport.hpp"

namespace spdlog {
class logger;
}

namespace callwire::sip {

struct StackConfig {
  TimerConfig timers;
  std::string server = "callwire";  // Server header of our responses, User-Agent of requests
};

// Counters for tests and metrics (per worker; summed by the caller).
struct StackCounters {
  std::uint64_t requests = 0;
  std::uint64_t responses = 0;
  std::uint64_t parse_errors = 0;
  std::uint64_t admission_drops = 0;
  std::uint64_t admission_rejects = 0;
  std::uint64_t admission_deferred = 0;
  std::uint64_t refused = 0;   // sanity gate answers (400, 416, 420, ...)
  std::uint64_t options_answered = 0;
  std::uint64_t method_not_allowed = 0;
  std::uint64_t invites = 0;
};

enum class StackErrc {
  UnknownInvite = 1,  // respond() to an INVITE that is answered or gone
  UnknownDialog,
  BadStatus,
  NoRoute,            // the dialog's target is not reachable (e.g. needs DNS)
  UnknownOutgoing,    // cancel() of an outgoing INVITE that is answered, failed or unknown
  BadOutgoing,        // invite() with an unusable OutgoingInvite (URI, missing field, reserved header)
  InvitePending,      // request_in_dialog() INVITE while another INVITE of the dialog is unanswered
};
const std::error_category& stack_category();
inline std::error_code make_error_code(StackErrc e) { return {static_cast<int>(e), stack_category()}; }

class Stack final : private TransactionUser, private DialogHandler {
 public:
  // All references must outlive the stack.
  Stack(StackConfig config, Transport& transport, Timers& timers, AdmissionHook& admission,
        SessionHandler& sessions);
  ~Stack() override;
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // From the transports (through the Dispatcher), on this stack's worker.
  void receive(Message message, const Source& src);
  void receive_invalid(std::string_view bytes, const Error& error, const Source& src);

  // Answers INVITE `id`. 101-199 create an early dialog (To tag, Contact,
  // Record-Route); 2xx confirm it and are retransmitted until the ACK;
  // 300-699 end the INVITE. `parts` adds headers and a body.
  [[nodiscard]] Status respond(InviteId id, int status, std::string_view reason = {},
                               const MessageParts& parts = {});
  // Answers a request the SessionHandler took in on_dialog_request. A 2xx
  // to a re-INVITE is retransmitted by the dialog until its ACK (which
  // reaches SessionHandler::on_dialog_ack), as for the dialog's INVITE.
  // `reason` becomes a Reason header on a final failure (>= 300).
  [[nodiscard]] Status respond_in_dialog(TxId tx, const Message& request, int status,
                                         std::string_view reason = {}, const MessageParts& parts = {});
  // Ends an established dialog with BYE.
  [[nodiscard]] Status hangup(const DialogId& id);

  // The final answer to a request we sent in a dialog: status and response;
  // 408 + nullptr on timeout, 503 + nullptr on a transport error.
  using InDialogDone = std::function<void(int status, const Message* response)>;
  // Sends `method` (re-INVITE, UPDATE, INFO, OPTIONS, ...; BYE is hangup())
  // in a confirmed dialog of either role, along its route set to its remote
  // target (§12.2.1.1), with `parts` (e.g. the SDP offer). A 2xx to a
  // re-INVITE is ACKed here (without body) and re-ACKed when retransmitted;
  // a 481 or a timeout ends the dialog (§12.2.1.2). `done` runs once, later,
  // on this worker. InvitePending for an INVITE overlapping another (§14.1).
  [[nodiscard]] Status request_in_dialog(const DialogId& id, std::string_view method, const MessageParts& parts,
                                         InDialogDone done);

  // --- calls we place (UAC, outgoing_calls.cpp) ----------------------------

  // Sends an INVITE (RFC 3261 §13.2) and follows it: provisionals, the first
  // 2xx (ACKed, then on_answered; later 2xx from other forks are ACKed and
  // hung up, §13.2.2.4), failures, one Authorization/Proxy-Authorization
  // retry per 401/407 challenge when `invite.login` is set. The destination
  // is `next_hop` when set, else the Request-URI (host names through the
  // NameResolver; no NAPTR/SRV). Events run later on this worker, never
  // inside this call. BadOutgoing for an unusable `invite`.
  [[nodiscard]] Result<OutgoingId> invite(OutgoingInvite invite, OutgoingEvents events);
  // Cancels an outgoing INVITE not yet answered (§9.1: the CANCEL waits for
  // a provisional). on_failed(487, ...) follows; a 2xx that crosses the
  // CANCEL is ACKed and hung up, never reported as answered. Cancelling twice
  // is harmless; UnknownOutgoing once the call is answered or over.
  [[nodiscard]] Status cancel(OutgoingId id);
  // Where host names in outgoing Request-URIs / next hops are resolved.
  // Without one they fail with 503. Must outlive the stack.
  void set_resolver(NameResolver* resolver) { resolver_ = resolver; }
  // Outgoing INVITEs still tracked (unanswered, or answered less than 64*T1 ago).
  std::size_t pending_outgoing() const { return outgoing_.size(); }

  // The early dialog a provisional answer (101-199) to `id` created; it
  // becomes the confirmed dialog when the INVITE is answered 2xx.
  std::optional<DialogId> dialog_of(InviteId id) const;

  DialogLayer& dialogs() { return dialogs_; }
  TransactionLayer& transactions() { return transactions_; }
  const StackCounters& counters() const { return counters_; }
  std::size_t pending_invites() const { return invites_.size(); }

 private:
  struct PendingInvite {
    Message invite;
    Source source;
    std::string local_tag;
    std::optional<DialogId> dialog;  // once a provisional with tag created it
  };

  // TransactionUser
  void on_request(TxId tx, Message request, const Source& src) override;
  void on_ack_for_2xx(Message ack, const Source& src) override;
  void on_stray_response(Message response, const Source& src) override;
  void on_cancel(TxId invite_tx, const Message& cancel) override;
  void on_server_terminated(TxId tx, TxEnd why) override;
  // DialogHandler
  void on_dialog_request(Dialog& dialog, const Message& request) override;
  void on_dialog_ack(Dialog& dialog, const Message& ack) override;
  void on_ack_timeout(Dialog& dialog) override;
  void on_dialog_terminated(Dialog& dialog, TerminationReason reason) override;

  // The rest of receive() once the admission hook has decided.
  void admitted(Message message, const Source& src, const Admission& verdict);
  void on_out_of_dialog_request(TxId tx, Message request, const Source& src);
  void answer_dialog_request_by_default(TxId tx, Dialog& dialog, const Message& request);
  // Responses sent without a transaction: admission rejects, sanity refusals.
  void send_stateless(const Message& request, const Source& src, int status, std::string_view reason,
                      const std::vector<std::pair<std::string, std::string>>& headers);
  // A response on server transaction `tx` with the Server header added.
  void send_on(TxId tx, const Message& request, int status, std::string_view reason,
               std::string_view to_tag, const MessageParts& parts = {});
  Result<Dialog*> ensure_dialog(PendingInvite& pending);
  std::string local_contact(Protocol protocol) const;
  Result<Route> route_for(const Dialog& dialog) const;
  void forget_dialog_origin(const DialogId& id);

  // Outgoing INVITEs (outgoing_calls.cpp); OutgoingCall is in outgoing_call.hpp.
  struct OutgoingCall;
  OutgoingCall* find_outgoing(OutgoingId id);
  void resolve_outgoing(OutgoingCall& call);
  void send_outgoing(OutgoingCall& call);
  std::string build_outgoing(const OutgoingCall& call, Protocol protocol) const;
  void on_outgoing_response(OutgoingId id, Message response);
  void on_outgoing_2xx(OutgoingCall& call, const Message& response);
  bool retry_with_credentials(OutgoingCall& call, const Message& challenge);
  Route uac_route(const OutgoingCall& call, const Dialog& dialog) const;
  // Ends the early dialogs of the call's INVITE (other forks, or all on failure).
  void end_early_dialogs(const OutgoingCall& call);
  // Reports the failure and forgets the call; `later` defers it to a fresh
  // loop turn (used from invite()/cancel(), which must not call back).
  void fail_outgoing(OutgoingId id, int status, const Message* response, bool later = false);

  StackConfig config_;
  Transport& transport_;
  Timers& timers_;
  AdmissionHook& admission_;
  SessionHandler& sessions_;
  std::shared_ptr<spdlog::logger> log_;
  TransactionLayer transactions_;
  DialogLayer dialogs_;
  std::unordered_map<InviteId, PendingInvite> invites_;
  // Where each UAS dialog's INVITE came from, so in-dialog requests we send
  // reuse its listener and connection.
  std::unordered_map<DialogId, Source, DialogIdHash, DialogIdEqual> origins_;
  // UAC dialogs over TLS to a host name: the name the peer's certificate
  // must match when a request of the dialog opens a new connection.
  std::unordered_map<DialogId, std::string, DialogIdHash, DialogIdEqual> tls_names_;
  TxId current_tx_ = 0;  // the server transaction of the request being dispatched
  const Source* current_src_ = nullptr;  // and where it came from
  // Re-INVITEs the SessionHandler took and has not answered finally: where
  // each came from, for the retransmissions of its 2xx.
  std::unordered_map<TxId, Source> reinvites_;
  StackCounters counters_;
  std::unordered_map<OutgoingId, std::unique_ptr<OutgoingCall>> outgoing_;
  OutgoingId next_outgoing_ = 1;
  NameResolver* resolver_ = nullptr;
  // UAC dialogs handed to the app through on_answered: only these reach
  // SessionHandler::on_dialog_ended (early and hung-up forks stay internal).
  std::unordered_set<DialogId, DialogIdHash, DialogIdEqual> announced_uac_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // weak-captured by deferred work
};

}  // namespace callwire::sip

template <>
struct std::is_error_code_enum<callwire::sip::StackErrc> : std::true_type {};
