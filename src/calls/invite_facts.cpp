#include "calls/invite_facts.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "net/endpoint.hpp"
#include "sip/message/chars.hpp"
#include "sip/message/name_addr.hpp"

namespace callwire::calls {
namespace {

using sip::chars::iequals;

std::string from_uri(const sip::Message& invite) {
  std::string_view from = invite.header(sip::HeaderId::From);
  if (auto na = sip::parse_name_addr(from)) return std::string(na->uri_text);
  return std::string(from);
}

}  // namespace

InviteFacts invite_facts(const sip::Message& invite, const sip::Source& src) {
  InviteFacts f;
  f.from = from_uri(invite);
  f.to = std::string(invite.request_uri());
  f.sip_call_id = std::string(invite.call_id());
  f.source_ip = net::address_text(src.remote_address);
  f.user_agent = std::string(invite.header(sip::HeaderId::UserAgent));
  for (const auto& h : invite.headers()) {
    if (!callwire::istarts_with(h.name, "x-") && !iequals(h.name, "user-to-user")) continue;
    std::string name = "SipHeader_" + std::string(h.name);
    auto same = std::find_if(f.sip_headers.begin(), f.sip_headers.end(),
                             [&](const auto& p) { return iequals(p.first, name); });
    if (same != f.sip_headers.end()) {
      same->second.append(",").append(h.value);
    } else {
      f.sip_headers.emplace_back(std::move(name), std::string(h.value));
    }
  }
  return f;
}

Params call_params(const CallIdentity& id, const InviteFacts& facts, std::string_view call_status) {
  Params p{
      {"AccountSid", id.account_sid},
      {"ApiVersion", "2010-04-01"},
      {"CallSid", id.call_sid},
      {"CallStatus", std::string(call_status)},
      {"Called", facts.to},
      {"Caller", facts.from},
      {"Direction", "inbound"},
      {"From", facts.from},
      {"SipCallId", facts.sip_call_id},
      {"SipDomain", id.domain_name},
      {"SipDomainSid", id.domain_sid},
      {"SipSourceIp", facts.source_ip},
      {"To", facts.to},
  };
  if (!id.username.empty()) p.emplace_back("SipUsername", id.username);
  for (const auto& h : facts.sip_headers) p.push_back(h);
  return p;
}

}  // namespace callwire::calls
