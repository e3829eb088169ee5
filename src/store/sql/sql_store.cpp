#include "store/sql/repos.hpp"
#include "store/sql/rows.hpp"

namespace callwire::store::sql {

SqlStore::SqlStore(std::unique_ptr<Database> db, std::string secret_key_file)
    : db_(std::move(db)),
      accounts_(*db_),
      domains_(*db_),
      credential_lists_(*db_, ListTable{"credential_lists", "credential_list_mappings", "credential_list_sid",
                                        "credential list"}),
      credentials_(*db_),
      ip_access_control_lists_(*db_, ListTable{"ip_access_control_lists", "ip_access_control_list_mappings",
                                               "ip_access_control_list_sid", "IP access control list"}),
      ip_addresses_(*db_),
      mappings_(*db_),
      calls_(*db_),
      alerts_(*db_),
      recordings_(*db_),
      secrets_(std::move(secret_key_file)),
      trunks_(*db_, secrets_) {}

Result<std::optional<DomainAuth>> SqlStore::domain_auth(std::string_view domain_name) {
  static const std::string domain_sql =
      "SELECT " + std::string(kDomainColumns) + " FROM domains d WHERE d.domain_name = $1";
  static const std::string status_sql =
      "SELECT a.status, o.status FROM accounts a JOIN accounts o ON o.sid = a.owner_account_sid WHERE a.sid = $1";
  static const std::string acl_sql =
      "SELECT ip_access_control_list_sid FROM ip_access_control_list_mappings "
      "WHERE domain_sid = $1 AND auth_usage = 'calls' ORDER BY seq";
  static const std::string ip_sql =
      "SELECT i.ip_address, i.cidr_prefix_length, i.ip_access_control_list_sid FROM ip_addresses i "
      "JOIN ip_access_control_list_mappings m ON m.ip_access_control_list_sid = i.ip_access_control_list_sid "
      "WHERE m.domain_sid = $1 AND m.auth_usage = 'calls' ORDER BY m.seq, i.seq";
  static const std::string cl_sql =
      "SELECT credential_list_sid, auth_usage FROM credential_list_mappings WHERE domain_sid = $1 ORDER BY seq";
  static const std::string user_sql =
      "SELECT c.username, c.ha1_md5, c.ha1_sha256, c.credential_list_sid, m.auth_usage FROM credentials c "
      "JOIN credential_list_mappings m ON m.credential_list_sid = c.credential_list_sid "
      "WHERE m.domain_sid = $1 ORDER BY m.seq, c.seq";

  const std::string name = lower(domain_name);
  return db_->read<std::optional<DomainAuth>>([&](Connection& c) -> Result<std::optional<DomainAuth>> {
    auto domain = query_one<Domain>(c, domain_sql, {name}, read_domain);
    if (!domain) return std::unexpected(domain.error());
    if (!*domain) return std::optional<DomainAuth>{};
    DomainAuth auth;
    auth.domain = std::move(**domain);
    const std::string& sid = auth.domain.sid;

    auto status = run(c, status_sql, {auth.domain.account_sid}, [&](const Row& r) {
      auth.account_status = r.text(0);
      auth.owner_account_status = r.text(1);
    });
    if (!status) return std::unexpected(status.error());

    auto acls = run(c, acl_sql, {sid}, [&](const Row& r) { auth.call_ip_acl_sids.push_back(r.text(0)); });
    if (!acls) return std::unexpected(acls.error());
    auto ips = run(c, ip_sql, {sid}, [&](const Row& r) {
      auth.call_ips.push_back(IpRule{r.text(0), static_cast<int>(r.integer(1)), r.text(2)});
    });
    if (!ips) return std::unexpected(ips.error());
    auto lists = run(c, cl_sql, {sid}, [&](const Row& r) {
      (r.text(1) == "calls" ? auth.call_credential_list_sids : auth.registration_credential_list_sids)
          .push_back(r.text(0));
    });
    if (!lists) return std::unexpected(lists.error());
    auto users = run(c, user_sql, {sid}, [&](const Row& r) {
      DigestUser u{r.text(0), r.text(1), r.text(2), r.text(3)};
      (r.text(4) == "calls" ? auth.call_users : auth.registration_users).push_back(std::move(u));
    });
    if (!users) return std::unexpected(users.error());
    return std::optional<DomainAuth>(std::move(auth));
  });
}

}  // namespace callwire::store::sql
