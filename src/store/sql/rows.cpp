#include "store/sql/rows.hpp"

namespace callwire::store::sql {

Timestamp now_seconds() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Account read_account(const Row& r) {
  Account a;
  a.seq = r.integer(0);
  a.sid = r.text(1);
  a.owner_account_sid = r.text(2);
  a.friendly_name = r.text(3);
  a.status = r.text(4);
  a.type = r.text(5);
  a.auth_token = r.text(6);
  a.date_created = from_db(r.integer(7));
  a.date_updated = from_db(r.integer(8));
  return a;
}

Domain read_domain(const Row& r) {
  Domain d;
  d.seq = r.integer(0);
  d.sid = r.text(1);
  d.account_sid = r.text(2);
  d.domain_name = r.text(3);
  d.friendly_name = r.text(4);
  d.voice_url = r.optional_text(5);
  d.voice_method = r.text(6);
  d.voice_fallback_url = r.optional_text(7);
  d.voice_fallback_method = r.text(8);
  d.voice_status_callback_url = r.optional_text(9);
  d.voice_status_callback_method = r.text(10);
  d.sip_registration = r.boolean(11);
  d.emergency_calling_enabled = r.boolean(12);
  d.secure = r.boolean(13);
  d.byoc_trunk_sid = r.optional_text(14);
  d.emergency_caller_sid = r.optional_text(15);
  d.date_created = from_db(r.integer(16));
  d.date_updated = from_db(r.integer(17));
  d.calls_ip_acl_mapped = r.boolean(18);
  d.calls_credential_list_mapped = r.boolean(19);
  return d;
}

namespace {
template <class L>
L read_list(const Row& r) {
  L l;
  l.seq = r.integer(0);
  l.sid = r.text(1);
  l.account_sid = r.text(2);
  l.friendly_name = r.text(3);
  l.date_created = from_db(r.integer(4));
  l.date_updated = from_db(r.integer(5));
  return l;
}
}  // namespace

CredentialList read_credential_list(const Row& r) { return read_list<CredentialList>(r); }
IpAccessControlList read_ip_access_control_list(const Row& r) { return read_list<IpAccessControlList>(r); }

Credential read_credential(const Row& r) {
  Credential c;
  c.seq = r.integer(0);
  c.sid = r.text(1);
  c.account_sid = r.text(2);
  c.credential_list_sid = r.text(3);
  c.username = r.text(4);
  c.ha1_md5 = r.text(5);
  c.ha1_sha256 = r.text(6);
  c.date_created = from_db(r.integer(7));
  c.date_updated = from_db(r.integer(8));
  return c;
}

IpAddress read_ip_address(const Row& r) {
  IpAddress a;
  a.seq = r.integer(0);
  a.sid = r.text(1);
  a.account_sid = r.text(2);
  a.ip_access_control_list_sid = r.text(3);
  a.friendly_name = r.text(4);
  a.ip_address = r.text(5);
  a.cidr_prefix_length = static_cast<int>(r.integer(6));
  a.date_created = from_db(r.integer(7));
  a.date_updated = from_db(r.integer(8));
  return a;
}

namespace {
std::optional<Timestamp> optional_time_of(const Row& r, int column) {
  if (r.is_null(column)) return std::nullopt;
  return from_db(r.integer(column));
}
std::optional<int> optional_int_of(const Row& r, int column) {
  if (r.is_null(column)) return std::nullopt;
  return static_cast<int>(r.integer(column));
}
}  // namespace

Call read_call(const Row& r) {
  Call c;
  c.seq = r.integer(0);
  c.sid = r.text(1);
  c.account_sid = r.text(2);
  c.parent_call_sid = r.optional_text(3);
  c.to = r.text(4);
  c.from = r.text(5);
  c.status = r.text(6);
  c.direction = r.text(7);
  c.start_time = optional_time_of(r, 8);
  c.end_time = optional_time_of(r, 9);
  c.duration = optional_int_of(r, 10);
  c.api_version = r.text(11);
  c.caller_name = r.optional_text(12);
  c.forwarded_from = r.optional_text(13);
  c.trunk_sid = r.optional_text(14);
  c.sip_call_id = r.text(15);
  c.sip_domain_sid = r.optional_text(16);
  c.sip_response_code = optional_int_of(r, 17);
  c.date_created = from_db(r.integer(18));
  c.date_updated = from_db(r.integer(19));
  return c;
}

Alert read_alert(const Row& r, bool details) {
  Alert a;
  a.seq = r.integer(0);
  a.sid = r.text(1);
  a.account_sid = r.text(2);
  a.error_code = r.text(3);
  a.log_level = r.text(4);
  a.alert_text = r.text(5);
  a.more_info = r.text(6);
  a.request_method = r.text(7);
  a.request_url = r.text(8);
  a.resource_sid = r.optional_text(9);
  a.date_created = from_db(r.integer(10));
  a.date_generated = from_db(r.integer(11));
  a.date_updated = from_db(r.integer(12));
  if (details) {
    a.request_variables = r.text(13);
    a.request_headers = r.text(14);
    a.response_body = r.text(15);
    a.response_headers = r.text(16);
  }
  return a;
}

Recording read_recording(const Row& r) {
  Recording k;
  k.seq = r.integer(0);
  k.sid = r.text(1);
  k.account_sid = r.text(2);
  k.call_sid = r.text(3);
  k.conference_sid = r.optional_text(4);
  k.start_time = optional_time_of(r, 5);
  k.duration = optional_int_of(r, 6);
  k.channels = static_cast<int>(r.integer(7));
  k.source = r.text(8);
  k.status = r.text(9);
  k.error_code = optional_int_of(r, 10);
  k.track = r.text(11);
  k.media_path = r.text(12);
  k.date_created = from_db(r.integer(13));
  k.date_updated = from_db(r.integer(14));
  return k;
}

}  // namespace callwire::store::sql
