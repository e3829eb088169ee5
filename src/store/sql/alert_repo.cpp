// Debugger alerts. Writes use Generation::Keep, like call logs.
#include "core/sid.hpp"
#include "store/sql/repos.hpp"
#include "store/sql/rows.hpp"

namespace callwire::store::sql {

namespace {

bool known_level(std::string_view level) {
  for (const char* l : kAlertLogLevels)
    if (level == l) return true;
  return false;
}

}  // namespace

Result<Alert> SqlAlertStore::create(const Alert& alert) {
  if (!known_level(alert.log_level)) return fail(Errc::Invalid, "unknown alert log level '" + alert.log_level + "'");
  return db_.write<Alert>(
      [&](Connection& c) -> Result<Alert> {
        Alert a = alert;
        if (a.sid.empty()) a.sid = make_sid("NO");
        a.date_created = a.date_updated = now_seconds();
        if (a.date_generated == Timestamp{}) a.date_generated = a.date_created;
        static const std::string sql =
            "INSERT INTO alerts (sid, account_sid, error_code, log_level, alert_text, more_info, request_method, "
            "request_url, resource_sid, request_variables, request_headers, response_body, response_headers, "
            "date_created, date_generated, date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
            "$13, $14, $15, $14) RETURNING seq";
        auto seq = query_one<std::int64_t>(
            c, sql,
            {a.sid, a.account_sid, a.error_code, a.log_level, a.alert_text, a.more_info, a.request_method,
             a.request_url, a.resource_sid, a.request_variables, a.request_headers, a.response_body,
             a.response_headers, to_db(a.date_created), to_db(a.date_generated)},
            [](const Row& r) { return r.integer(0); });
        if (!seq) {
          auto e = with_detail<Alert>(std::unexpected(seq.error()), Errc::Conflict, "alert " + a.sid + " exists");
          return with_detail<Alert>(std::move(e), Errc::ForeignKey, "account " + a.account_sid + " not found");
        }
        a.seq = **seq;
        return a;
      },
      Generation::Keep);
}

Result<Alert> SqlAlertStore::fetch(std::string_view account_sid, std::string_view sid) {
  static const std::string sql = "SELECT " + std::string(kAlertColumns) + std::string(kAlertDetailColumns) +
                                 " FROM alerts WHERE sid = $1 AND account_sid = $2";
  auto a = db_.once<std::optional<Alert>>([&](Connection& c) {
    return query_one<Alert>(c, sql, {sid, account_sid}, [](const Row& r) { return read_alert(r, true); });
  });
  if (!a) return std::unexpected(a.error());
  if (!*a) return fail(Errc::NotFound, "alert not found");
  return **a;
}

Result<Page<Alert>> SqlAlertStore::list(std::string_view account_sid, const AlertFilter& f, const PageRequest& page) {
  static const std::string sql =
      "SELECT " + std::string(kAlertColumns) +
      " FROM alerts WHERE account_sid = $1 AND (CAST($2 AS BIGINT) = 0 OR seq < $2) "
      "AND (CAST($3 AS TEXT) IS NULL OR log_level = $3) "
      "AND (CAST($4 AS BIGINT) IS NULL OR date_generated >= $4) "
      "AND (CAST($5 AS BIGINT) IS NULL OR date_generated < $5) ORDER BY seq DESC LIMIT $6";
  auto rows = db_.once<std::vector<Alert>>([&](Connection& c) {
    return query<Alert>(c, sql,
                        {account_sid, page.after_seq, f.log_level, optional_time(f.start_date),
                         optional_time(f.end_date), page_limit(page)},
                        [](const Row& r) { return read_alert(r, false); });
  });
  if (!rows) return std::unexpected(rows.error());
  return make_page(std::move(*rows), page);
}

Status SqlAlertStore::remove(std::string_view account_sid, std::string_view sid) {
  auto r = db_.write<std::monostate>(
      [&](Connection& c) -> Result<std::monostate> {
        auto n = run(c, "DELETE FROM alerts WHERE sid = $1 AND account_sid = $2", {sid, account_sid});
        if (!n) return std::unexpected(n.error());
        if (*n == 0) return fail(Errc::NotFound, "alert not found");
        return std::monostate{};
      },
      Generation::Keep);
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace callwire::store::sql
