#include "store/sql/repos.hpp"
#include "store/sql/rows.hpp"

namespace callwire::store::sql {

namespace {

// The SQL for one kind of mapping (two tables, same shape).
struct MappingSql {
  std::string domain_exists, list_name, exists, insert, select, list, remove, by_list;
  std::string_view label;
};

MappingSql make_sql(std::string_view mapping_table, std::string_view list_table, std::string_view list_column,
                    std::string_view label) {
  const std::string m(mapping_table), l(list_table), col(list_column);
  const std::string columns = "m.seq, m.domain_sid, m." + col + ", m.auth_usage, m.account_sid, l.friendly_name, "
                              "m.date_created, m.date_updated FROM " + m + " m JOIN " + l + " l ON l.sid = m." + col +
                              " ";
  MappingSql s;
  s.label = label;
  s.domain_exists = "SELECT 1 FROM domains WHERE sid = $1 AND account_sid = $2";
  s.list_name = "SELECT friendly_name FROM " + l + " WHERE sid = $1 AND account_sid = $2";
  s.exists = "SELECT 1 FROM " + m + " WHERE domain_sid = $1 AND " + col + " = $2 AND auth_usage = $3";
  s.insert = "INSERT INTO " + m + " (domain_sid, " + col +
             ", auth_usage, account_sid, date_created, date_updated) VALUES ($1, $2, $3, $4, $5, $5) RETURNING seq";
  s.select = "SELECT " + columns +
             "WHERE m.account_sid = $1 AND m.domain_sid = $2 AND m.auth_usage = $3 AND m." + col + " = $4";
  s.list = "SELECT " + columns +
           "WHERE m.account_sid = $1 AND m.domain_sid = $2 AND m.auth_usage = $3 AND m.seq > $4 "
           "ORDER BY m.seq LIMIT $5";
  s.remove = "DELETE FROM " + m + " WHERE account_sid = $1 AND domain_sid = $2 AND auth_usage = $3 AND " + col +
             " = $4";
  s.by_list = "SELECT " + columns + "WHERE m.account_sid = $1 AND m." + col + " = $2 ORDER BY m.seq";
  return s;
}

const MappingSql& sql_for(MappingKind kind) {
  static const MappingSql credential =
      make_sql("credential_list_mappings", "credential_lists", "credential_list_sid", "CredentialList");
  static const MappingSql acl = make_sql("ip_access_control_list_mappings", "ip_access_control_lists",
                                         "ip_access_control_list_sid", "IpAccessControlList");
  return kind == MappingKind::CredentialList ? credential : acl;
}

std::string_view usage_text(MappingUsage u) { return u == MappingUsage::Calls ? "calls" : "registrations"; }

Mapping read_mapping(const Row& r, MappingKind kind) {
  Mapping m;
  m.seq = r.integer(0);
  m.domain_sid = r.text(1);
  m.list_sid = r.text(2);
  m.kind = kind;
  m.usage = r.text(3) == "calls" ? MappingUsage::Calls : MappingUsage::Registrations;
  m.account_sid = r.text(4);
  m.friendly_name = r.text(5);
  m.date_created = from_db(r.integer(6));
  m.date_updated = from_db(r.integer(7));
  return m;
}

}  // namespace

Result<Mapping> SqlDomainMappingStore::map(const MappingKey& key, std::string_view list_sid) {
  if (key.kind == MappingKind::IpAccessControlList && key.usage == MappingUsage::Registrations)
    return fail(Errc::Invalid, "IP access control lists cannot be mapped for registrations");
  const MappingSql& s = sql_for(key.kind);
  return db_.write<Mapping>([&](Connection& c) -> Result<Mapping> {
    auto domain = query_one<int>(c, s.domain_exists, {key.domain_sid, key.account_sid}, [](const Row&) { return 1; });
    if (!domain) return std::unexpected(domain.error());
    if (!*domain) return fail(Errc::ForeignKey, "domain " + std::string(key.domain_sid) + " not found");
    auto name = query_one<std::string>(c, s.list_name, {list_sid, key.account_sid},
                                       [](const Row& r) { return r.text(0); });
    if (!name) return std::unexpected(name.error());
    if (!*name) return fail(Errc::ForeignKey, std::string(s.label) + " " + std::string(list_sid) + " not found");
    auto exists = query_one<int>(c, s.exists, {key.domain_sid, list_sid, usage_text(key.usage)},
                                 [](const Row&) { return 1; });
    if (!exists) return std::unexpected(exists.error());
    if (*exists) return fail(Errc::Conflict, std::string(s.label) + " already associated with this domain");

    Mapping m;
    m.domain_sid = key.domain_sid;
    m.list_sid = list_sid;
    m.kind = key.kind;
    m.usage = key.usage;
    m.account_sid = key.account_sid;
    m.friendly_name = **name;
    m.date_created = m.date_updated = now_seconds();
    auto seq = query_one<std::int64_t>(
        c, s.insert, {m.domain_sid, m.list_sid, usage_text(m.usage), m.account_sid, to_db(m.date_created)},
        [](const Row& r) { return r.integer(0); });
    if (!seq) return with_detail<Mapping>(std::unexpected(seq.error()), Errc::Conflict,
                                          std::string(s.label) + " already associated with this domain");
    m.seq = **seq;
    return m;
  });
}

Result<Mapping> SqlDomainMappingStore::fetch(const MappingKey& key, std::string_view list_sid) {
  const MappingSql& s = sql_for(key.kind);
  auto m = db_.once<std::optional<Mapping>>([&](Connection& c) {
    return query_one<Mapping>(c, s.select, {key.account_sid, key.domain_sid, usage_text(key.usage), list_sid},
                              [&](const Row& r) { return read_mapping(r, key.kind); });
  });
  if (!m) return std::unexpected(m.error());
  if (!*m) return fail(Errc::NotFound, "mapping not found");
  return **m;
}

Result<Page<Mapping>> SqlDomainMappingStore::list(const MappingKey& key, const PageRequest& page) {
  const MappingSql& s = sql_for(key.kind);
  auto rows = db_.once<std::vector<Mapping>>([&](Connection& c) {
    return query<Mapping>(c, s.list,
                          {key.account_sid, key.domain_sid, usage_text(key.usage), page.after_seq, page_limit(page)},
                          [&](const Row& r) { return read_mapping(r, key.kind); });
  });
  if (!rows) return std::unexpected(rows.error());
  return make_page(std::move(*rows), page);
}

Status SqlDomainMappingStore::unmap(const MappingKey& key, std::string_view list_sid) {
  const MappingSql& s = sql_for(key.kind);
  auto r = db_.write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
    auto n = run(c, s.remove, {key.account_sid, key.domain_sid, usage_text(key.usage), list_sid});
    if (!n) return std::unexpected(n.error());
    if (*n == 0) return fail(Errc::NotFound, "mapping not found");
    return std::monostate{};
  });
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<std::vector<Mapping>> SqlDomainMappingStore::list_by_list(std::string_view account_sid,
                                                                 std::string_view list_sid) {
  MappingKind kind;
  if (list_sid.starts_with("CL")) kind = MappingKind::CredentialList;
  else if (list_sid.starts_with("AL")) kind = MappingKind::IpAccessControlList;
  else return fail(Errc::Invalid, "a mapped list sid starts with CL or AL");
  const MappingSql& s = sql_for(kind);
  return db_.once<std::vector<Mapping>>([&](Connection& c) {
    return query<Mapping>(c, s.by_list, {account_sid, list_sid}, [&](const Row& r) { return read_mapping(r, kind); });
  });
}

}  // namespace callwire::store::sql
