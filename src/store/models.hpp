#pragma once
// The rows the store keeps, as plain structs. Field names follow the REST
// contract (snake_case); the API layer turns them into JSON.
//
// Common conventions:
// - `sid` is "XX" + 32 lowercase hex (core/sid.hpp). On create the store
//   generates it when empty, or keeps a caller-given one.
// - `seq` is the store's insertion order, used for keyset paging
//   (PageRequest::after_seq). Set by the store; ignored on input.
// - Dates have second precision and are set by the store (date_created on
//   create, date_updated on every update). Ignored on input.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace callwire::store {

using Timestamp = std::chrono::sys_seconds;

inline constexpr const char* kAccountActive = "active";
inline constexpr const char* kAccountSuspended = "suspended";
inline constexpr const char* kAccountClosed = "closed";

struct Account {
  std::string sid;                // AC…
  std::string owner_account_sid;  // own sid for the main account, the parent's for sub-accounts
  std::string friendly_name;
  std::string status = kAccountActive;  // "active" | "suspended" | "closed"
  std::string type = "Full";
  std::string auth_token;  // 32 hex; generated on create when empty. Never log it.
  Timestamp date_created{};
  Timestamp date_updated{};
  std::int64_t seq = 0;

  bool is_main() const { return sid == owner_account_sid; }
};

struct Domain {
  std::string sid;  // SD…
  std::string account_sid;
  std::string domain_name;  // stored lowercase; lookups are case-insensitive
  std::string friendly_name;
  std::optional<std::string> voice_url;
  std::string voice_method = "POST";
  std::optional<std::string> voice_fallback_url;
  std::string voice_fallback_method = "POST";
  std::optional<std::string> voice_status_callback_url;
  std::string voice_status_callback_method = "POST";
  bool sip_registration = false;
  bool emergency_calling_enabled = false;
  bool secure = false;
  std::optional<std::string> byoc_trunk_sid;        // BY…
  std::optional<std::string> emergency_caller_sid;  // PN…
  Timestamp date_created{};
  Timestamp date_updated{};
  std::int64_t seq = 0;

  // Read-only, filled on every read: whether any list of that kind is mapped
  // for Calls. The API derives `auth_type` from them ("" when neither).
  bool calls_ip_acl_mapped = false;
  bool calls_credential_list_mapped = false;
};

struct CredentialList {
  std::string sid;  // CL…
  std::string account_sid;
  std::string friendly_name;
  Timestamp date_created{};
  Timestamp date_updated{};
  std::int64_t seq = 0;
};

struct Credential {
  std::string sid;  // CR…
  std::string account_sid;
  std::string credential_list_sid;
  std::string username;
  // Hex digests HA1 = H(username:realm:password), MD5 and SHA-256. The
  // cleartext password never reaches the store.
  std::string ha1_md5;
  std::string ha1_sha256;
  Timestamp date_created{};
  Timestamp date_updated{};
  std::int64_t seq = 0;
};

struct IpAccessControlList {
  std::string sid;  // AL…
  std::string account_sid;
  std::string friendly_name;
  Timestamp date_created{};
  Timestamp date_updated{};
  std::int64_t seq = 0;
};

struct IpAddress {
  std::string sid;  // IP…
  std::string account_sid;
  std::string ip_access_control_list_sid;
  std::string friendly_name;
  std::string ip_address;
  int cidr_prefix_length = 0;  // 0 = the single address (contract 4.2)
  Timestamp date_created{};
  Timestamp date_updated{};
  std::int64_t seq = 0;
};

enum class MappingKind { CredentialList, IpAccessControlList };
enum class MappingUsage { Calls, Registrations };

// A list mapped to a domain. The mapping's REST sid is the list's sid
// (CL… or AL…). Legacy and Auth/Calls mappings are the same rows (usage Calls).
struct Mapping {
  std::string domain_sid;
  std::string list_sid;
  MappingKind kind = MappingKind::CredentialList;
  MappingUsage usage = MappingUsage::Calls;
  std::string account_sid;
  std::string friendly_name;  // read-only: the mapped list's friendly_name
  Timestamp date_created{};
  Timestamp date_updated{};
  std::int64_t seq = 0;
};

// One call leg (contract §11). The call pipeline creates it with a sid it
// generated (CA…) and updates it as the call moves on; REST reads it.
// Call and alert writes never move Store::generation(): that number is the
// SIP side's signal to reload domain auth, and call traffic must not churn it.
inline constexpr const char* kCallStatuses[] = {"queued", "ringing", "in-progress", "completed",
                                                "busy",   "failed",  "no-answer",   "canceled"};

struct Call {
  std::string sid;  // CA… (generated when empty)
  std::string account_sid;
  std::optional<std::string> parent_call_sid;
  std::string to;    // SIP URIs for inbound SIP calls
  std::string from;
  std::string status = "ringing";  // one of kCallStatuses (the store refuses others: Invalid)
  std::string direction = "inbound";
  std::optional<Timestamp> start_time;
  std::optional<Timestamp> end_time;
  std::optional<int> duration;  // seconds, set when completed
  std::string api_version = "2010-04-01";
  std::optional<std::string> caller_name;
  std::optional<std::string> forwarded_from;
  std::optional<std::string> trunk_sid;
  // callwire extras, returned in JSON as callwire fields.
  std::string sip_call_id;
  std::optional<std::string> sip_domain_sid;
  std::optional<int> sip_response_code;
  Timestamp date_created{};
  Timestamp date_updated{};
  std::int64_t seq = 0;
};

inline constexpr const char* kAlertLogLevels[] = {"error", "warning", "notice", "debug"};

// A debugger alert (contract §12).
struct Alert {
  std::string sid;  // NO… (generated when empty)
  std::string account_sid;
  std::string error_code;            // "11200"
  std::string log_level = "error";   // one of kAlertLogLevels (others: Invalid)
  std::string alert_text;            // URL-encoded key=value summary
  std::string more_info;             // https://www.twilio.com/docs/errors/<code>
  std::string request_method;
  std::string request_url;
  std::optional<std::string> resource_sid;  // CA…
  // Returned by fetch only (not in lists).
  std::string request_variables;
  std::string request_headers;
  std::string response_body;
  std::string response_headers;
  Timestamp date_created{};
  // When the error happened; the caller may set it, else it is date_created.
  Timestamp date_generated{};
  Timestamp date_updated{};
  std::int64_t seq = 0;
};

// Recording statuses (Twilio's enum plus "failed", which the media engine
// uses when a recording could not be written).
inline constexpr const char* kRecordingStatuses[] = {"in-progress", "paused",  "stopped", "processing",
                                                     "completed",   "absent",  "failed",  "deleted"};

// A call recording (issue 5: <Record>, later record= on Dial). The media
// engine writes the WAV file and this row; REST lists, fetches, serves the
// media and deletes both.
struct Recording {
  std::string sid;  // RE… (generated when empty)
  std::string account_sid;
  std::string call_sid;                        // CA…
  std::optional<std::string> conference_sid;   // CF…; null for call recordings
  std::optional<Timestamp> start_time;
  std::optional<int> duration;  // seconds; null while in progress
  int channels = 1;
  std::string source = "RecordVerb";  // Twilio's source enum (RecordVerb, DialVerb, …)
  std::string status = "in-progress";  // one of kRecordingStatuses (others: Invalid)
  std::optional<int> error_code;
  std::string track = "both";  // inbound | outbound | both
  // The audio file, relative to the data dir (or absolute); empty until
  // written. Internal: never returned by the API.
  std::string media_path;
  Timestamp date_created{};
  Timestamp date_updated{};
  std::int64_t seq = 0;
};

// Where a recording's WAV lives under the data dir, relative to it:
// "recordings/<AccountSid>/<RecordingSid>.wav".
inline std::string recording_media_path(const std::string& account_sid, const std::string& sid) {
  return "recordings/" + account_sid + "/" + sid + ".wav";
}


// Number formats a trunk's carrier expects in the Request-URI and To user.
inline constexpr const char* kTrunkNumberFormatE164 = "e164";                          // +14155551234
inline constexpr const char* kTrunkNumberFormatE164WithoutPlus = "e164-without-plus";  // 14155551234

// An outbound trunk (callwire's extension; SID prefix BY as Twilio's BYOC
// trunks, so <Number byoc="BY…"> can name one). Dial sends calls to PSTN
// numbers through the trunks of the call's account.
struct Trunk {
  std::string sid;  // BY… (generated when empty)
  std::string account_sid;
  std::string friendly_name;
  std::string termination_uri;  // sip:host[:port][;transport=udp|tcp|tls], validated by the API
  std::string username;         // digest credentials for the carrier; "" = none
  // Plaintext in memory only: the store encrypts it (AES-256-GCM, the key of
  // StoreConfig::secret_key_file) on write and decrypts it on read. Never
  // returned by the API, never logged. "" = none.
  std::string password;
  std::vector<std::string> number_prefixes;  // E.164 prefixes ("+1", "+4420"); empty = every number
  int priority = 10;                         // lower is tried first
  int weight = 10;                           // share among trunks of equal priority
  int max_concurrent_calls = 0;              // 0 = unlimited (counted per node)
  std::string caller_id;                     // From number when <Dial callerId> is absent; "" = none
  std::string number_format = kTrunkNumberFormatE164;  // or kTrunkNumberFormatE164WithoutPlus (others: Invalid)
  bool enabled = true;
  Timestamp date_created{};
  Timestamp date_updated{};
  std::int64_t seq = 0;
};

}  // namespace callwire::store
