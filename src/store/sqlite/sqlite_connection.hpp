#pragma once
// One SQLite connection with its prepared-statement cache. Opened in WAL
// mode with synchronous=FULL (a COMMIT returns only after the WAL is on
// disk), foreign keys on and a busy timeout for the single-writer lock.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/sql/connection.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace callwire::store::sqlite {

class SqliteConnection final : public sql::Connection {
 public:
  [[nodiscard]] static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path, int busy_timeout_ms);
  ~SqliteConnection() override;

  Result<std::int64_t> execute(std::string_view sql, std::span<const sql::Value> params,
                               const sql::RowFn& on_row) override;
  Status execute_script(std::string_view sql) override;
  Status begin(bool write) override;
  Status commit() override;
  void rollback() override;
  bool in_transaction() const override;
  bool broken() const override { return false; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Result<sqlite3_stmt*> prepare(std::string_view sql);

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;
};

// The store::Errc for an SQLite result code.
Error sqlite_error(int rc, std::string_view message);

inline const sql::Dialect kSqliteDialect{
    .name = "sqlite",
    .seq_column = "INTEGER PRIMARY KEY AUTOINCREMENT",
    .bool_type = "INTEGER",
    .lock_migrations = "",
};

}  // namespace callwire::store::sqlite
