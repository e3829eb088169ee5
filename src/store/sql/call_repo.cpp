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

Result<std::optional<Call>> fetch_call_in(Connection& c, std::string_view account_sid, std::string_view sid) {
  static const std::string sql = select_calls() + "WHERE sid = $1 AND account_sid = $2";
  return query_one<Call>(c, sql, {sid, account_sid}, read_call);
}

bool known_call_status(std::string_view status) {
  for (const char* s : kCallStatuses)
    if (status == s) return true;
  return false;
}

// Checked here too (the CHECK constraint backs it up) for a clear message.
Status check_call(const Call& call) {
  if (!known_call_status(call.status)) return fail(Errc::Invalid, "unknown call status '" + call.status + "'");
  return {};
}

// Insert-or-update for save(). The WHERE leaves a row of another account
// untouched: the statement then changes 0 rows.
Result<std::int64_t> upsert(Connection& c, const Call& k, std::int64_t now) {
  static const std::string sql =
      "INSERT INTO calls (sid, account_sid, parent_call_sid, to_uri, from_uri, status, direction, start_time, "
      "end_time, duration, api_version, caller_name, forwarded_from, trunk_sid, sip_call_id, sip_domain_sid, "
      "sip_response_code, date_created, date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "$13, $14, $15, $16, $17, $18, $18) ON CONFLICT (sid) DO UPDATE SET parent_call_sid = "
      "excluded.parent_call_sid, to_uri = excluded.to_uri, from_uri = excluded.from_uri, status = excluded.status, "
      "direction = excluded.direction, start_time = excluded.start_time, end_time = excluded.end_time, "
      "duration = excluded.duration, api_version = excluded.api_version, caller_name = excluded.caller_name, "
      "forwarded_from = excluded.forwarded_from, trunk_sid = excluded.trunk_sid, sip_call_id = "
      "excluded.sip_call_id, sip_domain_sid = excluded.sip_domain_sid, sip_response_code = "
      "excluded.sip_response_code, date_updated = excluded.date_updated WHERE calls.account_sid = "
      "excluded.account_sid";
  auto n = run(c, sql,
               {k.sid, k.account_sid, k.parent_call_sid, k.to, k.from, k.status, k.direction,
                optional_time(k.start_time), optional_time(k.end_time), optional_int(k.duration), k.api_version,
                k.caller_name, k.forwarded_from, k.trunk_sid, k.sip_call_id, k.sip_domain_sid,
                optional_int(k.sip_response_code), now});
  return with_detail<std::int64_t>(std::move(n), Errc::ForeignKey, "account " + k.account_sid + " not found");
}

// Errors that belong to one record; the rest of a batch can still be written.
bool refused(const Error& e) { return is(e, Errc::Conflict) || is(e, Errc::ForeignKey) || is(e, Errc::Invalid); }

}  // namespace

Result<Call> SqlCallStore::create(const Call& call) {
  if (auto ok = check_call(call); !ok) return std::unexpected(ok.error());
  return db_.write<Call>(
      [&](Connection& c) -> Result<Call> {
        Call k = call;
        if (k.sid.empty()) k.sid = make_time_ordered_sid("CA");
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

Status SqlCallStore::save(const std::vector<Call>& calls) {
  std::vector<const Call*> valid;
  std::vector<Error> skipped;
  valid.reserve(calls.size());
  for (const Call& k : calls) {
    if (k.sid.empty()) {
      skipped.emplace_back(make_error_code(Errc::Invalid), "call record without a sid");
    } else if (auto ok = check_call(k); !ok) {
      skipped.push_back(ok.error());
    } else {
      valid.push_back(&k);
    }
  }
  const std::int64_t now = to_db(now_seconds());
  // `isolate`: each record in its own savepoint. Only needed once a record was
  // refused: PostgreSQL aborts the whole transaction on an error, so the
  // common case runs without the two extra statements per record.
  auto write = [&](bool isolate) {
    return db_.write<std::vector<Error>>(
        [&](Connection& c) -> Result<std::vector<Error>> {
          std::vector<Error> out;
          for (const Call* k : valid) {
            if (isolate) {
              if (auto ok = c.execute_script("SAVEPOINT r"); !ok) return std::unexpected(ok.error());
            }
            auto n = upsert(c, *k, now);
            if (!n && !(isolate && refused(n.error()))) return std::unexpected(n.error());
            if (!n) {
              if (auto ok = c.execute_script("ROLLBACK TO SAVEPOINT r"); !ok) return std::unexpected(ok.error());
              out.push_back(n.error());
            } else if (*n == 0) {
              out.emplace_back(make_error_code(Errc::Conflict), "call " + k->sid + " belongs to another account");
            }
            if (isolate) {
              if (auto ok = c.execute_script("RELEASE SAVEPOINT r"); !ok) return std::unexpected(ok.error());
            }
          }
          return out;
        },
        Generation::Keep);
  };
  auto written = write(false);
  if (!written && refused(written.error())) written = write(true);
  if (!written) return std::unexpected(written.error());
  skipped.insert(skipped.end(), written->begin(), written->end());
  if (skipped.empty()) return {};
  return fail(skipped.front().code, std::to_string(skipped.size()) + " of " + std::to_string(calls.size()) +
                                        " call records not saved; first: " + skipped.front().what());
}

Result<Call> SqlCallStore::fetch(std::string_view account_sid, std::string_view sid) {
  auto k = db_.once<std::optional<Call>>([&](Connection& c) { return fetch_call_in(c, account_sid, sid); });
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
