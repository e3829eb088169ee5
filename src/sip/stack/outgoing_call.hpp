#pragma once
// Internal to the stack: the state of one INVITE we sent (Stack::invite),
// from the first attempt through auth retries to the answer or failure.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/timers.hpp"
#include "sip/dialog/dialog_id.hpp"
#include "sip/dialog/next_hop.hpp"
#include "sip/message/message.hpp"
#include "sip/stack/outgoing_invite.hpp"
#include "sip/stack/stack.hpp"
#include "sip/transaction/transaction_user.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

struct Stack::OutgoingCall {
  OutgoingId id = 0;
  OutgoingInvite spec;
  OutgoingEvents events;
  std::string from_tag;
  std::uint32_t cseq = 1;
  NextHop hop;     // where the request goes, as named by next_hop or the Request-URI
  Route route;     // hop resolved to an address (valid once resolved)
  bool resolving = false;
  std::optional<Message> request;  // the INVITE of the current attempt
  TxId tx = 0;                     // its client transaction
  bool cancelled = false;
  bool answered = false;
  std::optional<DialogId> dialog;  // the answered dialog
  // Credentials sent with every attempt after a challenge: header name and
  // value, one per (header, realm).
  std::vector<std::pair<std::string, std::string>> credentials;
  std::vector<std::string> credential_realms;
  std::string last_nonce;
  int challenges = 0;
  Timers::Id timer = 0;  // after cancel(): the §9.1 give-up timer; after the answer: forget at 64*T1
};

}  // namespace callwire::sip
