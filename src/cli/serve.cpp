// `callwire serve`: wires the layers together and runs them until SIGINT or
// SIGTERM. One Stack per worker; the Dispatcher pins each call to the worker
// its Call-ID hashes to (docs/architecture.md). The REST API runs on its own
// io_context thread with a blocking handler pool (the store is synchronous).
#include "cli/serve.hpp"

#include "cli/demo.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "api/api.hpp"
#include "api/bootstrap.hpp"
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "auth/abuse_guard.hpp"
#include "auth/digest.hpp"
#include "auth/domain_host.hpp"
#include "calls/call_log.hpp"
#include "calls/call_services.hpp"
#include "calls/domain_directory.hpp"
#include "calls/inbound_admission.hpp"
#include "calls/inbound_calls.hpp"
#include "sip/stack/name_resolver.hpp"
#include "core/log.hpp"
#include "core/sid.hpp"
#include "media/audio/decoded_audio_cache.hpp"
#include "media/engine/media_engine.hpp"
#include "media/tts/synthesizer.hpp"
#include "metrics/metrics.hpp"
#include "webhook/client.hpp"
#include "net/asio_timers.hpp"
#include "net/endpoint.hpp"
#include "net/worker_pool.hpp"
#include "sip/stack/dispatcher.hpp"
#include "sip/stack/stack.hpp"
#include "sip/transport/asio_transport.hpp"
#include "http/server.hpp"
#include "store/open_store.hpp"

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
  tc.udp_receive_buffer = cfg.udp_receive_buffer;
  tc.limits.max_message_size = cfg.max_message_size;
  return tc;
}

calls::CallsConfig calls_config_from(const ServeConfig& cfg) {
  calls::CallsConfig c;
  c.sip_domain_base = cfg.sip_domain_base;
  c.extra_edges = cfg.edges;
  c.acl_miss_answers_403 = cfg.acl_miss_403;
  c.srtp_on_insecure_domains = cfg.srtp_on_insecure_domains;
  c.reject_status = cfg.reject_status;
  c.session_timer.min_se = std::chrono::seconds(cfg.session_min_se_s);
  c.session_timer.interval = std::chrono::seconds(cfg.session_expires_s);
  return c;
}

webhook::ClientConfig webhook_config(const ServeConfig& cfg) {
  webhook::ClientConfig c;
  c.ca_file = cfg.webhook_ca_file;
  c.refuse_private_addresses = cfg.webhook_refuse_private;
  c.defaults.connect_timeout_ms = static_cast<int>(cfg.webhook_connect_timeout_ms);
  c.defaults.read_timeout_ms = static_cast<int>(cfg.webhook_timeout_ms);
  c.defaults.total_timeout_ms = static_cast<int>(cfg.webhook_timeout_ms);
  c.defaults.retries = cfg.webhook_retries;
  return c;
}

auth::DigestConfig digest_config(const ServeConfig& cfg, std::string realm) {
  auth::DigestConfig c;
  c.realm = std::move(realm);
  c.secret = cfg.nonce_secret.empty() ? secure_random_hex(64) : cfg.nonce_secret;
  c.nonce_lifetime = std::chrono::seconds(cfg.nonce_lifetime_s);
  c.offer_sha256 = cfg.digest_sha256;
  return c;
}

auth::AbuseConfig abuse_config(const ServeConfig& cfg) {
  auth::AbuseConfig c;
  c.auth_failures_per_minute = cfg.auth_failures_per_minute;
  c.auth_block = std::chrono::seconds(cfg.auth_block_s);
  c.invites_per_second = cfg.invites_per_second;
  c.flood_block = std::chrono::seconds(cfg.flood_block_s);
  c.drop_scanners = !cfg.allow_scanners;
  return c;
}

// The address our SDP names (c=): --media-address, else --public-address
// when it is an IP, else the first SIP listener that is not a wildcard,
// else loopback.
std::string media_address_of(const ServeConfig& cfg, spdlog::logger& logger) {
  if (!cfg.media_address.empty()) return cfg.media_address;
  auto usable = [](std::string host) -> std::optional<std::string> {
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    auto ip = boost::asio::ip::make_address(host, ec);
    if (ec || ip.is_unspecified()) return std::nullopt;
    return host;
  };
  if (!cfg.public_address.empty()) {
    if (auto ip = usable(cfg.public_address)) return *ip;
    logger.warn("--public-address {} is not an IP address: SDP will not name it (set --media-address)",
                cfg.public_address);
  }
  for (const auto& a : cfg.sip_listen) {
    if (auto ip = usable(a.host)) return *ip;
  }
  for (const auto& a : cfg.sips_listen) {
    if (auto ip = usable(a.host)) return *ip;
  }
  logger.warn("media address: 127.0.0.1 (the SIP listener is a wildcard); set --media-address for remote phones");
  return "127.0.0.1";
}

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

// Opens the store and makes sure the main account exists. Generated
// credentials are printed once, on the run that creates them; after that the
// token is never shown or logged again.
std::unique_ptr<store::Store> open_tenant_store(const ServeConfig& cfg, std::shared_ptr<spdlog::logger> logger,
                                                int& exit_code) {
  store::StoreConfig sc;
  sc.db_url = cfg.db_url;
  sc.data_dir = cfg.data_dir;
  sc.secret_key_file = cfg.secret_key_file;
  sc.pool_size = static_cast<int>(std::max<std::size_t>(2, cfg.http_threads));
  auto opened = store::open_store(sc);
  if (!opened) {
    logger->error("cannot open the database: {}", opened.error().what());
    exit_code = 1;
    return nullptr;
  }
  auto store = std::move(*opened);
  logger->info("database: {}", store->describe());

  auto sid = env("CALLWIRE_ACCOUNT_SID");
  auto token = env("CALLWIRE_AUTH_TOKEN");
  const bool given = sid.has_value();
  auto main = api::ensure_main_account(store->accounts(), std::move(sid), std::move(token));
  if (!main) {
    logger->error("main account: {}", main.error().what());
    exit_code = main.error().code == std::errc::invalid_argument ? 2 : 1;
    return nullptr;
  }
  if (main->created && !given) {
    std::printf(
        "callwire: created the main account. Save these credentials now, the auth token is not shown again:\n"
        "  CALLWIRE_ACCOUNT_SID=%s\n  CALLWIRE_AUTH_TOKEN=%s\n",
        main->account.sid.c_str(), main->account.auth_token.c_str());
    std::fflush(stdout);
  } else if (main->created) {
    logger->info("created the main account {} from CALLWIRE_ACCOUNT_SID / CALLWIRE_AUTH_TOKEN", main->account.sid);
  } else {
    logger->info("main account {}", main->account.sid);
  }
  return store;
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

  int exit_code = 0;
  auto store = open_tenant_store(cfg, logger, exit_code);
  if (!store) return exit_code;
  api::ApiConfig api_config;
  api_config.sip_domain_base = cfg.sip_domain_base;
  api_config.data_dir = cfg.data_dir;
  api_config.recording_media_require_auth = cfg.recording_media_auth;
  api::Api api(*store, api_config);
  auto calls_config = calls_config_from(cfg);

  net::WorkerPool pool(cfg.workers);
  sip::AsioTransport transport(pool, std::move(*tc));

  // The inbound call pipeline (docs/architecture.md: where an INVITE goes).
  metrics::Metrics metrics;
  boost::asio::thread_pool blocking(cfg.http_threads);  // store reads/writes of the SIP side
  calls::DomainDirectory directory(*store, blocking, calls_config.directory_refresh,
                                   calls_config.directory_max_entries);
  // One webhook client per worker, driven by the worker's loop: a call's
  // webhooks are sent and answered on the call's own thread.
  std::vector<std::unique_ptr<webhook::Client>> webhooks;
  std::vector<webhook::Client*> webhook_ptrs;
  for (std::size_t w = 0; w < pool.size(); ++w) {
    webhooks.push_back(std::make_unique<webhook::Client>(webhook_config(cfg), pool.context(w)));
    webhook_ptrs.push_back(webhooks.back().get());
  }
  calls::CallLog call_log(*store);
  auth::HostResolver hosts(cfg.sip_domain_base, cfg.edges);
  auth::DigestAuthenticator digest(digest_config(cfg, api_config.realm()));
  auth::AbuseGuard abuse(abuse_config(cfg));
  std::vector<std::unique_ptr<net::AsioTimers>> timers;
  std::vector<Timers*> timer_ptrs;
  for (std::size_t w = 0; w < pool.size(); ++w) {
    timers.push_back(std::make_unique<net::AsioTimers>(pool.context(w)));
    timer_ptrs.push_back(timers.back().get());
  }
  // Media: one engine per worker on its slice of --rtp-ports, one TTS
  // thread, one cache of decoded <Play> media, and per-worker clients for
  // <Play> fetches (media bodies are larger than TwiML's 64 kB).
  std::string media_address = media_address_of(cfg, *logger);
  auto slices = media::engine::split_port_range(cfg.rtp_ports, pool.size());
  if (!slices) {
    logger->error("--rtp-ports {}: {}", cfg.rtp_ports, slices.error().what());
    return 2;
  }
  std::vector<std::unique_ptr<media::engine::MediaEngine>> engines;
  std::vector<media::engine::MediaEngine*> engine_ptrs;
  for (std::size_t w = 0; w < pool.size(); ++w) {
    media::engine::EngineConfig ec;
    ec.advertised_address = media_address;
    ec.port_first = (*slices)[w].first;
    ec.port_last = (*slices)[w].second;
    auto engine = media::engine::MediaEngine::create(pool.context(w), ec);
    if (!engine) {
      logger->error("cannot start the media engine: {}", engine.error().what());
      return 1;
    }
    engines.push_back(std::move(*engine));
    engine_ptrs.push_back(engines.back().get());
  }
  auto tts = media::tts::Synthesizer::create();
  if (!tts) {
    logger->error("cannot start text to speech (espeak-ng): {}", tts.error().what());
    return 1;
  }
  media::audio::DecodedAudioCache audio_cache;
  std::vector<std::unique_ptr<webhook::Client>> media_fetchers;
  std::vector<webhook::Client*> media_fetch_ptrs;
  for (std::size_t w = 0; w < pool.size(); ++w) {
    auto fetch_config = webhook_config(cfg);
    fetch_config.max_body = media::audio::DecodeLimits{}.max_input_bytes;
    media_fetchers.push_back(std::make_unique<webhook::Client>(fetch_config, pool.context(w)));
    media_fetch_ptrs.push_back(media_fetchers.back().get());
  }
  logger->info("media: RTP ports {} on {} workers, SDP address {}", cfg.rtp_ports, pool.size(), media_address);

  calls::CallServices services{calls_config, pool,    timer_ptrs, directory, webhook_ptrs,
                               call_log,     metrics, hosts,      digest,    abuse};
  services.media = engine_ptrs;
  services.tts = tts->get();
  services.media_fetch = media_fetch_ptrs;
  services.audio_cache = &audio_cache;
  services.offload = [&blocking](std::function<void()> work) { boost::asio::post(blocking, std::move(work)); };
  services.recordings = &store->recordings();
  services.data_dir = cfg.data_dir;
  dial::TrunkUsage trunk_usage;
  services.trunks = &store->trunks();
  services.accounts = &store->accounts();
  services.trunk_usage = &trunk_usage;
  calls::InboundAdmission admission(services);
  calls::InboundCalls calls(services);

  sip::StackConfig stack_config;
  stack_config.timers.t1 = Millis(cfg.t1_ms);
  stack_config.timers.t2 = Millis(cfg.t2_ms);
  stack_config.timers.t4 = Millis(cfg.t4_ms);
  stack_config.server = "callwire/" CALLWIRE_VERSION;

  // Declared after the pool and transport so they are destroyed first (the
  // resolvers, which <Dial> targets named by host use, after the stacks).
  std::vector<std::unique_ptr<sip::AsioNameResolver>> resolvers;
  std::vector<std::unique_ptr<sip::Stack>> stacks;
  std::vector<sip::Stack*> stack_ptrs;
  for (std::size_t w = 0; w < pool.size(); ++w) {
    resolvers.push_back(std::make_unique<sip::AsioNameResolver>(pool.context(w)));
    stacks.push_back(std::make_unique<sip::Stack>(stack_config, transport.worker(w), *timers[w],
                                                  admission, calls));
    stacks.back()->set_resolver(resolvers.back().get());
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

  // The REST API: its own io_context thread for connections, a blocking pool
  // for handlers. Never a SIP worker.
  boost::asio::io_context http_io;
  auto http_work = boost::asio::make_work_guard(http_io);
  http::ServerOptions http_options;
  http_options.listen = {boost::asio::ip::make_address(cfg.http_listen.host), cfg.http_listen.port};
  http_options.handler_threads = cfg.http_threads;
  auto router = api.make_router();
  router.add(http::Method::Get, "/metrics", [&metrics](const http::Request&) {
    http::Response r;
    r.status = 200;
    r.headers.set("Content-Type", "text/plain; version=0.0.4");
    r.body = metrics.scrape();
    return r;
  });
  http::Server http_server(http_io, std::move(router), http_options);
  if (auto started = http_server.start(); !started) {
    logger->error("cannot start the REST API: {}", started.error().what());
    transport.close();
    return 1;
  }
  logger->info("REST API on http://{}", net::format_endpoint(http_server.local_endpoint()));
  {
    // <Record>'s RecordingUrl names the REST API as this process serves it
    // (set before the workers run any call).
    auto ep = http_server.local_endpoint();
    auto host = ep.address.is_unspecified() ? boost::asio::ip::make_address("127.0.0.1") : ep.address;
    services.api_base_url = "http://" + net::format_endpoint(host, ep.port);
  }
  if (cfg.demo) {
    auto ep = http_server.local_endpoint();
    auto host = ep.address.is_unspecified() ? boost::asio::ip::make_address("127.0.0.1") : ep.address;
    std::string http_base = "http://" + net::format_endpoint(host, ep.port);
    auto demo = ensure_demo_domain(*store, cfg.sip_domain_base, http_base, api_config.realm());
    if (!demo) {
      logger->error("demo domain: {}", demo.error().what());
    } else if (demo->created) {
      std::printf(
          "callwire: created the demo domain %s (callable from 127.0.0.1). Its SIP account, shown once:\n"
          "  username: %s\n  password: %s\n"
          "Call sip:anything@%s (proxy 127.0.0.1, your SIP port) to hear the congratulations.\n",
          demo->domain_name.c_str(), demo->username.c_str(), demo->password.c_str(), demo->domain_name.c_str());
      std::fflush(stdout);
    } else {
      logger->info("demo domain {} (user {}; its password was shown when it was created)", demo->domain_name,
                   demo->username);
    }
  }
  std::thread http_thread([&http_io] { http_io.run(); });

  boost::asio::signal_set signals(pool.context(0), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    logger->info("signal {}: shutting down", signal);
    pool.stop();
  });

  logger->info("callwire {} ready: {} workers", CALLWIRE_VERSION, pool.size());
  pool.start();
  pool.join();
  call_log.flush();  // the last calls' records, before anything else stops
  transport.close();
  for (auto& client : webhooks) client->stop();  // the workers have stopped: safe off their threads
  for (auto& client : media_fetchers) client->stop();
  blocking.join();
  http_server.stop();
  http_work.reset();
  http_io.stop();
  http_thread.join();
  logger->info("stopped");
  return 0;
}

}  // namespace callwire::cli
