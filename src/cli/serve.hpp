#pragma once
// `callwire serve`: builds the server from a validated config and runs it
// until SIGINT/SIGTERM. Returns the process exit code.
#include "cli/config.hpp"

namespace callwire::cli {

int run_serve(const ServeConfig& cfg);

}  // namespace callwire::cli
