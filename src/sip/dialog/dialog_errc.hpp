#pragma once
// Errors of the dialog layer. Like sip::Errc, each says how the peer hears
// about it: dialog_status_for() gives the status for a refused request, and
// rejection() builds the whole response (with Retry-After where §14.2 asks).
#include <string>
#include <system_error>

#include "core/result.hpp"
#include "sip/message/message.hpp"

namespace callwire::sip {

enum class DialogErrc {
  NoDialog = 1,       // in-dialog request for no (or an ended) dialog: 481 (§12.2.2)
  CSeqOutOfOrder,     // CSeq lower than the remote CSeq: 500 (§12.2.2)
  RequestPending,     // re-INVITE while ours is pending (glare): 491 (§14.2)
  InviteInProgress,   // re-INVITE while the previous one is unanswered: 500 + Retry-After (§14.2)
  MissingContact,     // dialog-creating or target-refresh message without Contact: 400
  BadContact,         // Contact that does not parse: 400
  NotDialogCreating,  // a response that cannot create a dialog (100, no To tag, >= 300)
  DialogExists,       // a dialog with this id is already in the table
  NeedsDns,           // next hop is a host name; Error::detail holds it (RFC 3263 comes later)
  BadTarget,          // remote target / route URI unusable (not sip/sips, bad transport)
};

const std::error_category& dialog_category();
inline std::error_code make_error_code(DialogErrc e) { return {static_cast<int>(e), dialog_category()}; }

// The status a request refused with `e` gets; 500 for errors of other categories.
int dialog_status_for(const Error& e);

// The response refusing `request` with `e` (481, 491, 500 with Retry-After
// 0-10 s for InviteInProgress, ...). The Reason text is Error::detail.
std::string rejection(const Message& request, const Error& e);

}  // namespace callwire::sip

template <>
struct std::is_error_code_enum<callwire::sip::DialogErrc> : std::true_type {};
