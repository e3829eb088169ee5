// Outbound trunks. Passwords are sealed (secret_box.hpp) before the write
// and opened after the read, outside the database transaction, so the rest
// of callwire only ever sees plaintext in memory and the database only
// ciphertext.
#include "core/sid.hpp"
#include "store/sql/repos.hpp"
#include "store/sql/rows.hpp"

namespace callwire::store::sql {

namespace {

constexpr std::string_view kTrunkColumns =
    "seq, sid, account_sid, friendly_name, termination_uri, username, password_sealed, number_prefixes, priority, "
    "weight, max_concurrent_calls, caller_id, number_format, enabled, date_created, date_updated";

using TrunkRow = TrunkRowData;

std::string join_prefixes(const std::vector<std::string>& prefixes) {
  std::string out;
  for (const auto& p : prefixes) {
    if (!out.empty()) out += ',';
    out += p;
  }
  return out;
}

std::vector<std::string> split_prefixes(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (comma != 0) out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

TrunkRow read_trunk_row(const Row& r) {
  TrunkRow row;
  Trunk& t = row.trunk;
  t.seq = r.integer(0);
  t.sid = r.text(1);
  t.account_sid = r.text(2);
  t.friendly_name = r.text(3);
  t.termination_uri = r.text(4);
  t.username = r.text(5);
  row.sealed = r.optional_text(6);
  t.number_prefixes = split_prefixes(r.text(7));
  t.priority = static_cast<int>(r.integer(8));
  t.weight = static_cast<int>(r.integer(9));
  t.max_concurrent_calls = static_cast<int>(r.integer(10));
  t.caller_id = r.text(11);
  t.number_format = r.text(12);
  t.enabled = r.boolean(13);
  t.date_created = from_db(r.integer(14));
  t.date_updated = from_db(r.integer(15));
  return row;
}

const std::string& select_trunks() {
  static const std::string sql = "SELECT " + std::string(kTrunkColumns) + " FROM trunks ";
  return sql;
}

Result<std::optional<TrunkRow>> fetch_trunk_in(Connection& c, std::string_view account_sid, std::string_view sid) {
  static const std::string sql = select_trunks() + "WHERE sid = $1 AND account_sid = $2";
  return query_one<TrunkRow>(c, sql, {sid, account_sid}, read_trunk_row);
}

Status check_values(const Trunk& t) {
  if (t.number_format != kTrunkNumberFormatE164 && t.number_format != kTrunkNumberFormatE164WithoutPlus) {
    return fail(Errc::Invalid, "unknown trunk number format '" + t.number_format + "'");
  }
  for (const auto& p : t.number_prefixes) {
    if (p.empty() || p.find(',') != std::string::npos) return fail(Errc::Invalid, "invalid trunk number prefix");
  }
  return {};
}

}  // namespace

Result<Trunk> SqlTrunkStore::opened(TrunkRowData row) {
  if (row.sealed) {
    auto plain = secrets_.open(*row.sealed, row.trunk.sid);
    if (!plain) {
      Error e = plain.error();
      e.detail = "trunk " + row.trunk.sid + ": " + e.what();
      return std::unexpected(std::move(e));
    }
    row.trunk.password = std::move(*plain);
  }
  return std::move(row.trunk);
}

Result<std::optional<std::string>> SqlTrunkStore::sealed(const Trunk& t) {
  if (t.password.empty()) return std::optional<std::string>{};
  auto s = secrets_.seal(t.password, t.sid);
  if (!s) return std::unexpected(s.error());
  return std::optional<std::string>(std::move(*s));
}

Result<Trunk> SqlTrunkStore::create(const Trunk& trunk) {
  Trunk t = trunk;
  if (auto ok = check_values(t); !ok) return std::unexpected(ok.error());
  if (t.sid.empty()) t.sid = make_sid("BY");
  auto secret = sealed(t);
  if (!secret) return std::unexpected(secret.error());
  return db_.write<Trunk>([&](Connection& c) -> Result<Trunk> {
    t.date_created = t.date_updated = now_seconds();
    static const std::string account_sql = "SELECT 1 FROM accounts WHERE sid = $1";
    auto account = query_one<int>(c, account_sql, {t.account_sid}, [](const Row&) { return 1; });
    if (!account) return std::unexpected(account.error());
    if (!*account) return fail(Errc::ForeignKey, "account " + t.account_sid + " not found");
    static const std::string sql =
        "INSERT INTO trunks (sid, account_sid, friendly_name, termination_uri, username, password_sealed, "
        "number_prefixes, priority, weight, max_concurrent_calls, caller_id, number_format, enabled, date_created, "
        "date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING seq";
    const std::string prefixes = join_prefixes(t.number_prefixes);
    auto seq = query_one<std::int64_t>(
        c, sql,
        {t.sid, t.account_sid, t.friendly_name, t.termination_uri, t.username, *secret, prefixes, t.priority,
         t.weight, t.max_concurrent_calls, t.caller_id, t.number_format, t.enabled, to_db(t.date_created)},
        [](const Row& r) { return r.integer(0); });
    if (!seq) return with_detail<Trunk>(std::unexpected(seq.error()), Errc::Conflict, "trunk sid exists");
    t.seq = **seq;
    return t;
  });
}

Result<Trunk> SqlTrunkStore::fetch(std::string_view account_sid, std::string_view sid) {
  auto row = db_.once<std::optional<TrunkRow>>([&](Connection& c) { return fetch_trunk_in(c, account_sid, sid); });
  if (!row) return std::unexpected(row.error());
  if (!*row) return fail(Errc::NotFound, "trunk not found");
  return opened(std::move(**row));
}

Result<Page<Trunk>> SqlTrunkStore::list(std::string_view account_sid, const PageRequest& page) {
  static const std::string sql = select_trunks() + "WHERE account_sid = $1 AND seq > $2 ORDER BY seq LIMIT $3";
  auto rows = db_.once<std::vector<TrunkRow>>([&](Connection& c) {
    return query<TrunkRow>(c, sql, {account_sid, page.after_seq, page_limit(page)}, read_trunk_row);
  });
  if (!rows) return std::unexpected(rows.error());
  std::vector<Trunk> trunks;
  for (auto& r : *rows) {
    auto t = opened(std::move(r));
    if (!t) return std::unexpected(t.error());
    trunks.push_back(std::move(*t));
  }
  return make_page(std::move(trunks), page);
}

Result<std::vector<Trunk>> SqlTrunkStore::list_all(std::string_view account_sid) {
  static const std::string sql = select_trunks() + "WHERE account_sid = $1 ORDER BY seq";
  auto rows = db_.once<std::vector<TrunkRow>>(
      [&](Connection& c) { return query<TrunkRow>(c, sql, {account_sid}, read_trunk_row); });
  if (!rows) return std::unexpected(rows.error());
  std::vector<Trunk> trunks;
  for (auto& r : *rows) {
    auto t = opened(std::move(r));
    if (!t) return std::unexpected(t.error());
    trunks.push_back(std::move(*t));
  }
  return trunks;
}

Result<std::size_t> SqlTrunkStore::count(std::string_view account_sid) {
  return db_.once<std::size_t>([&](Connection& c) -> Result<std::size_t> {
    auto n = query_one<std::int64_t>(c, "SELECT COUNT(*) FROM trunks WHERE account_sid = $1", {account_sid},
                                     [](const Row& r) { return r.integer(0); });
    if (!n) return std::unexpected(n.error());
    return static_cast<std::size_t>(n->value_or(0));
  });
}

Result<Trunk> SqlTrunkStore::update(const Trunk& trunk) {
  const Trunk& t = trunk;
  if (auto ok = check_values(t); !ok) return std::unexpected(ok.error());
  auto secret = sealed(t);
  if (!secret) return std::unexpected(secret.error());
  auto row = db_.write<TrunkRow>([&](Connection& c) -> Result<TrunkRow> {
    static const std::string sql =
        "UPDATE trunks SET friendly_name = $1, termination_uri = $2, username = $3, password_sealed = $4, "
        "number_prefixes = $5, priority = $6, weight = $7, max_concurrent_calls = $8, caller_id = $9, "
        "number_format = $10, enabled = $11, date_updated = $12 WHERE sid = $13 AND account_sid = $14";
    const std::string prefixes = join_prefixes(t.number_prefixes);
    auto changed = run(c, sql,
                       {t.friendly_name, t.termination_uri, t.username, *secret, prefixes, t.priority, t.weight,
                        t.max_concurrent_calls, t.caller_id, t.number_format, t.enabled, to_db(now_seconds()), t.sid,
                        t.account_sid});
    if (!changed) return std::unexpected(changed.error());
    if (*changed == 0) return fail(Errc::NotFound, "trunk not found");
    auto fresh = fetch_trunk_in(c, t.account_sid, t.sid);
    if (!fresh) return std::unexpected(fresh.error());
    if (!*fresh) return fail(Errc::NotFound, "trunk not found");
    return std::move(**fresh);
  });
  if (!row) return std::unexpected(row.error());
  Trunk out = std::move(row->trunk);
  out.password = t.password;  // just sealed from this plaintext
  return out;
}

Status SqlTrunkStore::remove(std::string_view account_sid, std::string_view sid) {
  auto r = db_.write<std::monostate>([&](Connection& c) -> Result<std::monostate> {
    auto n = run(c, "DELETE FROM trunks WHERE sid = $1 AND account_sid = $2", {sid, account_sid});
    if (!n) return std::unexpected(n.error());
    if (*n == 0) return fail(Errc::NotFound, "trunk not found");
    return std::monostate{};
  });
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace callwire::store::sql
