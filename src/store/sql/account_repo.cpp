#include "core/sid.hpp"
#include "store/sql/repos.hpp"
#include "store/sql/rows.hpp"

namespace callwire::store::sql {

namespace {

const std::string& select_accounts() {
  static const std::string sql = "SELECT " + std::string(kAccountColumns) + " FROM accounts ";
  return sql;
}

bool is_token(std::string_view t) {
  if (t.size() != 32) return false;
  for (char c : t)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Result<std::optional<Account>> find_main(Connection& c) {
  static const std::string sql = select_accounts() + "WHERE sid = owner_account_sid";
  return query_one<Account>(c, sql, {}, read_account);
}

Result<std::int64_t> insert_account(Connection& c, const Account& a) {
  static const std::string sql =
      "INSERT INTO accounts (sid, owner_account_sid, friendly_name, status, type, auth_token, date_created, "
      "date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING seq";
  auto seq = query_one<std::int64_t>(
      c, sql, {a.sid, a.owner_account_sid, a.friendly_name, a.status, a.type, a.auth_token, to_db(a.date_created)},
      [](const Row& r) { return r.integer(0); });
  if (!seq) return with_detail<std::int64_t>(std::unexpected(seq.error()), Errc::Conflict, "account sid exists");
  return **seq;
}

}  // namespace

Result<Account> SqlAccountStore::ensure_main_account(std::optional<std::string> sid,
                                                     std::optional<std::string> auth_token) {
  if (sid && !is_sid(*sid, "AC")) return fail(Errc::Invalid, "account sid must be AC followed by 32 hex digits");
  if (sid) *sid = "AC" + lower(sid->substr(2));  // callwire issues lowercase hex
  if (auth_token && !is_token(lower(*auth_token))) return fail(Errc::Invalid, "auth token must be 32 hex digits");
  if (auth_token) *auth_token = lower(*auth_token);

  auto check = [&](const Account& existing) -> Result<Account> {
    if (sid && *sid != existing.sid)
      return fail(Errc::Conflict, "the store already has main account " + existing.sid);
    if (auth_token && *auth_token != existing.auth_token)
      return fail(Errc::Conflict, "the given auth token differs from the stored one of " + existing.sid);
    return existing;
  };

  // Usual case (every start after the first): no write, no generation bump.
  auto existing = db_.once<std::optional<Account>>(find_main);
  if (!existing) return std::unexpected(existing.error());
  if (*existing) return check(**existing);

  return db_.write<Account>([&](Connection& c) -> Result<Account> {
    auto again = find_main(c);  // another process may have won the race
    if (!again) return std::unexpected(again.error());
    if (*again) return check(**again);
    Account a;
    a.sid = sid ? *sid : make_sid("AC");
    a.owner_account_sid = a.sid;
    a.friendly_name = "Main account";
    a.auth_token = auth_token ? *auth_token : secure_random_hex(32);
    a.date_created = a.date_updated = now_seconds();
    auto seq = insert_account(c, a);
    if (!seq) return std::unexpected(seq.error());
    a.seq = *seq;
    return a;
  });
}

Result<Account> SqlAccountStore::main_account() {
  auto a = db_.once<std::optional<Account>>(find_main);
  if (!a) return std::unexpected(a.error());
  if (!*a) return fail(Errc::NotFound, "no main account yet");
  return **a;
}

Result<Account> SqlAccountStore::create_subaccount(const Account& account) {
  return db_.write<Account>([&](Connection& c) -> Result<Account> {
    static const std::string owner_sql = "SELECT 1 FROM accounts WHERE sid = $1 AND sid = owner_account_sid";
    auto owner = query_one<int>(c, owner_sql, {account.owner_account_sid}, [](const Row&) { return 1; });
    if (!owner) return std::unexpected(owner.error());
    if (!*owner) return fail(Errc::ForeignKey, "owner " + account.owner_account_sid + " is not the main account");
    Account a = account;
    if (a.sid.empty()) a.sid = make_sid("AC");
    if (a.auth_token.empty()) a.auth_token = secure_random_hex(32);
    if (a.status.empty()) a.status = kAccountActive;
    if (a.type.empty()) a.type = "Full";
    a.date_created = a.date_updated = now_seconds();
    auto seq = insert_account(c, a);
    if (!seq) return std::unexpected(seq.error());
    a.seq = *seq;
    return a;
  });
}

Result<Account> SqlAccountStore::fetch(std::string_view sid) {
  static const std::string sql = select_accounts() + "WHERE sid = $1";
  auto a = db_.once<std::optional<Account>>(
      [&](Connection& c) { return query_one<Account>(c, sql, {sid}, read_account); });
  if (!a) return std::unexpected(a.error());
  if (!*a) return fail(Errc::NotFound, "account not found");
  return **a;
}

Result<Page<Account>> SqlAccountStore::list_children(std::string_view owner_sid, const AccountFilter& filter,
                                                     const PageRequest& page) {
  static const std::string sql = select_accounts() +
                                 "WHERE owner_account_sid = $1 AND seq > $2 "
                                 "AND (CAST($3 AS TEXT) IS NULL OR friendly_name = $3) "
                                 "AND (CAST($4 AS TEXT) IS NULL OR status = $4) ORDER BY seq LIMIT $5";
  auto rows = db_.once<std::vector<Account>>([&](Connection& c) {
    return query<Account>(c, sql, {owner_sid, page.after_seq, filter.friendly_name, filter.status, page_limit(page)},
                          read_account);
  });
  if (!rows) return std::unexpected(rows.error());
  return make_page(std::move(*rows), page);
}

Result<Account> SqlAccountStore::update(const Account& account) {
  static const std::string sql =
      "UPDATE accounts SET friendly_name = $1, status = $2, auth_token = $3, date_updated = $4 WHERE sid = $5 "
      "RETURNING " +
      std::string(kAccountColumns);
  return db_.write<Account>([&](Connection& c) -> Result<Account> {
    auto a = query_one<Account>(
        c, sql, {account.friendly_name, account.status, account.auth_token, to_db(now_seconds()), account.sid},
        read_account);
    if (!a) return std::unexpected(a.error());
    if (!*a) return fail(Errc::NotFound, "account not found");
    return **a;
  });
}

}  // namespace callwire::store::sql
