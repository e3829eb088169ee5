#pragma once
// What the transaction layer tells the layer above it (the stack/dialogs),
// and how a client transaction reports back. Transactions are named by
// TxId handles: callbacks capture the id and look it up, never a pointer.
#include <cstdint>
#include <functional>
#include <system_error>

#include "sip/message/message.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

using TxId = std::uint64_t;  // 0 is never a valid id

// RFC 3261 §17 states plus RFC 6026 Accepted.
enum class TxState : std::uint8_t {
  Calling,     // INVITE client: request sent, nothing heard
  Trying,      // non-INVITE client and server: nothing sent/heard yet
  Proceeding,  // a provisional response sent/received
  Completed,   // final response (non-2xx for INVITE) sent/received
  Confirmed,   // INVITE server: ACK received for the non-2xx
  Accepted,    // RFC 6026: INVITE 2xx sent/received, kept 64*T1
  Terminated,  // over; the layer frees it once the current dispatch ends
};
std::string_view tx_state_name(TxState s);

// Why a server transaction ended (on_server_terminated).
enum class TxEnd : std::uint8_t {
  Normal,          // ran its course (timer I, J, L or 0 on reliable transports)
  NoAck,           // INVITE: timer H fired without an ACK for the non-2xx
  TransportError,  // sending a response failed (§17.2.4)
};

// Implemented by the layer above. Called on the worker that owns the
// TransactionLayer, from inside TransactionLayer::receive() or a timer;
// calling back into the layer (respond, send_request, ...) is allowed.
class TransactionUser {
 public:
  virtual ~TransactionUser() = default;

  // A new request (never a retransmission, never ACK or CANCEL). For INVITE
  // the layer has already sent 100 Trying. Answer with respond(tx, ...).
  virtual void on_request(TxId tx, Message request, const Source& src) = 0;
  // An ACK that matched no INVITE server transaction in Completed/Confirmed:
  // the ACK for a 2xx, which belongs to a dialog (§17.2.3, RFC 6026 §8.7).
  virtual void on_ack_for_2xx(Message ack, const Source& src) = 0;
  // A response that matched no client transaction, e.g. a 2xx retransmission
  // after the INVITE client transaction ended, for the UAC dialog (§17.1.3).
  virtual void on_stray_response(Message response, const Source& src) = 0;
  // A CANCEL matched `invite_tx` while it was still Proceeding. The layer has
  // already answered the CANCEL with 200; the TU normally answers the INVITE
  // with 487 (§9.2).
  virtual void on_cancel(TxId invite_tx, const Message& cancel) = 0;
  // A server transaction created by on_request ended. After this the id is
  // unknown to the layer.
  virtual void on_server_terminated(TxId tx, TxEnd why) {}
};

// How a client transaction reports back; each callback may be empty.
// After on_timeout or on_transport_error nothing more is reported.
struct ClientCallbacks {
  // Every response the transaction lets through: provisionals, the final
  // response, and (INVITE, RFC 6026 Accepted) each further 2xx within 64*T1,
  // including 2xx from other forks. Retransmitted non-2xx finals are absorbed.
  std::function<void(Message response)> on_response;
  // Timer B (INVITE, still Calling) or F (non-INVITE): no final response.
  std::function<void()> on_timeout;
  // The transport failed to send the request (§17.1.4).
  std::function<void(std::error_code)> on_transport_error;
};

}  // namespace callwire::sip
