#pragma once
// What the call logic (the app layer) implements to receive calls from the
// SIP stack. Everything runs on the worker that owns the call's Call-ID; the
// handler answers through the Stack it is given.
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/dialog_handler.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/transaction_user.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

class Stack;

// A received INVITE awaiting its final response: the id of its server
// transaction.
using InviteId = TxId;

class SessionHandler {
 public:
  virtual ~SessionHandler() = default;

  // A new INVITE outside any dialog; 100 Trying has been sent. Answer it,
  // now or later, with Stack::respond(id, ...).
  virtual void on_invite(Stack& stack, InviteId id, const Message& invite, const Source& src) = 0;
  // The caller cancelled `id` (or its transaction failed) before a final
  // response; the stack has answered it (487). Forget the id.
  virtual void on_invite_cancelled(Stack& stack, InviteId id) = 0;
  // The ACK for our 2xx arrived: the call is up on both sides.
  virtual void on_dialog_confirmed(Stack& stack, const Dialog& dialog) {}
  // The same event with the ACK itself: its body is the SDP answer when our
  // 2xx carried the offer (an INVITE without SDP). By default, the above.
  virtual void on_dialog_ack(Stack& stack, const Dialog& dialog, const Message& ack) {
    on_dialog_confirmed(stack, dialog);
  }
  // A request inside an established dialog (re-INVITE, UPDATE, INFO, ...).
  // Return true when the handler answers it with Stack::respond_in_dialog;
  // false lets the stack answer (OPTIONS and INFO 200, re-INVITE/UPDATE 488).
  virtual bool on_dialog_request(Stack& stack, TxId tx, Dialog& dialog, const Message& request) {
    return false;
  }
  // The dialog is over (BYE either way, no ACK, peer lost it).
  virtual void on_dialog_ended(Stack& stack, const Dialog& dialog, TerminationReason reason) {}
};

}  // namespace callwire::sip
