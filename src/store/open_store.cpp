#include "store/open_store.hpp"

#include "store/postgres/pg_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace callwire::store {

Result<std::unique_ptr<Store>> open_store(const StoreConfig& config) {
  if (!config.db_url.empty()) {
    if (config.db_url.starts_with("postgres://") || config.db_url.starts_with("postgresql://"))
      return postgres::open_pg_store(config);
    return fail(Errc::Invalid, "unsupported database URL (expected postgres:// or postgresql://)");
  }
  return sqlite::open_sqlite_store(config);
}

}  // namespace callwire::store
