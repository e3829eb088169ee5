#pragma once
// The dialog layer of one worker: the table of dialogs, the routing of
// received in-dialog requests and responses to them, 2xx retransmission
// (UAS) and ACK resending (UAC). The stack calls it after the transaction
// layer has matched (or created) a transaction; it answers with a verdict
// saying what to send, and raises events on a DialogHandler.
#include <memory>
#include <string>
#include <unordered_map>

#include "core/timers.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/dialog_handler.hpp"
#include "sip/dialog/dialog_table.hpp"
#include "sip/dialog/two_xx_retransmitter.hpp"
#include "sip/message/message.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

// What the caller does with a received request.
struct RequestVerdict {
  enum class Action : std::uint8_t {
    NotInDialog,  // no To tag: dialog-creating or out-of-dialog; not ours
    Delivered,    // accepted and passed to the handler; it answers
    Respond,      // send `response` (481, 491, 500, or the 200 to a BYE)
    Drop,         // send nothing (ACK without dialog, ACK already seen)
  };
  Action action = Action::NotInDialog;
  Dialog* dialog = nullptr;  // Delivered only (a BYE's dialog is already gone)
  int status = 0;            // Respond: the status of `response`
  std::string response;
};

// What became of a received response.
struct ResponseVerdict {
  enum class Action : std::uint8_t {
    NoDialog,    // matches no dialog and creates none
    Created,     // a new (early or confirmed) UAC dialog; `dialog` set
    Updated,     // an existing dialog took it; `dialog` set
    AckResent,   // a retransmitted 2xx: its ACK went out again; absorb it
    Terminated,  // it ended one or more dialogs (already removed)
  };
  Action action = Action::NoDialog;
  Dialog* dialog = nullptr;
};

class DialogLayer {
 public:
  DialogLayer(Timers& timers, Transport& transport, DialogHandler& handler,
              DialogTimings timings = {});
  ~DialogLayer();
  DialogLayer(const DialogLayer&) = delete;
  DialogLayer& operator=(const DialogLayer&) = delete;

  // Insert and look up dialogs here. End them with terminate() rather than
  // table().remove(), which leaves a 2xx being resent until 64*T1 and skips
  // on_dialog_terminated.
  DialogTable& table() { return table_; }

  // A received request. With a To tag it must match a dialog (else 481, or
  // a silent drop for ACK), pass §12.2.2 and §14.2 checks, and is delivered;
  // an ACK stops the matching 2xx retransmission; a BYE ends the dialog.
  RequestVerdict on_request(const Message& request);

  // A received response. `request` is what we sent, when the transaction
  // layer still knows it (needed to create UAC dialogs; a stray 2xx
  // retransmission may come without it).
  ResponseVerdict on_response(const Message& response, const Message* request = nullptr);

  // UAS: sends (unless `send_first` is false) a 2xx to the INVITE numbered
  // `invite_cseq` and keeps resending it until its ACK (§13.3.1.4).
  void send_2xx(Dialog& dialog, std::shared_ptr<const std::string> response, std::uint32_t invite_cseq,
                const Route& route, bool send_first = true);
  // UAC: builds the ACK for the 2xx to `invite_cseq` (Dialog::make_ack),
  // sends it to `route`, and resends it whenever that 2xx comes again.
  void send_ack(Dialog& dialog, std::uint32_t invite_cseq, const Route& route, const LocalVia& via,
                std::string_view branch, const MessageParts& parts = {});

  // A request we sent in the dialog got no answer (transaction timeout):
  // the dialog ends (§12.2.1.2).
  void on_request_timeout(DialogIdView id);
  // Ends a dialog: on_dialog_terminated, then removal. False if unknown.
  bool terminate(DialogIdView id, TerminationReason reason);

 private:
  void end(Dialog& dialog, TerminationReason reason);
  void on_ack_timeout(const DialogId& id);

  Timers& timers_;
  Transport& transport_;
  DialogHandler& handler_;
  DialogTimings timings_;
  DialogTable table_;
  std::unordered_map<DialogId, std::unique_ptr<TwoXxRetransmitter>, DialogIdHash, DialogIdEqual> two_xx_;
  std::unordered_map<DialogId, Route, DialogIdHash, DialogIdEqual> ack_routes_;
};

}  // namespace callwire::sip
