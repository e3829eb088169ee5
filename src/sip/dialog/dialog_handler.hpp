#pragma once
// Events the dialog layer raises to the layer above (the call logic), which
// implements this interface. All run on the dialog's worker. The Dialog&
// stays valid for the duration of the call; do not remove dialogs from the
// table inside a handler (DialogLayer removes ended ones after it returns).
#include <cstdint>

#include "sip/dialog/dialog.hpp"
#include "sip/message/message.hpp"

namespace callwire::sip {

enum class TerminationReason : std::uint8_t {
  ByeReceived,   // the peer sent BYE (answered 200 by the layer's verdict)
  Rejected,      // a final >= 300 to the INVITE that created an early dialog
  NoDialogAtPeer,// 481 to a request we sent in the dialog (§12.2.1.2)
  RequestTimeout,// 408 or no answer to a request we sent in the dialog
  Local,         // ended by us (BYE sent, hangup)
};

class DialogHandler {
 public:
  virtual ~DialogHandler() = default;
  // A request the dialog accepted (re-INVITE, UPDATE, INFO, OPTIONS, BYE,
  // CANCEL, ...). The handler answers it through its server transaction,
  // except BYE, whose 200 the layer builds.
  virtual void on_dialog_request(Dialog& dialog, const Message& request) = 0;
  // The ACK for a 2xx we sent (§13.3.1.4); its retransmissions stop.
  virtual void on_dialog_ack(Dialog& dialog, const Message& ack) = 0;
  // No ACK within 64*T1 for a 2xx we sent: the dialog is confirmed but the
  // call should end with a BYE (§13.3.1.4).
  virtual void on_ack_timeout(Dialog& dialog) = 0;
  // The dialog is over; it leaves the table right after this returns.
  virtual void on_dialog_terminated(Dialog& dialog, TerminationReason reason) = 0;
};

}  // namespace callwire::sip
