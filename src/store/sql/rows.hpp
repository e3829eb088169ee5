#pragma once
// Column lists and row readers for every model, so each SELECT names its
// columns in the same order the reader expects.
#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "store/models.hpp"
#include "store/paging.hpp"
#include "store/sql/value.hpp"

namespace callwire::store::sql {

inline constexpr std::string_view kAccountColumns =
    "seq, sid, owner_account_sid, friendly_name, status, type, auth_token, date_created, date_updated";

// Domains are read with the two "is anything mapped for calls" flags.
inline constexpr std::string_view kDomainColumns =
    "d.seq, d.sid, d.account_sid, d.domain_name, d.friendly_name, d.voice_url, d.voice_method, "
    "d.voice_fallback_url, d.voice_fallback_method, d.voice_status_callback_url, d.voice_status_callback_method, "
    "d.sip_registration, d.emergency_calling_enabled, d.secure, d.byoc_trunk_sid, d.emergency_caller_sid, "
    "d.date_created, d.date_updated, "
    "EXISTS (SELECT 1 FROM ip_access_control_list_mappings m WHERE m.domain_sid = d.sid AND m.auth_usage = "
    "'calls'), "
    "EXISTS (SELECT 1 FROM credential_list_mappings m WHERE m.domain_sid = d.sid AND m.auth_usage = 'calls')";

inline constexpr std::string_view kListColumns = "seq, sid, account_sid, friendly_name, date_created, date_updated";

inline constexpr std::string_view kCredentialColumns =
    "seq, sid, account_sid, credential_list_sid, username, ha1_md5, ha1_sha256, date_created, date_updated";

inline constexpr std::string_view kIpAddressColumns =
    "seq, sid, account_sid, ip_access_control_list_sid, friendly_name, ip_address, cidr_prefix_length, "
    "date_created, date_updated";

inline constexpr std::string_view kCallColumns =
    "seq, sid, account_sid, parent_call_sid, to_uri, from_uri, status, direction, start_time, end_time, duration, "
    "api_version, caller_name, forwarded_from, trunk_sid, sip_call_id, sip_domain_sid, sip_response_code, "
    "date_created, date_updated";

// Lists leave the four large fetch-only columns out (read_alert(row, false)).
inline constexpr std::string_view kAlertColumns =
    "seq, sid, account_sid, error_code, log_level, alert_text, more_info, request_method, request_url, "
    "resource_sid, date_created, date_generated, date_updated";
inline constexpr std::string_view kAlertDetailColumns =
    ", request_variables, request_headers, response_body, response_headers";

inline constexpr std::string_view kRecordingColumns =
    "seq, sid, account_sid, call_sid, conference_sid, start_time, duration, channels, source, status, error_code, "
    "track, media_path, date_created, date_updated";

Timestamp now_seconds();
inline std::int64_t to_db(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_db(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

Account read_account(const Row& r);
Domain read_domain(const Row& r);
CredentialList read_credential_list(const Row& r);
IpAccessControlList read_ip_access_control_list(const Row& r);
Credential read_credential(const Row& r);
IpAddress read_ip_address(const Row& r);
Call read_call(const Row& r);
// `details`: the row also has kAlertDetailColumns after kAlertColumns.
Alert read_alert(const Row& r, bool details);
Recording read_recording(const Row& r);

// Nullable integer / time columns.
inline Value optional_int(const std::optional<int>& v) {
  return v ? Value(static_cast<std::int64_t>(*v)) : Value(nullptr);
}
inline Value optional_time(const std::optional<Timestamp>& t) { return t ? Value(to_db(*t)) : Value(nullptr); }

// ASCII lowercase (domain names).
std::string lower(std::string_view s);

// page_size clamped to 1..1000; the query asks for one more row to learn has_more.
inline std::int64_t page_limit(const PageRequest& p) {
  return static_cast<std::int64_t>(std::clamp<std::size_t>(p.page_size, 1, 1000)) + 1;
}

// Trims the extra row and fills has_more / last_seq.
template <class T>
Page<T> make_page(std::vector<T> rows, const PageRequest& p) {
  Page<T> page;
  const std::size_t size = std::clamp<std::size_t>(p.page_size, 1, 1000);
  page.has_more = rows.size() > size;
  if (page.has_more) rows.resize(size);
  page.last_seq = rows.empty() ? p.after_seq : rows.back().seq;
  page.items = std::move(rows);
  return page;
}

}  // namespace callwire::store::sql
