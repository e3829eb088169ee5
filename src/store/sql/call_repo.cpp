// Call logs. Writes use Generation::Keep (database.hpp): call traffic must
// not invalidate the SIP side's domain-auth cache.
#include "core/sid.hpp"
#include "store/sql/repos.hpp"
#include "store/sql/rows.hpp"

namespace callwire::store::sql {

namespace {

const std::string& select_calls() {
  static const std::string sql = "SELECT " + std::string(kCallColumns) + " FROM calls ";
  return sql;
}

Result<std::optional<Call>> fetch_in(Connection& c, std::string_view account_sid, std::string_view sid) {
  static const std::string sql = select_calls() + "WHERE sid = $1 AND account_sid = $2";
  return query_one<Call>(c, sql, {sid, account_sid}, read_call);
}

bool known_status(std::string_view status) {
  for (const char* s : kCallStatuses)
    if (status == s) return true;
  return false;
}

// Checked here too (the CHECK constraint backs it up) for a clear message.
Status check_call(const Call& call) {
  if (!known_status(call.status)) return fail(Errc::Invalid, "unknown call status '" + call.status + "'");
  return {};
}

}  // namespace

Result<Call> SqlCallStore::create(const Call& call) {
  if (auto ok = check_call(call); !ok) return std::unexpected(ok.error());
  return db_.write<Call>(
      [&](Connection& c) -> Result<Call> {
        Call k = call;
        if (k.sid.empty()) k.sid = make_sid("CA");
        k.date_created = k.date_updated = now_seconds();
        static const std::string sql =
            "INSERT INTO calls (sid, account_sid, parent_call_sid, to_uri, from_uri, status, direction, start_time, "
            "end_time, duration, api_version, caller_name, forwarded_from, trunk_sid, sip_call_id, sip_domain_sid, "
            "sip_response_code, date_created, date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
            "$12, $13, $14, $15, $16, $17, $18, $18) RETURNING seq";
        auto seq = query_one<std::int64_t>(
            c, sql,
            {k.sid, k.account_sid, k.parent_call_sid, k.to, k.from, k.status, k.direction, optional_time(k.start_time),
             optional_time(k.end_time), optional_int(k.duration), k.api_version, k.caller_name, k.forwarded_from,
             k.trunk_sid, k.sip_call_id, k.sip_domain_sid, optional_int(k.sip_response_code), to_db(k.date_created)},
            [](const Row& r) { return r.integer(0); });
        if (!seq) {
          auto e = with_detail<Call>(std::unexpected(seq.error()), Errc::Conflict, "call " + k.sid + " exists");
          return with_detail<Call>(std::move(e), Errc::ForeignKey, "account " + k.account_sid + " not found");
        }
        k.seq = **seq;
        return k;
      },
      Generation::Keep);
}

Result<Call> SqlCallStore::update(const Call& call) {
  if (auto ok = check_call(call); !ok) return std::unexpected(ok.error());
  static const std::string sql =
      "UPDATE calls SET parent_call_sid = $1, to_uri = $2, from_uri = $3, status = $4, direction = $5, "
      "start_time = $6, end_time = $7, duration = $8, api_version = $9, caller_name = $10, forwarded_from = $11, "
      "trunk_sid = $12, sip_call_id = $13, sip_domain_sid = $14, sip_response_code = $15, date_updated = $16 "
      "WHERE sid = $17 AND account_sid = $18 RETURNING " +
      std::string(kCallColumns);
  const Call& k = call;
  return db_.write<Call>(
      [&](Connection& c) -> Result<Call> {
        auto fresh = query_one<Call>(
            c, sql,
            {k.parent_call_sid, k.to, k.from, k.status, k.direction, optional_time(k.start_time),
             optional_time(k.end_time), optional_int(k.duration), k.api_version, k.caller_name, k.forwarded_from,
             k.trunk_sid, k.sip_call_id, k.sip_domain_sid, optional_int(k.sip_response_code), to_db(now_seconds()),
             k.sid, k.account_sid},
            read_call);
        if (!fresh) return std::unexpected(fresh.error());
        if (!*fresh) return fail(Errc::NotFound, "call not found");
        return **fresh;
      },
      Generation::Keep);
}

Result<Call> SqlCallStore::fetch(std::string_view account_sid, std::string_view sid) {
  auto k = db_.once<std::optional<Call>>([&](Connection& c) { return fetch_in(c, account_sid, sid); });
  if (!k) return std::unexpected(k.error());
  if (!*k) return fail(Errc::NotFound, "call not found");
  return **k;
}

Result<Page<Call>> SqlCallStore::list(std::string_view account_sid, const CallFilter& f, const PageRequest& page) {
  // Newest first: the cursor is the smallest seq seen so far (0 = start).
  static const std::string sql =
      select_calls() +
      "WHERE account_sid = $1 AND (CAST($2 AS BIGINT) = 0 OR seq < $2) "
      "AND (CAST($3 AS TEXT) IS NULL OR to_uri = $3) AND (CAST($4 AS TEXT) IS NULL OR from_uri = $4) "
      "AND (CAST($5 AS TEXT) IS NULL OR parent_call_sid = $5) AND (CAST($6 AS TEXT) IS NULL OR status = $6) "
      "AND (CAST($7 AS BIGINT) IS NULL OR start_time >= $7) AND (CAST($8 AS BIGINT) IS NULL OR start_time < $8) "
      "AND (CAST($9 AS BIGINT) IS NULL OR end_time >= $9) AND (CAST($10 AS BIGINT) IS NULL OR end_time < $10) "
      "ORDER BY seq DESC LIMIT $11";
  auto rows = db_.once<std::vector<Call>>([&](Connection& c) {
    return query<Call>(c, sql,
                       {account_sid, page.after_seq, f.to, f.from, f.parent_call_sid, f.status,
                        optional_time(f.start_after), optional_time(f.start_before), optional_time(f.end_after),
                        optional_time(f.end_before), page_limit(page)},
                       read_call);
  });
  if (!rows) return std::unexpected(rows.error());
  return make_page(std::move(*rows), page);
}

Status SqlCallStore::remove(std::string_view account_sid, std::string_view sid) {
  auto r = db_.write<std::monostate>(
      [&](Connection& c) -> Result<std::monostate> {
        auto n = run(c, "DELETE FROM calls WHERE sid = $1 AND account_sid = $2", {sid, account_sid});
        if (!n) return std::unexpected(n.error());
        if (*n == 0) return fail(Errc::NotFound, "call not found");
        return std::monostate{};
      },
      Generation::Keep);
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace callwire::store::sql
