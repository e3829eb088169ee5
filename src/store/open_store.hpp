#pragma once
// Opens the backend StoreConfig names and applies pending migrations. Lives
// in its own target (callwire_store_open), the only one that links both
// backends; code that only uses a Store links callwire_store.
#include <memory>

#include "core/result.hpp"
#include "store/store.hpp"

namespace callwire::store {

// Unavailable when the database cannot be opened or reached; Internal when a
// migration fails (nothing of that migration is applied).
[[nodiscard]] Result<std::unique_ptr<Store>> open_store(const StoreConfig& config);

}  // namespace callwire::store
