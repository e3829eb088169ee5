#pragma once
// One spdlog logger per layer ("sip", "tx", "dialog", "net", ...), each with
// its own level. Lines about a SIP message carry its Call-ID as "[cid=...]".
#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

namespace callwire::log {

// The logger named `layer`, created on first use with the process defaults.
// Hot paths call this per message: each thread keeps the loggers it has seen
// (loggers are never dropped, so the cached ones stay the registry's), which
// spares spdlog's registry mutex and a string per call. The reference stays
// valid for the calling thread's life.
const std::shared_ptr<spdlog::logger>& get(std::string_view layer);

// Sets the default level ("trace".."off") for all loggers, and optionally
// per-layer levels given as "sip=debug,tx=trace".
void configure(std::string_view level, std::string_view per_layer = {});

}  // namespace callwire::log
