// A database that cannot be reached is a 503 with Twilio's error JSON, not a
// 500 and not a hang: the API runs on a store whose repositories fail with
// store::Errc::Unavailable on demand.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/api.hpp"
#include "api/bootstrap.hpp"
#include "http/client.hpp"
#include "http/server.hpp"
#include "store/errc.hpp"
#include "store/open_store.hpp"

namespace callwire::api::test {
namespace {

// Forwards to a real DomainStore until `down` is set.
class SwitchableDomains : public store::DomainStore {
 public:
  SwitchableDomains(store::DomainStore& real, std::atomic<bool>& down) : real_(real), down_(down) {}
  Result<store::Domain> create(const store::Domain& d) override {
    if (down_) return unavailable();
    return real_.create(d);
  }
  Result<store::Domain> fetch(std::string_view a, std::string_view s) override {
    if (down_) return unavailable();
    return real_.fetch(a, s);
  }
  Result<store::Domain> find_by_name(std::string_view n) override {
    if (down_) return unavailable();
    return real_.find_by_name(n);
  }
  Result<store::Page<store::Domain>> list(std::string_view a, const store::PageRequest& p) override {
    if (down_) return unavailable();
    return real_.list(a, p);
  }
  Result<std::size_t> count(std::string_view a) override {
    if (down_) return unavailable();
    return real_.count(a);
  }
  Result<store::Domain> update(const store::Domain& d) override {
    if (down_) return unavailable();
    return real_.update(d);
  }
  Status remove(std::string_view a, std::string_view s) override {
    if (down_) return unavailable();
    return real_.remove(a, s);
  }

 private:
  static std::unexpected<Error> unavailable() { return fail(store::Errc::Unavailable, "connection refused"); }
  store::DomainStore& real_;
  std::atomic<bool>& down_;
};

class SwitchableStore : public store::Store {
 public:
  explicit SwitchableStore(std::unique_ptr<store::Store> real) : real_(std::move(real)), domains_(real_->domains(), down) {}
  store::AccountStore& accounts() override { return real_->accounts(); }
  store::DomainStore& domains() override { return domains_; }
  store::CredentialListStore& credential_lists() override { return real_->credential_lists(); }
  store::CredentialStore& credentials() override { return real_->credentials(); }
  store::IpAccessControlListStore& ip_access_control_lists() override { return real_->ip_access_control_lists(); }
  store::IpAddressStore& ip_addresses() override { return real_->ip_addresses(); }
  store::DomainMappingStore& mappings() override { return real_->mappings(); }
  store::CallStore& calls() override { return real_->calls(); }
  store::AlertStore& alerts() override { return real_->alerts(); }
  store::RecordingStore& recordings() override { return real_->recordings(); }
  store::TrunkStore& trunks() override { return real_->trunks(); }
  Result<std::optional<store::DomainAuth>> domain_auth(std::string_view n) override { return real_->domain_auth(n); }
  std::uint64_t generation() override { return real_->generation(); }
  std::string describe() const override { return real_->describe(); }

  std::atomic<bool> down{false};

 private:
  std::unique_ptr<store::Store> real_;
  SwitchableDomains domains_;
};

TEST(Unavailable, DatabaseDownIs503WithJson) {
  char tmpl[] = "/tmp/callwire-api-down-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  store::StoreConfig config;
  config.data_dir = dir + "/data";
  auto real = store::open_store(config);
  ASSERT_TRUE(real) << real.error().what();
  SwitchableStore store(std::move(*real));
  auto main = ensure_main_account(store.accounts(), std::nullopt, std::nullopt);
  ASSERT_TRUE(main) << main.error().what();

  Api api(store, {});
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  http::Server server(io, api.make_router());
  ASSERT_TRUE(server.start());
  std::thread t([&io] { io.run(); });

  http::Client client("127.0.0.1", server.bound_port());
  client.set_basic_auth(main->account.sid, main->account.auth_token);
  const std::string path = "/2010-04-01/Accounts/" + main->account.sid + "/SIP/Domains.json";
  auto up = client.get(path);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->status, 200);

  store.down = true;
  for (auto r : {client.get(path), client.post(path, {{"DomainName", "down.sip.localhost"}})}) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503) << r->body;
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r->body;
    EXPECT_EQ(j["code"], 20503);
    EXPECT_EQ(j["status"], 503);
    EXPECT_EQ(j["more_info"], "https://www.twilio.com/docs/errors/20503");
    EXPECT_EQ(r->headers.get("Retry-After"), "1");
  }
  store.down = false;
  auto again = client.get(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);

  server.stop();
  work.reset();
  io.stop();
  t.join();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace callwire::api::test
