// Placeholder until the SIP stack is wired in: reports the configuration it
// would serve with and exits.
#include "cli/serve.hpp"

#include "core/log.hpp"

namespace callwire::cli {

int run_serve(const ServeConfig& cfg) {
  log::configure(cfg.log_level, cfg.log_layers);
  auto logger = log::get("cli");
  for (const auto& a : cfg.sip_listen) logger->info("sip listen udp+tcp {}", to_string(a));
  for (const auto& a : cfg.sips_listen) logger->info("sip listen tls {}", to_string(a));
  logger->info("http listen {}, data {}, workers {}", to_string(cfg.http_listen), cfg.data_dir, cfg.workers);
  logger->warn("the SIP stack is not wired in yet; exiting");
  return 0;
}

}  // namespace callwire::cli
