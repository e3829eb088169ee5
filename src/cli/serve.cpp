// `callwire serve`: wires the layers together and runs them until SIGINT or
// SIGTERM. One Stack per worker; the Dispatcher pins each call to the worker
// its Call-ID hashes to (docs/architecture.md).
#include "cli/serve.hpp"

#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <memory>
#include <vector>

#include "app/unrouted_calls.hpp"
#include "core/log.hpp"
#include "net/asio_timers.hpp"
#include "net/endpoint.hpp"
#include "net/worker_pool.hpp"
#include "sip/stack/admission.hpp"
#include "sip/stack/dispatcher.hpp"
#include "sip/stack/stack.hpp"
#include "sip/transport/asio_transport.hpp"

namespace callwire::cli {

namespace {

Result<sip::TransportConfig> transport_config(const ServeConfig& cfg) {
  sip::TransportConfig tc;
  for (const auto& a : cfg.sip_listen) {
    auto listen = sip::parse_listen(to_string(a), false);
    if (!listen) return std::unexpected(listen.error());
    tc.listen.push_back(std::move(*listen));
  }
  for (const auto& a : cfg.sips_listen) {
    auto listen = sip::parse_listen(to_string(a), true);
    if (!listen) return std::unexpected(listen.error());
    tc.listen.push_back(std::move(*listen));
  }
  tc.tls_cert_file = cfg.tls_cert;
  tc.tls_key_file = cfg.tls_key;
  tc.public_address = cfg.public_address;
  tc.idle_timeout = std::chrono::seconds(cfg.tcp_idle_timeout_s);
  tc.limits.max_message_size = cfg.max_message_size;
  return tc;
}

}  // namespace

int run_serve(const ServeConfig& cfg) {
  log::configure(cfg.log_level, cfg.log_layers);
  auto logger = log::get("cli");

  auto tc = transport_config(cfg);
  if (!tc) {
    logger->error("bad SIP listen address: {}", tc.error().what());
    return 2;
  }

  net::WorkerPool pool(cfg.workers);
  sip::AsioTransport transport(pool, std::move(*tc));
  sip::AdmitAll admission;
  app::UnroutedCalls calls;

  sip::StackConfig stack_config;
  stack_config.timers.t1 = Millis(cfg.t1_ms);
  stack_config.timers.t2 = Millis(cfg.t2_ms);
  stack_config.timers.t4 = Millis(cfg.t4_ms);
  stack_config.server = "callwire/" CALLWIRE_VERSION;

  // Declared after the pool and transport so they are destroyed first.
  std::vector<std::unique_ptr<net::AsioTimers>> timers;
  std::vector<std::unique_ptr<sip::Stack>> stacks;
  std::vector<sip::Stack*> stack_ptrs;
  for (std::size_t w = 0; w < pool.size(); ++w) {
    timers.push_back(std::make_unique<net::AsioTimers>(pool.context(w)));
    stacks.push_back(std::make_unique<sip::Stack>(stack_config, transport.worker(w), *timers.back(),
                                                  admission, calls));
    stack_ptrs.push_back(stacks.back().get());
  }
  sip::Dispatcher dispatcher(pool, stack_ptrs);
  transport.set_handler(dispatcher);

  if (auto opened = transport.open(); !opened) {
    logger->error("cannot open SIP transports: {}", opened.error().what());
    return 1;
  }
  for (const auto& e : transport.local_endpoints()) {
    logger->info("listening on {} {}", sip::protocol_name(e.protocol), net::format_endpoint(e.address, e.port));
  }

  boost::asio::signal_set signals(pool.context(0), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    logger->info("signal {}: shutting down", signal);
    pool.stop();
  });

  logger->info("callwire {} ready: {} workers", CALLWIRE_VERSION, pool.size());
  pool.start();
  pool.join();
  transport.close();
  logger->info("stopped");
  return 0;
}

}  // namespace callwire::cli
