#pragma once
// The JSON of each resource (snake_case fields, relative `uri`s, RFC 2822
// dates, null for absent values) and the canonical paths they point at.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "store/models.hpp"

namespace callwire::api {

inline constexpr std::string_view kApiVersion = "2010-04-01";

namespace paths {
// "/2010-04-01/Accounts/AC…" (no ".json"; collection and instance paths add it).
std::string account(std::string_view account_sid);
std::string domains(std::string_view account_sid);
std::string domain(std::string_view account_sid, std::string_view domain_sid);
std::string credential_lists(std::string_view account_sid);
std::string credential_list(std::string_view account_sid, std::string_view list_sid);
std::string ip_acls(std::string_view account_sid);
std::string ip_acl(std::string_view account_sid, std::string_view list_sid);
std::string calls(std::string_view account_sid);
std::string call(std::string_view account_sid, std::string_view call_sid);
std::string recordings(std::string_view account_sid);
std::string recording(std::string_view account_sid, std::string_view recording_sid);
}  // namespace paths

// "" / "IP_ACL" / "CREDENTIAL_LIST" / "CREDENTIAL_LIST,IP_ACL" from the
// domain's Calls mappings.
std::string auth_type(const store::Domain& domain);

nlohmann::json account_json(const store::Account& account);
nlohmann::json domain_json(const store::Domain& domain);
nlohmann::json credential_list_json(const store::CredentialList& list);
nlohmann::json credential_json(const store::Credential& credential);
nlohmann::json ip_acl_json(const store::IpAccessControlList& list);
nlohmann::json ip_address_json(const store::IpAddress& address);
// Legacy SIP/Domains/{SD}/CredentialListMappings and IpAccessControlListMappings items.
nlohmann::json legacy_mapping_json(const store::Mapping& mapping);
// Auth/Calls/* and Auth/Registrations/* items: sid, account_sid, friendly_name and dates only.
nlohmann::json auth_mapping_json(const store::Mapping& mapping);
// Contract §11.2 plus callwire's sip_call_id, sip_domain_sid, sip_response_code.
nlohmann::json call_json(const store::Call& call);
// Twilio's Recording fields (docs/compatibility.md, Recordings). `uri` is
// relative; `media_url` is absolute under `base` ("http://host:port"),
// without extension (WAV).
nlohmann::json recording_json(const store::Recording& recording, std::string_view base);
// Contract §12 (v1: ISO 8601 dates, absolute `url` under `monitor_base`, e.g.
// "http://127.0.0.1:8080"). `details`: the four fetch-only fields too.
nlohmann::json alert_json(const store::Alert& alert, std::string_view monitor_base, bool details);

}  // namespace callwire::api
