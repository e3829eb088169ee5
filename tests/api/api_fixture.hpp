#pragma once
// API tests over real HTTP: a real store (SQLite in a temp dir, or a fresh
// PostgreSQL schema), the api router on a real http::Server bound to
// 127.0.0.1:0 in-process, and http::Client calls. Every test runs once per
// backend (CALLWIRE_API_BACKENDS). Response bodies and every log line of the
// api/http/store loggers are recorded, so tests can check what never leaks.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/api.hpp"
#include "http/headers.hpp"
#include "http/method.hpp"
#include "http/params.hpp"
#include "http/server.hpp"
#include "store/open_store.hpp"

namespace callwire::api::test {

enum class Backend { Sqlite, Postgres };
std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

struct Auth {
  std::string sid;
  std::string token;
};

struct Resp {
  int status = 0;
  std::string body;
  nlohmann::json json;  // null unless the body is JSON
  http::Headers headers;
};

class LogCapture;

class ApiTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Overridden by tests that need other limits or another domain base.
  virtual ApiConfig api_config() const { return {}; }

  Resp request(http::Method method, const std::string& target, const http::Params& form,
               const std::optional<Auth>& auth);
  Resp get(const std::string& target) { return request(http::Method::Get, target, {}, main_); }
  Resp get(const std::string& target, const Auth& auth) { return request(http::Method::Get, target, {}, auth); }
  Resp post(const std::string& target, const http::Params& form) {
    return request(http::Method::Post, target, form, main_);
  }
  Resp post(const std::string& target, const http::Params& form, const Auth& auth) {
    return request(http::Method::Post, target, form, auth);
  }
  Resp del(const std::string& target) { return request(http::Method::Delete, target, {}, main_); }
  Resp del(const std::string& target, const Auth& auth) { return request(http::Method::Delete, target, {}, auth); }

  const Auth& main_auth() const { return main_; }
  store::Store& store() { return *store_; }

  // "/2010-04-01/Accounts/<sid>" (main account when empty).
  std::string acct(const std::string& sid = {}) const;

  // Creation helpers: each asserts the 201 and returns the JSON.
  Auth create_subaccount(const std::string& friendly_name = "sub");
  nlohmann::json create_domain(const std::string& name, http::Params extra = {}, const std::string& account = {});
  nlohmann::json create_credential_list(const std::string& name = "list", const std::string& account = {});
  nlohmann::json create_credential(const std::string& list_sid, const std::string& username,
                                   const std::string& password = "IWasAtSignal2018", const std::string& account = {});
  nlohmann::json create_acl(const std::string& name = "acl", const std::string& account = {});
  nlohmann::json create_ip(const std::string& acl_sid, const std::string& ip, const std::string& account = {});

  // Every response body received so far, and every captured log line.
  std::vector<std::string> bodies() const;
  std::vector<std::string> log_lines() const;

  std::uint16_t port() const { return server_->bound_port(); }

 private:
  store::StoreConfig store_config_;
  std::string tmp_dir_;
  std::string schema_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Api> api_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::unique_ptr<http::Server> server_;
  std::thread io_thread_;
  Auth main_;
  std::shared_ptr<LogCapture> logs_;
  mutable std::mutex mutex_;
  std::vector<std::string> bodies_;
};

#define CALLWIRE_API_BACKENDS(suite)                                                                           \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                                    \
                           ::testing::Values(::callwire::api::test::Backend::Sqlite,                            \
                                             ::callwire::api::test::Backend::Postgres),                         \
                           ::callwire::api::test::backend_name)

// Asserts a Twilio error body: HTTP status, code, and that the message
// contains `fragment`.
#define EXPECT_API_ERROR(resp, http_status, twilio_code, fragment)                                             \
  do {                                                                                                         \
    const auto& r_ = (resp);                                                                                   \
    EXPECT_EQ(r_.status, http_status) << r_.body;                                                              \
    ASSERT_TRUE(r_.json.is_object()) << r_.body;                                                               \
    EXPECT_EQ(r_.json.value("code", 0), twilio_code) << r_.body;                                               \
    EXPECT_EQ(r_.json.value("status", 0), http_status) << r_.body;                                             \
    EXPECT_EQ(r_.json.value("more_info", std::string()),                                                       \
              "https://www.twilio.com/docs/errors/" + std::to_string(twilio_code));                            \
    EXPECT_NE(r_.json.value("message", std::string()).find(fragment), std::string::npos) << r_.body;           \
  } while (0)

}  // namespace callwire::api::test
