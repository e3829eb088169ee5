#pragma once
// What a call keeps of its INVITE for the webhooks (contract 9.3, 8.6), and
// the voice request's parameters built from it.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/message/message.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::calls {

using Params = std::vector<std::pair<std::string, std::string>>;

struct InviteFacts {
  std::string from;         // the From header's URI: no display name, no tag
  std::string to;           // the Request-URI
  std::string sip_call_id;
  std::string source_ip;    // the packet's real source
  std::string user_agent;
  // Every X- header and User-to-User, names as received. A repeated name is
  // one entry with its values joined by "," (RFC 3261 §7.3.1 list rule).
  Params sip_headers;
};

InviteFacts invite_facts(const sip::Message& invite, const sip::Source& src);

struct CallIdentity {
  std::string account_sid;
  std::string call_sid;
  std::string domain_name;  // canonical, no edge label
  std::string domain_sid;
  std::string username;     // digest username when credential auth was used
};

// The base parameters every request of the call repeats (SIP-specific ones
// included: callwire repeats them on every request, contract 9.3 [NC]).
Params call_params(const CallIdentity& id, const InviteFacts& facts, std::string_view call_status);

}  // namespace callwire::calls
