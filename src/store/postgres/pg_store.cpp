#include "store/postgres/pg_store.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/sql/repos.hpp"
#include "store/sql/secret_box.hpp"

namespace callwire::store::postgres {

Result<std::unique_ptr<Store>> open_pg_store(const StoreConfig& config) {
  const std::string url = config.db_url;
  const int timeout_s = std::max(1, (config.busy_timeout_ms + 999) / 1000);
  // Connect once up front: a clear error at startup, and a description.
  auto first = PgConnection::open(url, timeout_s);
  if (!first) return std::unexpected(first.error());
  sql::DatabaseOptions options{
      .dialect = kPgDialect,
      .pool_size = config.pool_size,
      .wait = std::chrono::milliseconds(config.busy_timeout_ms),
      .generation_is_local = false,  // other nodes write too
      .description = "postgresql " + (*first)->describe(),
  };
  first->reset();
  auto db = std::make_unique<sql::Database>(
      [url, timeout_s]() -> Result<std::unique_ptr<sql::Connection>> {
        auto c = PgConnection::open(url, timeout_s);
        if (!c) return std::unexpected(c.error());
        return std::unique_ptr<sql::Connection>(std::move(*c));
      },
      std::move(options));
  if (auto ok = db->migrate(); !ok) return std::unexpected(ok.error());
  log::get("store")->info("store: {}", db->description());
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(
      std::move(db), sql::secret_key_path(config.secret_key_file, config.data_dir)));
}

}  // namespace callwire::store::postgres
