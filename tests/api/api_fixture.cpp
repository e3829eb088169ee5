#include "api_fixture.hpp"

#include <unistd.h>

#include <filesystem>

#include <spdlog/sinks/base_sink.h>

#include "api/bootstrap.hpp"
#include "core/log.hpp"
#include "http/client.hpp"
#include "pg_server.hpp"

namespace callwire::api::test {

// Collects every formatted log line of the loggers it is attached to.
class LogCapture : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> lines() {
    std::lock_guard lock(lines_mutex_);
    return lines_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    std::lock_guard lock(lines_mutex_);
    lines_.emplace_back(buf.data(), buf.size());
  }
  void flush_() override {}

 private:
  std::mutex lines_mutex_;
  std::vector<std::string> lines_;
};

namespace {

constexpr const char* kLoggers[] = {"api", "http", "store"};

}  // namespace

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

void ApiTest::SetUp() {
  logs_ = std::make_shared<LogCapture>();
  for (const char* name : kLoggers) {
    auto logger = log::get(name);
    logger->sinks().push_back(logs_);
    logger->set_level(spdlog::level::trace);
  }

  // A temp dir for both backends: SQLite's data dir, PostgreSQL's secret key.
  char tmpl[] = "/tmp/callwire-api-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  tmp_dir_ = tmpl;
  if (GetParam() == Backend::Sqlite) {
    store_config_.data_dir = tmp_dir_ + "/data";
  } else {
    auto url = store::test::pg_create_schema(schema_);
    if (!url) GTEST_FAIL() << "PostgreSQL backend tests cannot run: " << url.error().what();
    store_config_.db_url = *url;
    store_config_.secret_key_file = tmp_dir_ + "/secret.key";
  }
  auto s = store::open_store(store_config_);
  if (!s) GTEST_FAIL() << "open_store failed: " << s.error().what();
  store_ = std::move(*s);

  auto main = ensure_main_account(store_->accounts(), std::nullopt, std::nullopt);
  if (!main) GTEST_FAIL() << "ensure_main_account: " << main.error().what();
  main_ = {main->account.sid, main->account.auth_token};

  api_ = std::make_unique<Api>(*store_, api_config());
  work_.emplace(io_.get_executor());
  http::ServerOptions options;
  options.handler_threads = 4;
  server_ = std::make_unique<http::Server>(io_, api_->make_router(), options);
  auto started = server_->start();
  if (!started) GTEST_FAIL() << "server start: " << started.error().what();
  io_thread_ = std::thread([this] { io_.run(); });
}

void ApiTest::TearDown() {
  if (server_) server_->stop();
  work_.reset();
  io_.stop();
  if (io_thread_.joinable()) io_thread_.join();
  server_.reset();
  api_.reset();
  store_.reset();
  if (!tmp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(tmp_dir_, ec);
  }
  if (!schema_.empty()) store::test::pg_drop_schema(schema_);
  for (const char* name : kLoggers) {
    auto logger = log::get(name);
    auto& sinks = logger->sinks();
    std::erase(sinks, std::static_pointer_cast<spdlog::sinks::sink>(logs_));
    logger->set_level(spdlog::level::info);
  }
}

Resp ApiTest::request(http::Method method, const std::string& target, const http::Params& form,
                      const std::optional<Auth>& auth) {
  http::Client client("127.0.0.1", port());
  if (auth) client.set_basic_auth(auth->sid, auth->token);
  auto r = client.request(method, target, form);
  Resp out;
  if (!r) {
    ADD_FAILURE() << http::to_string(method) << " " << target << ": " << r.error().what();
    return out;
  }
  out.status = r->status;
  out.body = r->body;
  out.headers = r->headers;
  if (!out.body.empty()) out.json = nlohmann::json::parse(out.body, nullptr, false);
  if (out.json.is_discarded()) out.json = nullptr;
  std::lock_guard lock(mutex_);
  bodies_.push_back(out.body);
  return out;
}

std::string ApiTest::acct(const std::string& sid) const {
  return "/2010-04-01/Accounts/" + (sid.empty() ? main_.sid : sid);
}

Auth ApiTest::create_subaccount(const std::string& friendly_name) {
  auto r = post("/2010-04-01/Accounts.json", {{"FriendlyName", friendly_name}});
  EXPECT_EQ(r.status, 201) << r.body;
  if (r.status != 201) return {};
  return {r.json["sid"], r.json["auth_token"]};
}

nlohmann::json ApiTest::create_domain(const std::string& name, http::Params extra, const std::string& account) {
  extra.add("DomainName", name);
  auto r = post(acct(account) + "/SIP/Domains.json", extra);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json;
}

nlohmann::json ApiTest::create_credential_list(const std::string& name, const std::string& account) {
  auto r = post(acct(account) + "/SIP/CredentialLists.json", {{"FriendlyName", name}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json;
}

nlohmann::json ApiTest::create_credential(const std::string& list_sid, const std::string& username,
                                          const std::string& password, const std::string& account) {
  auto r = post(acct(account) + "/SIP/CredentialLists/" + list_sid + "/Credentials.json",
                {{"Username", username}, {"Password", password}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json;
}

nlohmann::json ApiTest::create_acl(const std::string& name, const std::string& account) {
  auto r = post(acct(account) + "/SIP/IpAccessControlLists.json", {{"FriendlyName", name}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json;
}

nlohmann::json ApiTest::create_ip(const std::string& acl_sid, const std::string& ip, const std::string& account) {
  auto r = post(acct(account) + "/SIP/IpAccessControlLists/" + acl_sid + "/IpAddresses.json",
                {{"FriendlyName", "ip " + ip}, {"IpAddress", ip}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json;
}

std::vector<std::string> ApiTest::bodies() const {
  std::lock_guard lock(mutex_);
  return bodies_;
}

std::vector<std::string> ApiTest::log_lines() const { return logs_->lines(); }

}  // namespace callwire::api::test
