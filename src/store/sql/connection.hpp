#pragma once
// One database connection, used by one thread at a time (the pool in
// database.hpp hands it out). Implemented by SqliteConnection and
// PgConnection.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/sql/value.hpp"

namespace callwire::store::sql {

// What differs in DDL and locking between the backends. Migration text uses
// the tokens {seq} and {bool}; see migrations.cpp.
struct Dialect {
  std::string_view name;             // "sqlite" | "postgresql"
  std::string_view seq_column;       // auto-increasing integer primary key
  std::string_view bool_type;
  std::string_view lock_migrations;  // run first in each migration transaction ("" = none)
};

class Connection {
 public:
  virtual ~Connection() = default;

  // Runs one statement with $1..$n placeholders; calls `on_row` for every
  // result row. Returns the number of rows changed (DML) or 0.
  [[nodiscard]] virtual Result<std::int64_t> execute(std::string_view sql, std::span<const Value> params,
                                                     const RowFn& on_row) = 0;
  // Runs statements without parameters (migrations, session settings).
  [[nodiscard]] virtual Status execute_script(std::string_view sql) = 0;

  // `write`: the transaction will write (SQLite takes the write lock up front
  // with BEGIN IMMEDIATE, so it never fails half-way on a lock upgrade).
  [[nodiscard]] virtual Status begin(bool write) = 0;
  [[nodiscard]] virtual Status commit() = 0;
  virtual void rollback() = 0;

  // Inside a transaction that can still commit (not aborted by an error).
  virtual bool in_transaction() const = 0;

  // The connection is unusable (lost server); the pool drops it.
  virtual bool broken() const = 0;
};

}  // namespace callwire::store::sql
