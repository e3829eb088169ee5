// REST API throughput: the real http::Server, api router and SQLite store in
// this process, driven over keep-alive HTTP on loopback by http::Client (one
// connection per benchmark thread). Each iteration is one create (POST, 201)
// and one fetch (GET, 200) of a credential list or a domain; the figure is
// requests per second (wall clock). A fetch-only run shows the read path
// alone. Each run is bounded by its MinTime (1-2 s).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/api.hpp"
#include "api/bootstrap.hpp"
#include "core/log.hpp"
#include "http/client.hpp"
#include "http/server.hpp"
#include "store/open_store.hpp"

namespace {

using namespace callwire;

// One server for the whole run: store in a temp dir, main account, API on
// 127.0.0.1:0. Per-account limits are raised: the benchmark creates
// thousands of lists, the published limit is 100.
class ApiServer {
 public:
  ApiServer() {
    char tmpl[] = "/tmp/callwire-bench-api-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    store::StoreConfig sc;
    sc.data_dir = dir_ + "/data";
    sc.pool_size = 4;
    auto s = store::open_store(sc);
    if (!s) throw std::runtime_error("open_store: " + s.error().what());
    store_ = std::move(*s);
    auto main = api::ensure_main_account(store_->accounts(), std::nullopt, std::nullopt);
    if (!main) throw std::runtime_error("main account: " + main.error().what());
    sid_ = main->account.sid;
    token_ = main->account.auth_token;

    api::ApiConfig config;
    config.limits.domains_per_account = 100'000'000;
    config.limits.credential_lists_per_account = 100'000'000;
    api_ = std::make_unique<api::Api>(*store_, config);
    work_.emplace(io_.get_executor());
    http::ServerOptions options;
    options.handler_threads = 4;
    server_ = std::make_unique<http::Server>(io_, api_->make_router(), options);
    if (auto started = server_->start(); !started) throw std::runtime_error("server: " + started.error().what());
    thread_ = std::thread([this] { io_.run(); });
  }

  ~ApiServer() {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
    server_.reset();
    api_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  http::Client client() const {
    http::Client c("127.0.0.1", server_->bound_port());
    c.set_basic_auth(sid_, token_);
    return c;
  }
  std::string account_path() const { return "/2010-04-01/Accounts/" + sid_; }
  std::uint64_t next_id() { return counter_.fetch_add(1); }

 private:
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<api::Api> api_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::string sid_, token_;
  std::atomic<std::uint64_t> counter_{0};
};

// POST `collection` with `form` (expects 201), then GET the new item's uri
// (expects 200). False (and the state's error) on anything else.
bool create_and_fetch(benchmark::State& state, http::Client& client, const std::string& collection,
                      const http::Params& form) {
  auto created = client.post(collection, form);
  if (!created || created->status != 201) {
    state.SkipWithError(created ? ("create answered " + std::to_string(created->status) + ": " + created->body).c_str()
                                : ("create failed: " + created.error().what()).c_str());
    return false;
  }
  auto body = nlohmann::json::parse(created->body, nullptr, false);
  if (!body.is_object() || !body["uri"].is_string()) {
    state.SkipWithError("create answered without a uri");
    return false;
  }
  auto fetched = client.get(body["uri"].get<std::string>());
  if (!fetched || fetched->status != 200) {
    state.SkipWithError("fetch failed");
    return false;
  }
  return true;
}

void report(benchmark::State& state, const http::Client& client) {
  state.counters["requests/s"] =
      benchmark::Counter(static_cast<double>(2 * state.iterations()), benchmark::Counter::kIsRate);
  state.counters["connections"] = static_cast<double>(client.connections_opened());
}

void credential_list_create_fetch(benchmark::State& state, ApiServer& server) {
  auto client = server.client();
  const auto collection = server.account_path() + "/SIP/CredentialLists.json";
  for (auto _ : state) {
    http::Params form{{"FriendlyName", "bench list " + std::to_string(server.next_id())}};
    if (!create_and_fetch(state, client, collection, form)) break;
  }
  report(state, client);
}

void domain_create_fetch(benchmark::State& state, ApiServer& server) {
  auto client = server.client();
  const auto collection = server.account_path() + "/SIP/Domains.json";
  for (auto _ : state) {
    http::Params form{{"DomainName", "bench" + std::to_string(server.next_id()) + ".sip.localhost"},
                      {"VoiceUrl", "https://app.example.com/voice"}};
    if (!create_and_fetch(state, client, collection, form)) break;
  }
  report(state, client);
}

// Reads alone (GET of one existing list), to separate the write cost.
void credential_list_fetch(benchmark::State& state, ApiServer& server) {
  auto client = server.client();
  auto created = client.post(server.account_path() + "/SIP/CredentialLists.json", {{"FriendlyName", "bench read"}});
  auto body = created ? nlohmann::json::parse(created->body, nullptr, false) : nlohmann::json();
  if (!created || created->status != 201 || !body.is_object() || !body["uri"].is_string()) {
    state.SkipWithError("setup create failed");
    return;
  }
  const auto uri = body["uri"].get<std::string>();
  for (auto _ : state) {
    auto fetched = client.get(uri);
    if (!fetched || fetched->status != 200) {
      state.SkipWithError("fetch failed");
      break;
    }
  }
  state.counters["requests/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // Request logging would dominate the figure.
  for (const char* name : {"api", "http", "store"}) log::get(name)->set_level(spdlog::level::warn);

  ApiServer server;
  for (int threads : {1, 4}) {
    benchmark::RegisterBenchmark("api/credential_list_create_fetch",
                                 [&server](benchmark::State& s) { credential_list_create_fetch(s, server); })
        ->Threads(threads)
        ->UseRealTime()
        ->MinTime(2.0);
    benchmark::RegisterBenchmark("api/domain_create_fetch",
                                 [&server](benchmark::State& s) { domain_create_fetch(s, server); })
        ->Threads(threads)
        ->UseRealTime()
        ->MinTime(2.0);
    benchmark::RegisterBenchmark("api/credential_list_fetch",
                                 [&server](benchmark::State& s) { credential_list_fetch(s, server); })
        ->Threads(threads)
        ->UseRealTime()
        ->MinTime(1.0);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
