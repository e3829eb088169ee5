#pragma once
// The repository implementations, written once against sql::Connection and
// shared by both backends.
#include <string>
#include <variant>

#include "store/store.hpp"
#include "store/sql/database.hpp"
#include "store/sql/secret_box.hpp"

namespace callwire::store::sql {

class SqlAccountStore final : public AccountStore {
 public:
  explicit SqlAccountStore(Database& db) : db_(db) {}
  Result<Account> ensure_main_account(std::optional<std::string> sid,
                                      std::optional<std::string> auth_token) override;
  Result<Account> main_account() override;
  Result<Account> create_subaccount(const Account& account) override;
  Result<Account> fetch(std::string_view sid) override;
  Result<Page<Account>> list_children(std::string_view owner_sid, const AccountFilter& filter,
                                      const PageRequest& page) override;
  Result<Account> update(const Account& account) override;

 private:
  Database& db_;
};

class SqlDomainStore final : public DomainStore {
 public:
  explicit SqlDomainStore(Database& db) : db_(db) {}
  Result<Domain> create(const Domain& domain) override;
  Result<Domain> fetch(std::string_view account_sid, std::string_view sid) override;
  Result<Domain> find_by_name(std::string_view domain_name) override;
  Result<Page<Domain>> list(std::string_view account_sid, const PageRequest& page) override;
  Result<std::size_t> count(std::string_view account_sid) override;
  Result<Domain> update(const Domain& domain) override;
  Status remove(std::string_view account_sid, std::string_view sid) override;

 private:
  Database& db_;
};

// Credential lists and IP ACLs share a shape; `Table` names the tables.
struct ListTable {
  std::string_view table;          // credential_lists | ip_access_control_lists
  std::string_view mapping_table;  // the mappings that pin a list
  std::string_view mapping_column;
  std::string_view label;  // "credential list" | "IP access control list"
};

template <class Model, class Interface>
class SqlListStore final : public Interface {
 public:
  SqlListStore(Database& db, ListTable t);
  Result<Model> create(const Model& list) override;
  Result<Model> fetch(std::string_view account_sid, std::string_view sid) override;
  Result<Page<Model>> list(std::string_view account_sid, const PageRequest& page) override;
  Result<std::size_t> count(std::string_view account_sid) override;
  Result<Model> update(const Model& list) override;
  Status remove(std::string_view account_sid, std::string_view sid) override;

 private:
  Database& db_;
  ListTable t_;
  std::string insert_, fetch_, list_, count_, update_, mapped_, delete_;
};

using SqlCredentialListStore = SqlListStore<CredentialList, CredentialListStore>;
using SqlIpAccessControlListStore = SqlListStore<IpAccessControlList, IpAccessControlListStore>;

class SqlCredentialStore final : public CredentialStore {
 public:
  explicit SqlCredentialStore(Database& db) : db_(db) {}
  Result<Credential> create(const Credential& credential) override;
  Result<Credential> fetch(std::string_view account_sid, std::string_view list_sid, std::string_view sid) override;
  Result<Page<Credential>> list(std::string_view account_sid, std::string_view list_sid,
                                const PageRequest& page) override;
  Result<std::size_t> count(std::string_view account_sid, std::string_view list_sid) override;
  Result<Credential> update(const Credential& credential) override;
  Status remove(std::string_view account_sid, std::string_view list_sid, std::string_view sid) override;

 private:
  Database& db_;
};

class SqlIpAddressStore final : public IpAddressStore {
 public:
  explicit SqlIpAddressStore(Database& db) : db_(db) {}
  Result<IpAddress> create(const IpAddress& address) override;
  Result<IpAddress> fetch(std::string_view account_sid, std::string_view list_sid, std::string_view sid) override;
  Result<Page<IpAddress>> list(std::string_view account_sid, std::string_view list_sid,
                               const PageRequest& page) override;
  Result<std::size_t> count(std::string_view account_sid, std::string_view list_sid) override;
  Result<IpAddress> update(const IpAddress& address) override;
  Status remove(std::string_view account_sid, std::string_view list_sid, std::string_view sid) override;

 private:
  Database& db_;
};

class SqlDomainMappingStore final : public DomainMappingStore {
 public:
  explicit SqlDomainMappingStore(Database& db) : db_(db) {}
  Result<Mapping> map(const MappingKey& key, std::string_view list_sid) override;
  Result<Mapping> fetch(const MappingKey& key, std::string_view list_sid) override;
  Result<Page<Mapping>> list(const MappingKey& key, const PageRequest& page) override;
  Status unmap(const MappingKey& key, std::string_view list_sid) override;
  Result<std::vector<Mapping>> list_by_list(std::string_view account_sid, std::string_view list_sid) override;

 private:
  Database& db_;
};

class SqlCallStore final : public CallStore {
 public:
  explicit SqlCallStore(Database& db) : db_(db) {}
  Result<Call> create(const Call& call) override;
  Result<Call> update(const Call& call) override;
  Status save(const std::vector<Call>& calls) override;
  Result<Call> fetch(std::string_view account_sid, std::string_view sid) override;
  Result<Page<Call>> list(std::string_view account_sid, const CallFilter& filter, const PageRequest& page) override;
  Status remove(std::string_view account_sid, std::string_view sid) override;

 private:
  Database& db_;
};

class SqlAlertStore final : public AlertStore {
 public:
  explicit SqlAlertStore(Database& db) : db_(db) {}
  Result<Alert> create(const Alert& alert) override;
  Result<Alert> fetch(std::string_view account_sid, std::string_view sid) override;
  Result<Page<Alert>> list(std::string_view account_sid, const AlertFilter& filter, const PageRequest& page) override;
  Status remove(std::string_view account_sid, std::string_view sid) override;

 private:
  Database& db_;
};

class SqlRecordingStore final : public RecordingStore {
 public:
  explicit SqlRecordingStore(Database& db) : db_(db) {}
  Result<Recording> save(const Recording& recording) override;
  Result<Recording> fetch(std::string_view account_sid, std::string_view sid) override;
  Result<Page<Recording>> list(std::string_view account_sid, const RecordingFilter& filter,
                               const PageRequest& page) override;
  Result<Page<Recording>> list_by_call(std::string_view account_sid, std::string_view call_sid,
                                       const PageRequest& page) override;
  Status remove(std::string_view account_sid, std::string_view sid) override;

 private:
  Database& db_;
};

// A trunk row as stored: the trunk without its password, and the sealed text.
struct TrunkRowData {
  Trunk trunk;
  std::optional<std::string> sealed;
};

class SqlTrunkStore final : public TrunkStore {
 public:
  SqlTrunkStore(Database& db, SecretBox& secrets) : db_(db), secrets_(secrets) {}
  Result<Trunk> create(const Trunk& trunk) override;
  Result<Trunk> fetch(std::string_view account_sid, std::string_view sid) override;
  Result<Page<Trunk>> list(std::string_view account_sid, const PageRequest& page) override;
  Result<std::vector<Trunk>> list_all(std::string_view account_sid) override;
  Result<std::size_t> count(std::string_view account_sid) override;
  Result<Trunk> update(const Trunk& trunk) override;
  Status remove(std::string_view account_sid, std::string_view sid) override;

 private:
  Result<Trunk> opened(TrunkRowData row);
  Result<std::optional<std::string>> sealed(const Trunk& trunk);

  Database& db_;
  SecretBox& secrets_;
};

// Store over one Database; owns it and the repositories.
class SqlStore final : public Store {
 public:
  // `secret_key_file`: the key of trunk passwords (secret_box.hpp).
  explicit SqlStore(std::unique_ptr<Database> db, std::string secret_key_file = {});
  AccountStore& accounts() override { return accounts_; }
  DomainStore& domains() override { return domains_; }
  CredentialListStore& credential_lists() override { return credential_lists_; }
  CredentialStore& credentials() override { return credentials_; }
  IpAccessControlListStore& ip_access_control_lists() override { return ip_access_control_lists_; }
  IpAddressStore& ip_addresses() override { return ip_addresses_; }
  DomainMappingStore& mappings() override { return mappings_; }
  CallStore& calls() override { return calls_; }
  AlertStore& alerts() override { return alerts_; }
  RecordingStore& recordings() override { return recordings_; }
  TrunkStore& trunks() override { return trunks_; }
  Result<std::optional<DomainAuth>> domain_auth(std::string_view domain_name) override;
  std::uint64_t generation() override { return db_->generation(); }
  std::string describe() const override { return db_->description(); }

 private:
  std::unique_ptr<Database> db_;
  SqlAccountStore accounts_;
  SqlDomainStore domains_;
  SqlCredentialListStore credential_lists_;
  SqlCredentialStore credentials_;
  SqlIpAccessControlListStore ip_access_control_lists_;
  SqlIpAddressStore ip_addresses_;
  SqlDomainMappingStore mappings_;
  SqlCallStore calls_;
  SqlAlertStore alerts_;
  SqlRecordingStore recordings_;
  SecretBox secrets_;
  SqlTrunkStore trunks_;
};

// Replaces a constraint error's database text with `detail` (keeps the code).
template <class T>
Result<T> with_detail(Result<T> r, Errc code, std::string detail) {
  if (!r && is(r.error(), code)) r.error().detail = std::move(detail);
  return r;
}

}  // namespace callwire::store::sql
