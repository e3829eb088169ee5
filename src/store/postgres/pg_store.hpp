#pragma once
// The PostgreSQL backend: libpq, a small connection pool, the shared
// migrations. Every node of a cluster may open the same database.
#include <memory>

#include "core/result.hpp"
#include "store/store.hpp"

namespace callwire::store::postgres {

[[nodiscard]] Result<std::unique_ptr<Store>> open_pg_store(const StoreConfig& config);

}  // namespace callwire::store::postgres
