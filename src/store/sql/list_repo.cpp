// Credential lists and IP access control lists: same columns, same rules.
#include "core/sid.hpp"
#include "store/sql/repos.hpp"
#include "store/sql/rows.hpp"

namespace callwire::store::sql {

namespace {
template <class Model>
Model read_model(const Row& r) {
  if constexpr (std::is_same_v<Model, CredentialList>) return read_credential_list(r);
  else return read_ip_access_control_list(r);
}
template <class Model>
std::string_view sid_prefix() {
  if constexpr (std::is_same_v<Model, CredentialList>) return "CL";
  else return "AL";
}
}  // namespace

template <class Model, class Interface>
SqlListStore<Model, Interface>::SqlListStore(Database& db, ListTable t) : db_(db), t_(t) {
  const std::string table(t.table);
  const std::string columns(kListColumns);
  insert_ = "INSERT INTO " + table +
            " (sid, account_sid, friendly_name, date_created, date_updated) VALUES ($1, $2, $3, $4, $4) RETURNING seq";
  fetch_ = "SELECT " + columns + " FROM " + table + " WHERE sid = $1 AND account_sid = $2";
  list_ = "SELECT " + columns + " FROM " + table + " WHERE account_sid = $1 AND seq > $2 ORDER BY seq LIMIT $3";
  count_ = "SELECT COUNT(*) FROM " + table + " WHERE account_sid = $1";
  update_ = "UPDATE " + table + " SET friendly_name = $1, date_updated = $2 WHERE sid = $3 AND account_sid = $4 RETURNING " +
            columns;
  mapped_ = "SELECT COUNT(*) FROM " + std::string(t.mapping_table) + " WHERE " + std::string(t.mapping_column) +
            " = $1 AND account_sid = $2";
  delete_ = "DELETE FROM " + table + " WHERE sid = $1 AND account_sid = $2";
}

template <class Model, class Interface>
Result<Model> SqlListStore<Model, Interface>::create(const Model& list) {
  return db_.template write<Model>([&](Connection& c) -> Result<Model> {
    Model l = list;
    if (l.sid.empty()) l.sid = make_sid(sid_prefix<Model>());
    l.date_created = l.date_updated = now_seconds();
    auto account = query_one<int>(c, "SELECT 1 FROM accounts WHERE sid = $1", {l.account_sid},
                                  [](const Row&) { return 1; });
    if (!account) return std::unexpected(account.error());
    if (!*account) return fail(Errc::ForeignKey, "account " + l.account_sid + " not found");
    auto seq = query_one<std::int64_t>(c, insert_, {l.sid, l.account_sid, l.friendly_name, to_db(l.date_created)},
                                       [](const Row& r) { return r.integer(0); });
    if (!seq) return with_detail<Model>(std::unexpected(seq.error()), Errc::Conflict, std::string(t_.label) + " sid exists");
    l.seq = **seq;
    return l;
  });
}

template <class Model, class Interface>
Result<Model> SqlListStore<Model, Interface>::fetch(std::string_view account_sid, std::string_view sid) {
  auto l = db_.template once<std::optional<Model>>(
      [&](Connection& c) { return query_one<Model>(c, fetch_, {sid, account_sid}, read_model<Model>); });
  if (!l) return std::unexpected(l.error());
  if (!*l) return fail(Errc::NotFound, std::string(t_.label) + " not found");
  return **l;
}

template <class Model, class Interface>
Result<Page<Model>> SqlListStore<Model, Interface>::list(std::string_view account_sid, const PageRequest& page) {
  auto rows = db_.template once<std::vector<Model>>([&](Connection& c) {
    return query<Model>(c, list_, {account_sid, page.after_seq, page_limit(page)}, read_model<Model>);
  });
  if (!rows) return std::unexpected(rows.error());
  return make_page(std::move(*rows), page);
}

template <class Model, class Interface>
Result<std::size_t> SqlListStore<Model, Interface>::count(std::string_view account_sid) {
  return db_.template once<std::size_t>([&](Connection& c) -> Result<std::size_t> {
    auto n = query_one<std::int64_t>(c, count_, {account_sid}, [](const Row& r) { return r.integer(0); });
    if (!n) return std::unexpected(n.error());
    return static_cast<std::size_t>(n->value_or(0));
  });
}

template <class Model, class Interface>
Result<Model> SqlListStore<Model, Interface>::update(const Model& list) {
  return db_.template write<Model>([&](Connection& c) -> Result<Model> {
    auto l = query_one<Model>(c, update_, {list.friendly_name, to_db(now_seconds()), list.sid, list.account_sid},
                              read_model<Model>);
    if (!l) return std::unexpected(l.error());
    if (!*l) return fail(Errc::NotFound, std::string(t_.label) + " not found");
    return **l;
  });
}

template <class Model, class Interface>
Status SqlListStore<Model, Interface>::remove(std::string_view account_sid, std::string_view sid) {
  auto r = db_.template write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
    auto mapped = query_one<std::int64_t>(c, mapped_, {sid, account_sid}, [](const Row& r) { return r.integer(0); });
    if (!mapped) return std::unexpected(mapped.error());
    if (mapped->value_or(0) > 0) {
      return fail(Errc::ForeignKey, std::string(t_.label) + " " + std::string(sid) + " is mapped to " +
                                        std::to_string(**mapped) + " domain mapping(s); remove them first");
    }
    auto n = run(c, delete_, {sid, account_sid});
    if (!n) return with_detail<std::monostate>(std::unexpected(n.error()), Errc::ForeignKey,
                                               std::string(t_.label) + " is mapped to a domain");
    if (*n == 0) return fail(Errc::NotFound, std::string(t_.label) + " not found");
    return std::monostate{};
  });
  if (!r) return std::unexpected(r.error());
  return {};
}

template class SqlListStore<CredentialList, CredentialListStore>;
template class SqlListStore<IpAccessControlList, IpAccessControlListStore>;

}  // namespace callwire::store::sql
