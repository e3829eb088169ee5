// Credentials (in credential lists) and IP addresses (in IP ACLs).
#include "core/sid.hpp"
#include "store/sql/repos.hpp"
#include "store/sql/rows.hpp"

namespace callwire::store::sql {

namespace {

const std::string& select_credentials() {
  static const std::string sql = "SELECT " + std::string(kCredentialColumns) + " FROM credentials ";
  return sql;
}
const std::string& select_ip_addresses() {
  static const std::string sql = "SELECT " + std::string(kIpAddressColumns) + " FROM ip_addresses ";
  return sql;
}

// ForeignKey unless list `sid` of `table` is in `account_sid`.
Status check_parent(Connection& c, std::string_view table, std::string_view label, std::string_view account_sid,
                    std::string_view sid) {
  const std::string sql = table == "credential_lists"
                              ? "SELECT 1 FROM credential_lists WHERE sid = $1 AND account_sid = $2"
                              : "SELECT 1 FROM ip_access_control_lists WHERE sid = $1 AND account_sid = $2";
  auto found = query_one<int>(c, sql, {sid, account_sid}, [](const Row&) { return 1; });
  if (!found) return std::unexpected(found.error());
  if (!*found) return fail(Errc::ForeignKey, std::string(label) + " " + std::string(sid) + " not found");
  return {};
}

// Conflict when `username` is taken in the list by a credential other than `except_sid`.
Status check_username_free(Connection& c, std::string_view list_sid, std::string_view username,
                           std::string_view except_sid) {
  static const std::string sql =
      "SELECT 1 FROM credentials WHERE credential_list_sid = $1 AND username = $2 AND sid <> $3";
  auto found = query_one<int>(c, sql, {list_sid, username, except_sid}, [](const Row&) { return 1; });
  if (!found) return std::unexpected(found.error());
  if (*found) return fail(Errc::Conflict, "username " + std::string(username) + " already exists in this list");
  return {};
}

Result<std::size_t> count_of(Result<std::optional<std::int64_t>> n) {
  if (!n) return std::unexpected(n.error());
  return static_cast<std::size_t>(n->value_or(0));
}

}  // namespace

// --- credentials

Result<Credential> SqlCredentialStore::create(const Credential& credential) {
  return db_.write<Credential>([&](Connection& c) -> Result<Credential> {
    Credential cr = credential;
    if (cr.sid.empty()) cr.sid = make_sid("CR");
    cr.date_created = cr.date_updated = now_seconds();
    if (auto ok = check_parent(c, "credential_lists", "credential list", cr.account_sid, cr.credential_list_sid); !ok)
      return std::unexpected(ok.error());
    if (auto ok = check_username_free(c, cr.credential_list_sid, cr.username, ""); !ok)
      return std::unexpected(ok.error());
    static const std::string sql =
        "INSERT INTO credentials (sid, account_sid, credential_list_sid, username, ha1_md5, ha1_sha256, "
        "date_created, date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING seq";
    auto seq = query_one<std::int64_t>(
        c, sql, {cr.sid, cr.account_sid, cr.credential_list_sid, cr.username, cr.ha1_md5, cr.ha1_sha256,
                 to_db(cr.date_created)},
        [](const Row& r) { return r.integer(0); });
    if (!seq) return with_detail<Credential>(std::unexpected(seq.error()), Errc::Conflict, "credential exists");
    cr.seq = **seq;
    return cr;
  });
}

Result<Credential> SqlCredentialStore::fetch(std::string_view account_sid, std::string_view list_sid,
                                             std::string_view sid) {
  static const std::string sql = select_credentials() + "WHERE sid = $1 AND credential_list_sid = $2 AND account_sid = $3";
  auto cr = db_.once<std::optional<Credential>>(
      [&](Connection& c) { return query_one<Credential>(c, sql, {sid, list_sid, account_sid}, read_credential); });
  if (!cr) return std::unexpected(cr.error());
  if (!*cr) return fail(Errc::NotFound, "credential not found");
  return **cr;
}

Result<Page<Credential>> SqlCredentialStore::list(std::string_view account_sid, std::string_view list_sid,
                                                  const PageRequest& page) {
  static const std::string sql =
      select_credentials() + "WHERE credential_list_sid = $1 AND account_sid = $2 AND seq > $3 ORDER BY seq LIMIT $4";
  auto rows = db_.once<std::vector<Credential>>([&](Connection& c) {
    return query<Credential>(c, sql, {list_sid, account_sid, page.after_seq, page_limit(page)}, read_credential);
  });
  if (!rows) return std::unexpected(rows.error());
  return make_page(std::move(*rows), page);
}

Result<std::size_t> SqlCredentialStore::count(std::string_view account_sid, std::string_view list_sid) {
  return db_.once<std::size_t>([&](Connection& c) {
    return count_of(query_one<std::int64_t>(
        c, "SELECT COUNT(*) FROM credentials WHERE credential_list_sid = $1 AND account_sid = $2",
        {list_sid, account_sid}, [](const Row& r) { return r.integer(0); }));
  });
}

Result<Credential> SqlCredentialStore::update(const Credential& credential) {
  return db_.write<Credential>([&](Connection& c) -> Result<Credential> {
    const Credential& cr = credential;
    static const std::string exists_sql =
        "SELECT 1 FROM credentials WHERE sid = $1 AND credential_list_sid = $2 AND account_sid = $3";
    auto exists = query_one<int>(c, exists_sql, {cr.sid, cr.credential_list_sid, cr.account_sid},
                                 [](const Row&) { return 1; });
    if (!exists) return std::unexpected(exists.error());
    if (!*exists) return fail(Errc::NotFound, "credential not found");
    if (auto ok = check_username_free(c, cr.credential_list_sid, cr.username, cr.sid); !ok)
      return std::unexpected(ok.error());
    static const std::string sql =
        "UPDATE credentials SET username = $1, ha1_md5 = $2, ha1_sha256 = $3, date_updated = $4 "
        "WHERE sid = $5 AND credential_list_sid = $6 AND account_sid = $7 RETURNING " +
        std::string(kCredentialColumns);
    auto out = query_one<Credential>(c, sql,
                                     {cr.username, cr.ha1_md5, cr.ha1_sha256, to_db(now_seconds()), cr.sid,
                                      cr.credential_list_sid, cr.account_sid},
                                     read_credential);
    if (!out) return std::unexpected(out.error());
    if (!*out) return fail(Errc::NotFound, "credential not found");
    return **out;
  });
}

Status SqlCredentialStore::remove(std::string_view account_sid, std::string_view list_sid, std::string_view sid) {
  auto r = db_.write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
    auto n = run(c, "DELETE FROM credentials WHERE sid = $1 AND credential_list_sid = $2 AND account_sid = $3",
                 {sid, list_sid, account_sid});
    if (!n) return std::unexpected(n.error());
    if (*n == 0) return fail(Errc::NotFound, "credential not found");
    return std::monostate{};
  });
  if (!r) return std::unexpected(r.error());
  return {};
}

// --- IP addresses

Result<IpAddress> SqlIpAddressStore::create(const IpAddress& address) {
  return db_.write<IpAddress>([&](Connection& c) -> Result<IpAddress> {
    IpAddress a = address;
    if (a.sid.empty()) a.sid = make_sid("IP");
    a.date_created = a.date_updated = now_seconds();
    if (auto ok = check_parent(c, "ip_access_control_lists", "IP access control list", a.account_sid,
                               a.ip_access_control_list_sid);
        !ok)
      return std::unexpected(ok.error());
    static const std::string sql =
        "INSERT INTO ip_addresses (sid, account_sid, ip_access_control_list_sid, friendly_name, ip_address, "
        "cidr_prefix_length, date_created, date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING seq";
    auto seq = query_one<std::int64_t>(c, sql,
                                       {a.sid, a.account_sid, a.ip_access_control_list_sid, a.friendly_name,
                                        a.ip_address, a.cidr_prefix_length, to_db(a.date_created)},
                                       [](const Row& r) { return r.integer(0); });
    if (!seq) return with_detail<IpAddress>(std::unexpected(seq.error()), Errc::Conflict, "IP address sid exists");
    a.seq = **seq;
    return a;
  });
}

Result<IpAddress> SqlIpAddressStore::fetch(std::string_view account_sid, std::string_view list_sid,
                                           std::string_view sid) {
  static const std::string sql =
      select_ip_addresses() + "WHERE sid = $1 AND ip_access_control_list_sid = $2 AND account_sid = $3";
  auto a = db_.once<std::optional<IpAddress>>(
      [&](Connection& c) { return query_one<IpAddress>(c, sql, {sid, list_sid, account_sid}, read_ip_address); });
  if (!a) return std::unexpected(a.error());
  if (!*a) return fail(Errc::NotFound, "IP address not found");
  return **a;
}

Result<Page<IpAddress>> SqlIpAddressStore::list(std::string_view account_sid, std::string_view list_sid,
                                                const PageRequest& page) {
  static const std::string sql = select_ip_addresses() +
                                 "WHERE ip_access_control_list_sid = $1 AND account_sid = $2 AND seq > $3 "
                                 "ORDER BY seq LIMIT $4";
  auto rows = db_.once<std::vector<IpAddress>>([&](Connection& c) {
    return query<IpAddress>(c, sql, {list_sid, account_sid, page.after_seq, page_limit(page)}, read_ip_address);
  });
  if (!rows) return std::unexpected(rows.error());
  return make_page(std::move(*rows), page);
}

Result<std::size_t> SqlIpAddressStore::count(std::string_view account_sid, std::string_view list_sid) {
  return db_.once<std::size_t>([&](Connection& c) {
    return count_of(query_one<std::int64_t>(
        c, "SELECT COUNT(*) FROM ip_addresses WHERE ip_access_control_list_sid = $1 AND account_sid = $2",
        {list_sid, account_sid}, [](const Row& r) { return r.integer(0); }));
  });
}

Result<IpAddress> SqlIpAddressStore::update(const IpAddress& address) {
  return db_.write<IpAddress>([&](Connection& c) -> Result<IpAddress> {
    const IpAddress& a = address;
    static const std::string sql =
        "UPDATE ip_addresses SET friendly_name = $1, ip_address = $2, cidr_prefix_length = $3, date_updated = $4 "
        "WHERE sid = $5 AND ip_access_control_list_sid = $6 AND account_sid = $7 RETURNING " +
        std::string(kIpAddressColumns);
    auto out = query_one<IpAddress>(c, sql,
                                    {a.friendly_name, a.ip_address, a.cidr_prefix_length, to_db(now_seconds()), a.sid,
                                     a.ip_access_control_list_sid, a.account_sid},
                                    read_ip_address);
    if (!out) return std::unexpected(out.error());
    if (!*out) return fail(Errc::NotFound, "IP address not found");
    return **out;
  });
}

Status SqlIpAddressStore::remove(std::string_view account_sid, std::string_view list_sid, std::string_view sid) {
  auto r = db_.write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
    auto n = run(c,
                 "DELETE FROM ip_addresses WHERE sid = $1 AND ip_access_control_list_sid = $2 AND account_sid = $3",
                 {sid, list_sid, account_sid});
    if (!n) return std::unexpected(n.error());
    if (*n == 0) return fail(Errc::NotFound, "IP address not found");
    return std::monostate{};
  });
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace callwire::store::sql
