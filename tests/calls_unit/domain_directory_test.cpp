// The domain cache against a real SQLite store: loads off the caller's
// thread, negative entries, and refresh when the store's generation moves.
#include "calls/domain_directory.hpp"

#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "store/open_store.hpp"

namespace callwire::calls {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class DomainDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("callwire-dir-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    store::StoreConfig config;
    config.data_dir = dir_.string();
    auto opened = store::open_store(config);
    ASSERT_TRUE(opened) << opened.error().what();
    store_ = std::move(*opened);
    auto main = store_->accounts().ensure_main_account(std::nullopt, std::nullopt);
    ASSERT_TRUE(main);
    account_ = *main;
    store::Domain d;
    d.account_sid = account_.sid;
    d.domain_name = "acme.sip.example.com";
    d.voice_url = "https://app.example.com/voice";
    auto created = store_->domains().create(d);
    ASSERT_TRUE(created) << created.error().what();
    domain_ = *created;
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  DomainRef load(DomainDirectory& directory, const std::string& name) {
    std::promise<DomainRef> got;
    auto caller = std::this_thread::get_id();
    directory.load(name, [&](DomainRef ref) {
      EXPECT_NE(std::this_thread::get_id(), caller);  // never on the caller's (I/O) thread
      got.set_value(std::move(ref));
    });
    auto f = got.get_future();
    EXPECT_EQ(f.wait_for(5s), std::future_status::ready);
    return f.get();
  }

  // Adds an IP ACL with `ip` and maps it to the domain for calls.
  void map_acl(const std::string& ip) {
    store::IpAccessControlList acl;
    acl.account_sid = account_.sid;
    acl.friendly_name = "office";
    auto list = store_->ip_access_control_lists().create(acl);
    ASSERT_TRUE(list);
    store::IpAddress a;
    a.account_sid = account_.sid;
    a.ip_access_control_list_sid = list->sid;
    a.friendly_name = "pbx";
    a.ip_address = ip;
    ASSERT_TRUE(store_->ip_addresses().create(a));
    store::MappingKey key{account_.sid, domain_.sid, store::MappingKind::IpAccessControlList,
                          store::MappingUsage::Calls};
    ASSERT_TRUE(store_->mappings().map(key, list->sid));
  }

  template <class Pred>
  bool eventually(Pred pred, std::chrono::milliseconds limit = 3000ms) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return pred();
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
  store::Account account_;
  store::Domain domain_;
  boost::asio::thread_pool pool_{2};
};

TEST_F(DomainDirectoryTest, LoadsOnTheBlockingPoolAndCaches) {
  DomainDirectory directory(*store_, pool_, 50ms, 1000);
  EXPECT_FALSE(directory.cached("acme.sip.example.com"));
  auto ref = load(directory, "acme.sip.example.com");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->auth.domain.sid, domain_.sid);
  EXPECT_EQ(ref->auth_token, account_.auth_token);
  auto cached = directory.cached("acme.sip.example.com");
  ASSERT_TRUE(cached);
  EXPECT_EQ(*cached, ref);
}

TEST_F(DomainDirectoryTest, UnknownDomainIsCachedAsMissingUntilTheStoreChanges) {
  DomainDirectory directory(*store_, pool_, 50ms, 1000);
  EXPECT_EQ(load(directory, "nobody.sip.example.com"), nullptr);
  auto cached = directory.cached("nobody.sip.example.com");
  ASSERT_TRUE(cached);
  EXPECT_EQ(*cached, nullptr);

  store::Domain d;
  d.account_sid = account_.sid;
  d.domain_name = "nobody.sip.example.com";
  ASSERT_TRUE(store_->domains().create(d));
  // The negative entry is forgotten on the next refresh; a new load finds it.
  EXPECT_TRUE(eventually([&] { return !directory.cached("nobody.sip.example.com"); }));
  EXPECT_NE(load(directory, "nobody.sip.example.com"), nullptr);
}

TEST_F(DomainDirectoryTest, AclChangesReachTheCacheWithinTheRefreshPeriod) {
  DomainDirectory directory(*store_, pool_, 50ms, 1000);
  auto before = load(directory, "acme.sip.example.com");
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->auth.call_ip_acl_sids.empty());
  auto ip = boost::asio::ip::make_address("192.0.2.10");
  EXPECT_FALSE(before->ips.contains(ip));

  map_acl("192.0.2.10");
  EXPECT_TRUE(eventually([&] {
    auto c = directory.cached("acme.sip.example.com");
    return c && *c && (*c)->ips.contains(ip) && !(*c)->auth.call_ip_acl_sids.empty();
  }));
}

TEST_F(DomainDirectoryTest, ConcurrentLoadsOfOneNameShareOneRead) {
  DomainDirectory directory(*store_, pool_, 1000ms, 1000);
  std::atomic<int> answered{0};
  std::promise<void> all;
  for (int i = 0; i < 20; ++i) {
    directory.load("acme.sip.example.com", [&](DomainRef ref) {
      EXPECT_TRUE(ref);
      if (++answered == 20) all.set_value();
    });
  }
  EXPECT_EQ(all.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(directory.size(), 1u);
}

}  // namespace
}  // namespace callwire::calls
