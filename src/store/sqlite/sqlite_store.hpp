#pragma once
// The SQLite backend: DATA_DIR/callwire.db (0600; directory 0700 when
// created), WAL, synchronous=FULL, a small pool of connections.
#include <memory>

#include "core/result.hpp"
#include "store/store.hpp"

namespace callwire::store::sqlite {

[[nodiscard]] Result<std::unique_ptr<Store>> open_sqlite_store(const StoreConfig& config);

}  // namespace callwire::store::sqlite
