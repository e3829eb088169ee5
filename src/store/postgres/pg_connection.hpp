#pragma once
// One libpq connection. Every statement is prepared once per connection
// (PQprepare) and run with PQexecPrepared: values travel as parameters,
// never inside SQL text.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/sql/connection.hpp"

struct pg_conn;
struct pg_result;

namespace callwire::store::postgres {

class PgConnection final : public sql::Connection {
 public:
  [[nodiscard]] static Result<std::unique_ptr<PgConnection>> open(const std::string& url, int connect_timeout_s);
  ~PgConnection() override;

  Result<std::int64_t> execute(std::string_view sql, std::span<const sql::Value> params,
                               const sql::RowFn& on_row) override;
  Status execute_script(std::string_view sql) override;
  Status begin(bool write) override;
  Status commit() override;
  void rollback() override;
  bool in_transaction() const override;
  bool broken() const override { return broken_; }

  // "host:port/dbname" for logs (no user, no password).
  std::string describe() const;

 private:
  explicit PgConnection(pg_conn* c) : conn_(c) {}
  Error error_of(pg_result* res);

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  pg_conn* conn_;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> prepared_;  // SQL → statement name
  bool broken_ = false;
};

inline const sql::Dialect kPgDialect{
    .name = "postgresql",
    .seq_column = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    .bool_type = "BOOLEAN",
    // Nodes starting together apply each migration once.
    .lock_migrations = "LOCK TABLE schema_version IN EXCLUSIVE MODE",
};

}  // namespace callwire::store::postgres
