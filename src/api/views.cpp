#include "api/views.hpp"

#include "api/dates.hpp"
#include "http/values.hpp"

namespace callwire::api {

namespace {

using nlohmann::json;

json optional(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
std::string date(store::Timestamp t) { return http::format_rfc2822(t); }
json optional_date(const std::optional<store::Timestamp>& t) { return t ? json(date(*t)) : json(nullptr); }

}  // namespace

namespace paths {

std::string account(std::string_view account_sid) {
  return "/" + std::string(kApiVersion) + "/Accounts/" + std::string(account_sid);
}
std::string domains(std::string_view account_sid) { return account(account_sid) + "/SIP/Domains"; }
std::string domain(std::string_view account_sid, std::string_view domain_sid) {
  return domains(account_sid) + "/" + std::string(domain_sid);
}
std::string credential_lists(std::string_view account_sid) { return account(account_sid) + "/SIP/CredentialLists"; }
std::string credential_list(std::string_view account_sid, std::string_view list_sid) {
  return credential_lists(account_sid) + "/" + std::string(list_sid);
}
std::string ip_acls(std::string_view account_sid) { return account(account_sid) + "/SIP/IpAccessControlLists"; }
std::string ip_acl(std::string_view account_sid, std::string_view list_sid) {
  return ip_acls(account_sid) + "/" + std::string(list_sid);
}

std::string calls(std::string_view account_sid) { return account(account_sid) + "/Calls"; }
std::string call(std::string_view account_sid, std::string_view call_sid) {
  return calls(account_sid) + "/" + std::string(call_sid);
}

std::string recordings(std::string_view account_sid) { return account(account_sid) + "/Recordings"; }
std::string recording(std::string_view account_sid, std::string_view recording_sid) {
  return recordings(account_sid) + "/" + std::string(recording_sid);
}

}  // namespace paths

std::string auth_type(const store::Domain& d) {
  if (d.calls_credential_list_mapped && d.calls_ip_acl_mapped) return "CREDENTIAL_LIST,IP_ACL";
  if (d.calls_credential_list_mapped) return "CREDENTIAL_LIST";
  if (d.calls_ip_acl_mapped) return "IP_ACL";
  return "";
}

json account_json(const store::Account& a) {
  const auto base = paths::account(a.sid);
  return json{
      {"sid", a.sid},
      {"auth_token", a.auth_token},
      {"friendly_name", a.friendly_name},
      {"owner_account_sid", a.owner_account_sid},
      {"status", a.status},
      {"type", a.type},
      {"date_created", date(a.date_created)},
      {"date_updated", date(a.date_updated)},
      {"uri", base + ".json"},
      // Only the collections callwire serves.
      {"subresource_uris",
       {{"sip_domains", paths::domains(a.sid) + ".json"},
        {"sip_credential_lists", paths::credential_lists(a.sid) + ".json"},
        {"sip_ip_access_control_lists", paths::ip_acls(a.sid) + ".json"}}},
  };
}

json domain_json(const store::Domain& d) {
  const auto base = paths::domain(d.account_sid, d.sid);
  return json{
      {"sid", d.sid},
      {"account_sid", d.account_sid},
      {"api_version", kApiVersion},
      {"domain_name", d.domain_name},
      {"friendly_name", d.friendly_name},
      {"auth_type", auth_type(d)},
      {"voice_url", optional(d.voice_url)},
      {"voice_method", d.voice_method},
      {"voice_fallback_url", optional(d.voice_fallback_url)},
      {"voice_fallback_method", d.voice_fallback_method},
      {"voice_status_callback_url", optional(d.voice_status_callback_url)},
      {"voice_status_callback_method", d.voice_status_callback_method},
      {"sip_registration", d.sip_registration},
      {"emergency_calling_enabled", d.emergency_calling_enabled},
      {"secure", d.secure},
      {"byoc_trunk_sid", optional(d.byoc_trunk_sid)},
      {"emergency_caller_sid", optional(d.emergency_caller_sid)},
      {"date_created", date(d.date_created)},
      {"date_updated", date(d.date_updated)},
      {"uri", base + ".json"},
      {"subresource_uris",
       {{"credential_list_mappings", base + "/CredentialListMappings.json"},
        {"ip_access_control_list_mappings", base + "/IpAccessControlListMappings.json"}}},
  };
}

json credential_list_json(const store::CredentialList& l) {
  const auto base = paths::credential_list(l.account_sid, l.sid);
  return json{
      {"sid", l.sid},
      {"account_sid", l.account_sid},
      {"friendly_name", l.friendly_name},
      {"date_created", date(l.date_created)},
      {"date_updated", date(l.date_updated)},
      {"uri", base + ".json"},
      {"subresource_uris", {{"credentials", base + "/Credentials.json"}}},
  };
}

json credential_json(const store::Credential& c) {
  // The digests stay inside: nothing derived from the password is returned.
  return json{
      {"sid", c.sid},
      {"account_sid", c.account_sid},
      {"credential_list_sid", c.credential_list_sid},
      {"username", c.username},
      {"date_created", date(c.date_created)},
      {"date_updated", date(c.date_updated)},
      {"uri", paths::credential_list(c.account_sid, c.credential_list_sid) + "/Credentials/" + c.sid + ".json"},
  };
}

json ip_acl_json(const store::IpAccessControlList& l) {
  const auto base = paths::ip_acl(l.account_sid, l.sid);
  return json{
      {"sid", l.sid},
      {"account_sid", l.account_sid},
      {"friendly_name", l.friendly_name},
      {"date_created", date(l.date_created)},
      {"date_updated", date(l.date_updated)},
      {"uri", base + ".json"},
      {"subresource_uris", {{"ip_addresses", base + "/IpAddresses.json"}}},
  };
}

json ip_address_json(const store::IpAddress& a) {
  return json{
      {"sid", a.sid},
      {"account_sid", a.account_sid},
      {"ip_access_control_list_sid", a.ip_access_control_list_sid},
      {"friendly_name", a.friendly_name},
      {"ip_address", a.ip_address},
      {"cidr_prefix_length", a.cidr_prefix_length},
      {"date_created", date(a.date_created)},
      {"date_updated", date(a.date_updated)},
      {"uri", paths::ip_acl(a.account_sid, a.ip_access_control_list_sid) + "/IpAddresses/" + a.sid + ".json"},
  };
}

json legacy_mapping_json(const store::Mapping& m) {
  const bool cl = m.kind == store::MappingKind::CredentialList;
  const auto list_base = cl ? paths::credential_list(m.account_sid, m.list_sid) : paths::ip_acl(m.account_sid, m.list_sid);
  const auto uri = paths::domain(m.account_sid, m.domain_sid) +
                   (cl ? "/CredentialListMappings/" : "/IpAccessControlListMappings/") + m.list_sid + ".json";
  return json{
      {"sid", m.list_sid},
      {"account_sid", m.account_sid},
      {"domain_sid", m.domain_sid},
      {"friendly_name", m.friendly_name},
      {"date_created", date(m.date_created)},
      {"date_updated", date(m.date_updated)},
      {"uri", uri},
      {"subresource_uris",
       cl ? json{{"credentials", list_base + "/Credentials.json"}} : json{{"ip_addresses", list_base + "/IpAddresses.json"}}},
  };
}

json auth_mapping_json(const store::Mapping& m) {
  return json{
      {"sid", m.list_sid},
      {"account_sid", m.account_sid},
      {"friendly_name", m.friendly_name},
      {"date_created", date(m.date_created)},
      {"date_updated", date(m.date_updated)},
  };
}

json call_json(const store::Call& c) {
  const auto base = paths::call(c.account_sid, c.sid);
  // JSON keys snake_case, path segments PascalCase, as Twilio spells them.
  static const std::pair<const char*, const char*> kSubresources[] = {
      {"notifications", "Notifications"},
      {"recordings", "Recordings"},
      {"payments", "Payments"},
      {"events", "Events"},
      {"siprec", "Siprec"},
      {"streams", "Streams"},
      {"transcriptions", "Transcriptions"},
      {"user_defined_message_subscriptions", "UserDefinedMessageSubscriptions"},
      {"user_defined_messages", "UserDefinedMessages"}};
  json subresources = json::object();
  for (const auto& [key, segment] : kSubresources) subresources[key] = base + "/" + segment + ".json";
  return json{
      {"sid", c.sid},
      {"account_sid", c.account_sid},
      {"parent_call_sid", optional(c.parent_call_sid)},
      {"date_created", date(c.date_created)},
      {"date_updated", date(c.date_updated)},
      {"to", c.to},
      {"to_formatted", c.to},  // a SIP URI has no other display form
      {"from", c.from},
      {"from_formatted", c.from},
      {"phone_number_sid", nullptr},
      {"status", c.status},
      {"start_time", optional_date(c.start_time)},
      {"end_time", optional_date(c.end_time)},
      {"duration", c.duration ? json(std::to_string(*c.duration)) : json(nullptr)},
      {"price", nullptr},  // callwire does not rate calls
      {"price_unit", "USD"},
      {"direction", c.direction},
      {"answered_by", nullptr},
      {"api_version", c.api_version},
      {"forwarded_from", optional(c.forwarded_from)},
      {"group_sid", nullptr},
      {"caller_name", optional(c.caller_name)},
      {"queue_time", "0"},
      {"trunk_sid", optional(c.trunk_sid)},
      {"uri", base + ".json"},
      {"subresource_uris", std::move(subresources)},
      {"sip_call_id", c.sip_call_id},
      {"sip_domain_sid", optional(c.sip_domain_sid)},
      {"sip_response_code", c.sip_response_code ? json(*c.sip_response_code) : json(nullptr)},
  };
}

json recording_json(const store::Recording& k, std::string_view base) {
  const auto path = paths::recording(k.account_sid, k.sid);
  return json{
      {"sid", k.sid},
      {"account_sid", k.account_sid},
      {"api_version", kApiVersion},
      {"call_sid", k.call_sid},
      {"conference_sid", optional(k.conference_sid)},
      {"date_created", date(k.date_created)},
      {"date_updated", date(k.date_updated)},
      {"start_time", optional_date(k.start_time)},
      {"duration", k.duration ? json(std::to_string(*k.duration)) : json(nullptr)},
      {"price", nullptr},  // callwire does not rate recordings
      {"price_unit", "USD"},
      {"status", k.status},
      {"channels", k.channels},
      {"source", k.source},
      {"error_code", k.error_code ? json(*k.error_code) : json(nullptr)},
      {"track", k.track},
      {"encryption_details", nullptr},  // recordings are not encrypted
      {"uri", path + ".json"},
      {"media_url", std::string(base) + path},
      {"subresource_uris",
       {{"add_on_results", path + "/AddOnResults.json"}, {"transcriptions", path + "/Transcriptions.json"}}},
  };
}

json alert_json(const store::Alert& a, std::string_view monitor_base, bool details) {
  json out{
      {"sid", a.sid},
      {"account_sid", a.account_sid},
      {"alert_text", a.alert_text},
      {"api_version", kApiVersion},
      {"date_created", format_iso8601(a.date_created)},
      {"date_generated", format_iso8601(a.date_generated)},
      {"date_updated", format_iso8601(a.date_updated)},
      {"error_code", a.error_code},
      {"log_level", a.log_level},
      {"more_info", a.more_info},
      {"request_method", a.request_method},
      {"request_url", a.request_url},
      {"resource_sid", optional(a.resource_sid)},
      {"service_sid", nullptr},
      {"url", std::string(monitor_base) + "/v1/Alerts/" + a.sid},
  };
  if (details) {
    out["request_variables"] = a.request_variables;
    out["request_headers"] = a.request_headers;
    out["response_body"] = a.response_body;
    out["response_headers"] = a.response_headers;
  }
  return out;
}

}  // namespace callwire::api
