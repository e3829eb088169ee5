#include "core/sid.hpp"
#include "store/sql/repos.hpp"
#include "store/sql/rows.hpp"

namespace callwire::store::sql {

namespace {

const std::string& select_domains() {
  static const std::string sql = "SELECT " + std::string(kDomainColumns) + " FROM domains d ";
  return sql;
}

Result<std::optional<Domain>> fetch_domain_in(Connection& c, std::string_view account_sid, std::string_view sid) {
  static const std::string sql = select_domains() + "WHERE d.sid = $1 AND d.account_sid = $2";
  return query_one<Domain>(c, sql, {sid, account_sid}, read_domain);
}

// Conflict when `name` belongs to a domain other than `except_sid`.
Status check_name_free(Connection& c, const std::string& name, std::string_view except_sid) {
  static const std::string sql = "SELECT sid FROM domains WHERE domain_name = $1 AND sid <> $2";
  auto other = query_one<std::string>(c, sql, {name, except_sid}, [](const Row& r) { return r.text(0); });
  if (!other) return std::unexpected(other.error());
  if (*other) return fail(Errc::Conflict, "Domain " + name + " already exists.");
  return {};
}

}  // namespace

Result<Domain> SqlDomainStore::create(const Domain& domain) {
  return db_.write<Domain>([&](Connection& c) -> Result<Domain> {
    Domain d = domain;
    d.domain_name = lower(domain.domain_name);
    if (d.sid.empty()) d.sid = make_sid("SD");
    d.date_created = d.date_updated = now_seconds();
    d.calls_ip_acl_mapped = d.calls_credential_list_mapped = false;

    static const std::string account_sql = "SELECT 1 FROM accounts WHERE sid = $1";
    auto account = query_one<int>(c, account_sql, {d.account_sid}, [](const Row&) { return 1; });
    if (!account) return std::unexpected(account.error());
    if (!*account) return fail(Errc::ForeignKey, "account " + d.account_sid + " not found");
    if (auto ok = check_name_free(c, d.domain_name, ""); !ok) return std::unexpected(ok.error());

    static const std::string sql =
        "INSERT INTO domains (sid, account_sid, domain_name, friendly_name, voice_url, voice_method, "
        "voice_fallback_url, voice_fallback_method, voice_status_callback_url, voice_status_callback_method, "
        "sip_registration, emergency_calling_enabled, secure, byoc_trunk_sid, emergency_caller_sid, date_created, "
        "date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) "
        "RETURNING seq";
    auto seq = query_one<std::int64_t>(
        c, sql,
        {d.sid, d.account_sid, d.domain_name, d.friendly_name, d.voice_url, d.voice_method, d.voice_fallback_url,
         d.voice_fallback_method, d.voice_status_callback_url, d.voice_status_callback_method, d.sip_registration,
         d.emergency_calling_enabled, d.secure, d.byoc_trunk_sid, d.emergency_caller_sid, to_db(d.date_created)},
        [](const Row& r) { return r.integer(0); });
    if (!seq) return with_detail<Domain>(std::unexpected(seq.error()), Errc::Conflict, "domain sid exists");
    d.seq = **seq;
    return d;
  });
}

Result<Domain> SqlDomainStore::fetch(std::string_view account_sid, std::string_view sid) {
  auto d = db_.once<std::optional<Domain>>([&](Connection& c) { return fetch_domain_in(c, account_sid, sid); });
  if (!d) return std::unexpected(d.error());
  if (!*d) return fail(Errc::NotFound, "domain not found");
  return **d;
}

Result<Domain> SqlDomainStore::find_by_name(std::string_view domain_name) {
  static const std::string sql = select_domains() + "WHERE d.domain_name = $1";
  const std::string name = lower(domain_name);
  auto d = db_.once<std::optional<Domain>>(
      [&](Connection& c) { return query_one<Domain>(c, sql, {name}, read_domain); });
  if (!d) return std::unexpected(d.error());
  if (!*d) return fail(Errc::NotFound, "domain not found");
  return **d;
}

Result<Page<Domain>> SqlDomainStore::list(std::string_view account_sid, const PageRequest& page) {
  static const std::string sql = select_domains() + "WHERE d.account_sid = $1 AND d.seq > $2 ORDER BY d.seq LIMIT $3";
  auto rows = db_.once<std::vector<Domain>>([&](Connection& c) {
    return query<Domain>(c, sql, {account_sid, page.after_seq, page_limit(page)}, read_domain);
  });
  if (!rows) return std::unexpected(rows.error());
  return make_page(std::move(*rows), page);
}

Result<std::size_t> SqlDomainStore::count(std::string_view account_sid) {
  return db_.once<std::size_t>([&](Connection& c) -> Result<std::size_t> {
    auto n = query_one<std::int64_t>(c, "SELECT COUNT(*) FROM domains WHERE account_sid = $1", {account_sid},
                                     [](const Row& r) { return r.integer(0); });
    if (!n) return std::unexpected(n.error());
    return static_cast<std::size_t>(n->value_or(0));
  });
}

Result<Domain> SqlDomainStore::update(const Domain& domain) {
  return db_.write<Domain>([&](Connection& c) -> Result<Domain> {
    const std::string name = lower(domain.domain_name);
    // NotFound before Conflict: another account's sid must not learn anything.
    auto current = fetch_domain_in(c, domain.account_sid, domain.sid);
    if (!current) return std::unexpected(current.error());
    if (!*current) return fail(Errc::NotFound, "domain not found");
    if (auto ok = check_name_free(c, name, domain.sid); !ok) return std::unexpected(ok.error());
    static const std::string sql =
        "UPDATE domains SET domain_name = $1, friendly_name = $2, voice_url = $3, voice_method = $4, "
        "voice_fallback_url = $5, voice_fallback_method = $6, voice_status_callback_url = $7, "
        "voice_status_callback_method = $8, sip_registration = $9, emergency_calling_enabled = $10, secure = $11, "
        "byoc_trunk_sid = $12, emergency_caller_sid = $13, date_updated = $14 WHERE sid = $15 AND account_sid = $16";
    const Domain& d = domain;
    auto changed = run(c, sql,
                       {name, d.friendly_name, d.voice_url, d.voice_method, d.voice_fallback_url,
                        d.voice_fallback_method, d.voice_status_callback_url, d.voice_status_callback_method,
                        d.sip_registration, d.emergency_calling_enabled, d.secure, d.byoc_trunk_sid,
                        d.emergency_caller_sid, to_db(now_seconds()), d.sid, d.account_sid});
    if (!changed) return with_detail<Domain>(std::unexpected(changed.error()), Errc::Conflict,
                                             "Domain " + name + " already exists.");
    if (*changed == 0) return fail(Errc::NotFound, "domain not found");
    auto fresh = fetch_domain_in(c, d.account_sid, d.sid);
    if (!fresh) return std::unexpected(fresh.error());
    if (!*fresh) return fail(Errc::NotFound, "domain not found");
    return **fresh;
  });
}

Status SqlDomainStore::remove(std::string_view account_sid, std::string_view sid) {
  auto r = db_.write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
    auto n = run(c, "DELETE FROM domains WHERE sid = $1 AND account_sid = $2", {sid, account_sid});
    if (!n) return std::unexpected(n.error());
    if (*n == 0) return fail(Errc::NotFound, "domain not found");
    return std::monostate{};
  });
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace callwire::store::sql
