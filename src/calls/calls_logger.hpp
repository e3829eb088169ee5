#pragma once
// The calls layer's logger, shared by its files (one definition, so the
// layer's files can be compiled together in unity batches).
#include <memory>

#include <spdlog/logger.h>

#include "core/log.hpp"

namespace callwire::calls {

inline const std::shared_ptr<spdlog::logger>& logger() { return log::get("calls"); }

}  // namespace callwire::calls
