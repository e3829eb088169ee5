#include "store/sqlite/sqlite_connection.hpp"

#include <sqlite3.h>

#include "store/errc.hpp"

namespace callwire::store::sqlite {

namespace {

class SqliteRow final : public sql::Row {
 public:
  explicit SqliteRow(sqlite3_stmt* s) : s_(s) {}
  bool is_null(int col) const override { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::int64_t integer(int col) const override { return sqlite3_column_int64(s_, col); }
  bool boolean(int col) const override { return sqlite3_column_int64(s_, col) != 0; }
  std::string text(int col) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    const int n = sqlite3_column_bytes(s_, col);
    return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  sqlite3_stmt* s_;
};

// Statements are written with PostgreSQL's $N; SQLite's ?N means the same.
std::string to_sqlite_placeholders(std::string_view sql) {
  std::string out(sql);
  for (std::size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i] == '$' && out[i + 1] >= '0' && out[i + 1] <= '9') out[i] = '?';
  return out;
}

}  // namespace

Error sqlite_error(int rc, std::string_view message) {
  const int primary = rc & 0xff;
  Errc code = Errc::Internal;
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: code = Errc::Conflict; break;
    case SQLITE_CONSTRAINT_FOREIGNKEY: code = Errc::ForeignKey; break;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL: code = Errc::Invalid; break;
    default:
      switch (primary) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_NOMEM: code = Errc::Unavailable; break;
        default: break;
      }
  }
  return Error(make_error_code(code), "sqlite: " + std::string(message));
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path, int busy_timeout_ms) {
  sqlite3* db = nullptr;
  // NOMUTEX: the pool gives a connection to one thread at a time.
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(rc, db ? sqlite3_errmsg(db) : "cannot open " + path);
    e.code = make_error_code(Errc::Unavailable);
    sqlite3_close(db);
    return std::unexpected(e);
  }
  std::unique_ptr<SqliteConnection> c(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  // journal_mode=WAL is persistent in the file; the others are per connection.
  // temp_store=MEMORY: the statement journal of an upsert inside a batch's
  // transaction (and any temporary b-tree) stays in memory instead of a file
  // created, written and unlinked per batch; durability is the WAL's alone.
  if (auto ok = c->execute_script(
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
      !ok)
    return std::unexpected(ok.error());
  std::string mode;
  auto r = c->execute("PRAGMA journal_mode", {}, [&](const sql::Row& row) { mode = row.text(0); });
  if (!r) return std::unexpected(r.error());
  if (mode != "wal") return fail(Errc::Unavailable, "sqlite: WAL mode unavailable for " + path + " (got " + mode + ")");
  return c;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Result<sqlite3_stmt*> SqliteConnection::prepare(std::string_view sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
  const std::string text = to_sqlite_placeholders(sql);
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size() + 1), SQLITE_PREPARE_PERSISTENT,
                                    &stmt, nullptr);
  if (rc != SQLITE_OK) return std::unexpected(sqlite_error(rc, sqlite3_errmsg(db_)));
  cache_.emplace(std::string(sql), stmt);
  return stmt;
}

Result<std::int64_t> SqliteConnection::execute(std::string_view sql, std::span<const sql::Value> params,
                                               const sql::RowFn& on_row) {
  auto prepared = prepare(sql);
  if (!prepared) return std::unexpected(prepared.error());
  sqlite3_stmt* stmt = *prepared;
  struct Reset {
    sqlite3_stmt* s;
    ~Reset() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  } reset{stmt};

  for (std::size_t i = 0; i < params.size(); ++i) {
    const sql::Value& v = params[i];
    const int index = static_cast<int>(i + 1);
    int rc = SQLITE_OK;
    switch (v.type()) {
      case sql::Value::Type::Null: rc = sqlite3_bind_null(stmt, index); break;
      case sql::Value::Type::Integer:
      case sql::Value::Type::Boolean: rc = sqlite3_bind_int64(stmt, index, v.integer()); break;
      case sql::Value::Type::Text:
        if (auto ok = sql::check_text(v.text()); !ok) return std::unexpected(ok.error());
        rc = sqlite3_bind_text64(stmt, index, v.text().data(), v.text().size(), SQLITE_STATIC, SQLITE_UTF8);
        break;
    }
    if (rc != SQLITE_OK) return std::unexpected(sqlite_error(rc, sqlite3_errmsg(db_)));
  }

  SqliteRow row(stmt);
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      if (on_row) on_row(row);
      continue;
    }
    if (rc == SQLITE_DONE) break;
    return std::unexpected(sqlite_error(rc, sqlite3_errmsg(db_)));
  }
  return sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes64(db_);
}

Status SqliteConnection::execute_script(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(rc, message ? message : sqlite3_errmsg(db_));
    sqlite3_free(message);
    return std::unexpected(e);
  }
  return {};
}

Status SqliteConnection::begin(bool write) {
  // IMMEDIATE takes the write lock now (waiting up to busy_timeout), so a
  // write transaction never fails later on a read-to-write lock upgrade.
  auto r = execute(write ? "BEGIN IMMEDIATE" : "BEGIN", {}, {});
  if (!r) return std::unexpected(r.error());
  return {};
}

Status SqliteConnection::commit() {
  auto r = execute("COMMIT", {}, {});
  if (!r) return std::unexpected(r.error());
  return {};
}

bool SqliteConnection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void SqliteConnection::rollback() {
  if (!sqlite3_get_autocommit(db_)) (void)execute("ROLLBACK", {}, {});
}

}  // namespace callwire::store::sqlite
