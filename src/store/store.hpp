#pragma once
// callwire storage layer: tenant data (accounts, SIP domains, credential
// lists, IP ACLs, domain mappings), call logs, debugger alerts and
// recordings behind one
// repository interface per resource. Two backends implement it, chosen only by StoreConfig in
// open_store() (store/open_store.hpp): SQLite (embedded default, file
// DATA_DIR/callwire.db, mode 0600) and PostgreSQL (libpq, many nodes).
// Nothing outside src/store knows which one runs.
//
// Threading: every method is synchronous and may block on disk or network.
// Call it from a blocking worker pool, NEVER from an I/O (io_context) thread.
// Every method is thread-safe; the store holds a small connection pool.
//
// Errors: callwire::Result with store::Errc (store/errc.hpp): NotFound,
// Conflict (unique violation), ForeignKey (parent missing / still
// referenced), Invalid, Unavailable (database down), Internal.
//
// Scoping: every per-account read or write takes the account_sid and treats
// another account's sid as NotFound. The API decides which account a caller
// may name (main account → its sub-accounts); the store does not.
//
// Decisions:
// - Deleting a credential list or IP ACL that is still mapped to a domain is
//   refused with ForeignKey (ON DELETE RESTRICT). Cascading the mapping away
//   would silently change a domain's authentication: with an ACL and a
//   credential list both mapped (both required), deleting the credential list
//   would leave an IP-only domain. The API reports it as a 400 naming the
//   mapping. Deleting a domain deletes its mappings; deleting an unmapped list
//   deletes its credentials / addresses.
// - Paging is keyset on an insertion sequence (paging.hpp): stable while rows
//   are added or removed between pages.
// - generation() increases with every committed write of tenant
//   configuration (bumped inside the write's transaction), so a reader can
//   cache a snapshot (domain_auth) and refresh it when the number moves.
//   Call-log and alert writes do not bump it: a busy server would otherwise
//   invalidate the SIP side's cache on every call.
// - Calls and alerts belong to an account (ON DELETE CASCADE: accounts are
//   never deleted by callwire, but removing one by hand takes its logs
//   along). They outlive the domain a call came in on (sip_domain_sid is a
//   plain reference), as Twilio keeps call logs of deleted domains.
// - Every write that belongs together (row + generation bump, list + its
//   children on delete) is one transaction; a method returns success only
//   after COMMIT, so an acknowledged write survives kill -9 (tested) and, with
//   SQLite's WAL + synchronous=FULL, power loss. Concurrent writes are
//   group-committed (one fsync for a batch, each write in its own savepoint,
//   so one failing write never takes another down): throughput grows with
//   the number of callers writing at once.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/account_store.hpp"
#include "store/alert_store.hpp"
#include "store/call_store.hpp"
#include "store/credential_list_store.hpp"
#include "store/credential_store.hpp"
#include "store/domain_auth.hpp"
#include "store/domain_mapping_store.hpp"
#include "store/domain_store.hpp"
#include "store/errc.hpp"
#include "store/ip_access_control_list_store.hpp"
#include "store/ip_address_store.hpp"
#include "store/models.hpp"
#include "store/paging.hpp"
#include "store/recording_store.hpp"
#include "store/trunk_store.hpp"

namespace callwire::store {

struct StoreConfig {
  // PostgreSQL when set ("postgres://…" or "postgresql://…", libpq syntax).
  std::string db_url{};
  // Otherwise SQLite: DATA_DIR/callwire.db (directory created 0700 if missing).
  std::string data_dir{};
  // Connections kept open (each has its own prepared-statement cache). Size
  // it like the blocking pool that calls the store; writes use one at a time.
  int pool_size = 4;
  // How long a call waits for a free connection or a lock before Unavailable.
  int busy_timeout_ms = 5000;
  // The AES-256-GCM key that encrypts trunk passwords at rest: a file of 32
  // raw bytes (or 64 hex digits). Empty = DATA_DIR/secret.key. A missing file
  // is created (mode 0600, 32 random bytes) on first use; nodes sharing a
  // PostgreSQL database must all be given the same file.
  std::string secret_key_file{};
};

class Store {
 public:
  virtual ~Store() = default;

  virtual AccountStore& accounts() = 0;
  virtual DomainStore& domains() = 0;
  virtual CredentialListStore& credential_lists() = 0;
  virtual CredentialStore& credentials() = 0;
  virtual IpAccessControlListStore& ip_access_control_lists() = 0;
  virtual IpAddressStore& ip_addresses() = 0;
  virtual DomainMappingStore& mappings() = 0;
  // Call logs and debugger alerts. Their writes do not move generation().
  virtual CallStore& calls() = 0;
  virtual AlertStore& alerts() = 0;
  // Call recordings (rows only; the media files live in the data dir).
  virtual RecordingStore& recordings() = 0;
  // Outbound trunks (callwire's extension). Writes move generation().
  virtual TrunkStore& trunks() = 0;

  // Everything the SIP side needs for `domain_name` (any case), read in one
  // transaction; nullopt when no such domain exists.
  [[nodiscard]] virtual Result<std::optional<DomainAuth>> domain_auth(std::string_view domain_name) = 0;

  // Increases on every committed write. SQLite: a memory read. PostgreSQL:
  // one single-row SELECT (writes from other nodes count too); on a database
  // error it returns the last value it saw.
  virtual std::uint64_t generation() = 0;

  // For startup logs: "sqlite /var/lib/callwire/callwire.db" or
  // "postgresql host:port/db" (never a password).
  virtual std::string describe() const = 0;
};

}  // namespace callwire::store
