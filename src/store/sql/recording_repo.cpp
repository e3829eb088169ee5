// Call recordings. Writes use Generation::Keep, like call logs: recording
// traffic must not invalidate the SIP side's domain-auth cache.
#include "core/sid.hpp"
#include "store/sql/repos.hpp"
#include "store/sql/rows.hpp"

namespace callwire::store::sql {

namespace {

bool known_recording_status(std::string_view status) {
  for (const char* s : kRecordingStatuses)
    if (status == s) return true;
  return false;
}

// Checked here too (the CHECK constraint backs the status) for a clear message.
Status check_recording(const Recording& k) {
  if (!known_recording_status(k.status)) return fail(Errc::Invalid, "unknown recording status '" + k.status + "'");
  if (k.call_sid.empty()) return fail(Errc::Invalid, "recording without a call_sid");
  if (k.channels < 1 || k.channels > 2) return fail(Errc::Invalid, "recording channels must be 1 or 2");
  if (k.track != "inbound" && k.track != "outbound" && k.track != "both")
    return fail(Errc::Invalid, "unknown recording track '" + k.track + "'");
  return {};
}

}  // namespace

Result<Recording> SqlRecordingStore::save(const Recording& recording) {
  if (auto ok = check_recording(recording); !ok) return std::unexpected(ok.error());
  // The WHERE leaves another account's row untouched: nothing is returned then.
  static const std::string sql =
      "INSERT INTO recordings (sid, account_sid, call_sid, conference_sid, start_time, duration, channels, source, "
      "status, error_code, track, media_path, date_created, date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "$9, $10, $11, $12, $13, $13) ON CONFLICT (sid) DO UPDATE SET call_sid = excluded.call_sid, conference_sid = "
      "excluded.conference_sid, start_time = excluded.start_time, duration = excluded.duration, channels = "
      "excluded.channels, source = excluded.source, status = excluded.status, error_code = excluded.error_code, "
      "track = excluded.track, media_path = excluded.media_path, date_updated = excluded.date_updated "
      "WHERE recordings.account_sid = excluded.account_sid RETURNING " +
      std::string(kRecordingColumns);
  return db_.write<Recording>(
      [&](Connection& c) -> Result<Recording> {
        Recording k = recording;
        if (k.sid.empty()) k.sid = make_sid("RE");
        auto row = query_one<Recording>(
            c, sql,
            {k.sid, k.account_sid, k.call_sid, k.conference_sid, optional_time(k.start_time), optional_int(k.duration),
             k.channels, k.source, k.status, optional_int(k.error_code), k.track, k.media_path,
             to_db(now_seconds())},
            read_recording);
        if (!row) {
          return with_detail<Recording>(std::unexpected(row.error()), Errc::ForeignKey,
                                        "account " + k.account_sid + " not found");
        }
        if (!*row) return fail(Errc::Conflict, "recording " + k.sid + " belongs to another account");
        return **row;
      },
      Generation::Keep);
}

Result<Recording> SqlRecordingStore::fetch(std::string_view account_sid, std::string_view sid) {
  static const std::string sql =
      "SELECT " + std::string(kRecordingColumns) + " FROM recordings WHERE sid = $1 AND account_sid = $2";
  auto k = db_.once<std::optional<Recording>>(
      [&](Connection& c) { return query_one<Recording>(c, sql, {sid, account_sid}, read_recording); });
  if (!k) return std::unexpected(k.error());
  if (!*k) return fail(Errc::NotFound, "recording not found");
  return **k;
}

Result<Page<Recording>> SqlRecordingStore::list(std::string_view account_sid, const RecordingFilter& f,
                                                const PageRequest& page) {
  // Newest first: the cursor is the smallest seq seen so far (0 = start).
  static const std::string sql =
      "SELECT " + std::string(kRecordingColumns) +
      " FROM recordings WHERE account_sid = $1 AND (CAST($2 AS BIGINT) = 0 OR seq < $2) "
      "AND (CAST($3 AS TEXT) IS NULL OR call_sid = $3) AND (CAST($4 AS TEXT) IS NULL OR conference_sid = $4) "
      "AND (CAST($5 AS BIGINT) IS NULL OR date_created >= $5) AND (CAST($6 AS BIGINT) IS NULL OR date_created < $6) "
      "ORDER BY seq DESC LIMIT $7";
  auto rows = db_.once<std::vector<Recording>>([&](Connection& c) {
    return query<Recording>(c, sql,
                            {account_sid, page.after_seq, f.call_sid, f.conference_sid,
                             optional_time(f.created_after), optional_time(f.created_before), page_limit(page)},
                            read_recording);
  });
  if (!rows) return std::unexpected(rows.error());
  return make_page(std::move(*rows), page);
}

Result<Page<Recording>> SqlRecordingStore::list_by_call(std::string_view account_sid, std::string_view call_sid,
                                                        const PageRequest& page) {
  RecordingFilter f;
  f.call_sid = std::string(call_sid);
  return list(account_sid, f, page);
}

Status SqlRecordingStore::remove(std::string_view account_sid, std::string_view sid) {
  auto r = db_.write<std::monostate>(
      [&](Connection& c) -> Result<std::monostate> {
        auto n = run(c, "DELETE FROM recordings WHERE sid = $1 AND account_sid = $2", {sid, account_sid});
        if (!n) return std::unexpected(n.error());
        if (*n == 0) return fail(Errc::NotFound, "recording not found");
        return std::monostate{};
      },
      Generation::Keep);
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace callwire::store::sql
