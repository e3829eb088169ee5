#include "store/sql/migrations.hpp"

#include <array>

namespace callwire::store::sql {

namespace {

// Composite foreign keys (list_sid, account_sid) keep every child in its
// parent's account: a credential cannot be put into another account's list,
// a domain cannot be mapped to another account's ACL.
constexpr std::string_view kInitial = R"sql(
CREATE TABLE config_generation (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  value BIGINT NOT NULL);
INSERT INTO config_generation (id, value) VALUES (1, 0);

CREATE TABLE accounts (
  seq {seq},
  sid TEXT NOT NULL UNIQUE,
  owner_account_sid TEXT NOT NULL REFERENCES accounts (sid) ON DELETE RESTRICT,
  friendly_name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
  type TEXT NOT NULL,
  auth_token TEXT NOT NULL,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL);
CREATE INDEX accounts_owner ON accounts (owner_account_sid, seq);
CREATE UNIQUE INDEX accounts_one_main ON accounts ((sid = owner_account_sid)) WHERE sid = owner_account_sid;

CREATE TABLE domains (
  seq {seq},
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL REFERENCES accounts (sid) ON DELETE RESTRICT,
  domain_name TEXT NOT NULL UNIQUE,
  friendly_name TEXT NOT NULL,
  voice_url TEXT,
  voice_method TEXT NOT NULL,
  voice_fallback_url TEXT,
  voice_fallback_method TEXT NOT NULL,
  voice_status_callback_url TEXT,
  voice_status_callback_method TEXT NOT NULL,
  sip_registration {bool} NOT NULL,
  emergency_calling_enabled {bool} NOT NULL,
  secure {bool} NOT NULL,
  byoc_trunk_sid TEXT,
  emergency_caller_sid TEXT,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL,
  UNIQUE (sid, account_sid));
CREATE INDEX domains_account ON domains (account_sid, seq);

CREATE TABLE credential_lists (
  seq {seq},
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL REFERENCES accounts (sid) ON DELETE RESTRICT,
  friendly_name TEXT NOT NULL,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL,
  UNIQUE (sid, account_sid));
CREATE INDEX credential_lists_account ON credential_lists (account_sid, seq);

CREATE TABLE credentials (
  seq {seq},
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL,
  credential_list_sid TEXT NOT NULL,
  username TEXT NOT NULL,
  ha1_md5 TEXT NOT NULL,
  ha1_sha256 TEXT NOT NULL,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL,
  UNIQUE (credential_list_sid, username),
  FOREIGN KEY (credential_list_sid, account_sid)
    REFERENCES credential_lists (sid, account_sid) ON DELETE CASCADE);
CREATE INDEX credentials_list ON credentials (credential_list_sid, seq);

CREATE TABLE ip_access_control_lists (
  seq {seq},
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL REFERENCES accounts (sid) ON DELETE RESTRICT,
  friendly_name TEXT NOT NULL,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL,
  UNIQUE (sid, account_sid));
CREATE INDEX ip_access_control_lists_account ON ip_access_control_lists (account_sid, seq);

CREATE TABLE ip_addresses (
  seq {seq},
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL,
  ip_access_control_list_sid TEXT NOT NULL,
  friendly_name TEXT NOT NULL,
  ip_address TEXT NOT NULL,
  cidr_prefix_length BIGINT NOT NULL,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL,
  FOREIGN KEY (ip_access_control_list_sid, account_sid)
    REFERENCES ip_access_control_lists (sid, account_sid) ON DELETE CASCADE);
CREATE INDEX ip_addresses_list ON ip_addresses (ip_access_control_list_sid, seq);

-- Mappings: deleting the domain removes them; a mapped list cannot be
-- deleted (RESTRICT; see store/store.hpp).
CREATE TABLE credential_list_mappings (
  seq {seq},
  domain_sid TEXT NOT NULL,
  credential_list_sid TEXT NOT NULL,
  auth_usage TEXT NOT NULL CHECK (auth_usage IN ('calls', 'registrations')),
  account_sid TEXT NOT NULL,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL,
  UNIQUE (domain_sid, credential_list_sid, auth_usage),
  FOREIGN KEY (domain_sid, account_sid) REFERENCES domains (sid, account_sid) ON DELETE CASCADE,
  FOREIGN KEY (credential_list_sid, account_sid)
    REFERENCES credential_lists (sid, account_sid) ON DELETE RESTRICT);
CREATE INDEX credential_list_mappings_domain ON credential_list_mappings (domain_sid, auth_usage, seq);
CREATE INDEX credential_list_mappings_list ON credential_list_mappings (credential_list_sid, account_sid);

CREATE TABLE ip_access_control_list_mappings (
  seq {seq},
  domain_sid TEXT NOT NULL,
  ip_access_control_list_sid TEXT NOT NULL,
  auth_usage TEXT NOT NULL CHECK (auth_usage IN ('calls')),
  account_sid TEXT NOT NULL,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL,
  UNIQUE (domain_sid, ip_access_control_list_sid, auth_usage),
  FOREIGN KEY (domain_sid, account_sid) REFERENCES domains (sid, account_sid) ON DELETE CASCADE,
  FOREIGN KEY (ip_access_control_list_sid, account_sid)
    REFERENCES ip_access_control_lists (sid, account_sid) ON DELETE RESTRICT);
CREATE INDEX ip_access_control_list_mappings_domain ON ip_access_control_list_mappings (domain_sid, auth_usage, seq);
CREATE INDEX ip_access_control_list_mappings_list
  ON ip_access_control_list_mappings (ip_access_control_list_sid, account_sid);
)sql";

// Call logs and debugger alerts. Times are epoch seconds like every other
// date column. No foreign key to domains or parent calls: a log outlives the
// domain it came in on, and a child leg keeps naming its deleted parent.
constexpr std::string_view kCallLogs = R"sql(
CREATE TABLE calls (
  seq {seq},
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
  parent_call_sid TEXT,
  to_uri TEXT NOT NULL,
  from_uri TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'ringing', 'in-progress', 'completed', 'busy', 'failed',
                                         'no-answer', 'canceled')),
  direction TEXT NOT NULL,
  start_time BIGINT,
  end_time BIGINT,
  duration BIGINT,
  api_version TEXT NOT NULL,
  caller_name TEXT,
  forwarded_from TEXT,
  trunk_sid TEXT,
  sip_call_id TEXT NOT NULL,
  sip_domain_sid TEXT,
  sip_response_code BIGINT,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL);
CREATE INDEX calls_account ON calls (account_sid, seq);
CREATE INDEX calls_parent ON calls (parent_call_sid);

CREATE TABLE alerts (
  seq {seq},
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
  error_code TEXT NOT NULL,
  log_level TEXT NOT NULL CHECK (log_level IN ('error', 'warning', 'notice', 'debug')),
  alert_text TEXT NOT NULL,
  more_info TEXT NOT NULL,
  request_method TEXT NOT NULL,
  request_url TEXT NOT NULL,
  resource_sid TEXT,
  request_variables TEXT NOT NULL,
  request_headers TEXT NOT NULL,
  response_body TEXT NOT NULL,
  response_headers TEXT NOT NULL,
  date_created BIGINT NOT NULL,
  date_generated BIGINT NOT NULL,
  date_updated BIGINT NOT NULL);
CREATE INDEX alerts_account ON alerts (account_sid, seq);
)sql";

// Call recordings. call_sid is a plain reference (a recording outlives the
// deletion of its call log, as Twilio keeps them apart). The status CHECK is
// Twilio's enum plus 'failed'.
constexpr std::string_view kRecordings = R"sql(
CREATE TABLE recordings (
  seq {seq},
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
  call_sid TEXT NOT NULL,
  conference_sid TEXT,
  start_time BIGINT,
  duration BIGINT,
  channels BIGINT NOT NULL,
  source TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in-progress', 'paused', 'stopped', 'processing', 'completed', 'absent',
                                         'failed', 'deleted')),
  error_code BIGINT,
  track TEXT NOT NULL,
  media_path TEXT NOT NULL,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL);
CREATE INDEX recordings_account ON recordings (account_sid, seq);
CREATE INDEX recordings_call ON recordings (call_sid, seq);
)sql";

// Outbound trunks (callwire's extension). The password column holds only
// sealed text (secret_box.hpp: "v1:<key id>:<base64>"), never plaintext;
// NULL = no password. number_prefixes is a comma-separated list.
constexpr std::string_view kTrunks = R"sql(
CREATE TABLE trunks (
  seq {seq},
  sid TEXT NOT NULL UNIQUE,
  account_sid TEXT NOT NULL REFERENCES accounts (sid) ON DELETE RESTRICT,
  friendly_name TEXT NOT NULL,
  termination_uri TEXT NOT NULL,
  username TEXT NOT NULL,
  password_sealed TEXT,
  number_prefixes TEXT NOT NULL,
  priority BIGINT NOT NULL,
  weight BIGINT NOT NULL,
  max_concurrent_calls BIGINT NOT NULL,
  caller_id TEXT NOT NULL,
  number_format TEXT NOT NULL CHECK (number_format IN ('e164', 'e164-without-plus')),
  enabled {bool} NOT NULL,
  date_created BIGINT NOT NULL,
  date_updated BIGINT NOT NULL,
  UNIQUE (sid, account_sid));
CREATE INDEX trunks_account ON trunks (account_sid, seq);
)sql";

constexpr std::array kMigrations = {
    Migration{1, "initial schema", kInitial},
    Migration{2, "call logs and alerts", kCallLogs},
    Migration{3, "recordings", kRecordings},
    Migration{4, "outbound trunks", kTrunks},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

std::string render(std::string_view sql, const Dialect& dialect) {
  std::string out;
  out.reserve(sql.size() + 256);
  while (!sql.empty()) {
    const auto brace = sql.find('{');
    if (brace == std::string_view::npos) {
      out += sql;
      break;
    }
    out += sql.substr(0, brace);
    sql.remove_prefix(brace);
    if (sql.starts_with("{seq}")) {
      out += dialect.seq_column;
      sql.remove_prefix(5);
    } else if (sql.starts_with("{bool}")) {
      out += dialect.bool_type;
      sql.remove_prefix(6);
    } else {
      out += '{';
      sql.remove_prefix(1);
    }
  }
  return out;
}

}  // namespace callwire::store::sql
