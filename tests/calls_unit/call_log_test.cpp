// The batching call log against a real SQLite store: records of many calls
// are written in few transactions within the period, the latest state of a
// call wins, failed batches are retried, and nothing pending is lost on stop.
#include "calls/call_log.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/sid.hpp"
#include "store/open_store.hpp"

namespace callwire::calls {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Counts save() calls and can fail the next ones with Unavailable.
class CountingCalls final : public store::CallStore {
 public:
  explicit CountingCalls(store::CallStore& real) : real_(real) {}
  Result<store::Call> create(const store::Call& c) override { return real_.create(c); }
  Result<store::Call> update(const store::Call& c) override { return real_.update(c); }
  Status save(const std::vector<store::Call>& calls) override {
    ++saves;
    if (fail_next > 0) {
      --fail_next;
      return fail(store::Errc::Unavailable, "database down (test)");
    }
    records += calls.size();
    return real_.save(calls);
  }
  Result<store::Call> fetch(std::string_view a, std::string_view s) override { return real_.fetch(a, s); }
  Result<store::Page<store::Call>> list(std::string_view a, const store::CallFilter& f,
                                        const store::PageRequest& p) override {
    return real_.list(a, f, p);
  }
  Status remove(std::string_view a, std::string_view s) override { return real_.remove(a, s); }

  std::atomic<int> saves{0};
  std::atomic<std::size_t> records{0};
  std::atomic<int> fail_next{0};

 private:
  store::CallStore& real_;
};

class CountingStore final : public store::Store {
 public:
  explicit CountingStore(store::Store& real) : real_(real), calls_(real.calls()) {}
  store::AccountStore& accounts() override { return real_.accounts(); }
  store::DomainStore& domains() override { return real_.domains(); }
  store::CredentialListStore& credential_lists() override { return real_.credential_lists(); }
  store::CredentialStore& credentials() override { return real_.credentials(); }
  store::IpAccessControlListStore& ip_access_control_lists() override { return real_.ip_access_control_lists(); }
  store::IpAddressStore& ip_addresses() override { return real_.ip_addresses(); }
  store::DomainMappingStore& mappings() override { return real_.mappings(); }
  store::CallStore& calls() override { return calls_; }
  store::AlertStore& alerts() override { return real_.alerts(); }
  store::RecordingStore& recordings() override { return real_.recordings(); }
  store::TrunkStore& trunks() override { return real_.trunks(); }
  Result<std::optional<store::DomainAuth>> domain_auth(std::string_view name) override {
    return real_.domain_auth(name);
  }
  std::uint64_t generation() override { return real_.generation(); }
  std::string describe() const override { return real_.describe(); }

  CountingCalls& counting() { return calls_; }

 private:
  store::Store& real_;
  CountingCalls calls_;
};

class CallLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("callwire-call-log-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    store::StoreConfig config;
    config.data_dir = dir_.string();
    auto opened = store::open_store(config);
    ASSERT_TRUE(opened) << opened.error().what();
    real_ = std::move(*opened);
    auto main = real_->accounts().ensure_main_account(std::nullopt, std::nullopt);
    ASSERT_TRUE(main) << main.error().what();
    account_ = main->sid;
    store_ = std::make_unique<CountingStore>(*real_);
  }
  void TearDown() override {
    store_.reset();
    real_.reset();
    fs::remove_all(dir_);
  }

  store::Call ringing() {
    store::Call c;
    c.sid = make_sid("CA");
    c.account_sid = account_;
    c.to = "sip:alice@acme.sip.localhost";
    c.from = "sip:bob@10.0.0.1";
    c.sip_call_id = c.sid + "@10.0.0.1";
    c.status = "ringing";
    return c;
  }
  std::optional<store::Call> fetch(const std::string& sid) {
    auto r = real_->calls().fetch(account_, sid);
    if (!r) return std::nullopt;
    return *r;
  }
  std::size_t stored_calls() {
    std::size_t n = 0;
    store::PageRequest p{1000, 0};
    for (;;) {
      auto page = real_->calls().list(account_, {}, p);
      EXPECT_TRUE(page) << page.error().what();
      if (!page) return n;
      n += page->items.size();
      if (!page->has_more) return n;
      p.after_seq = page->last_seq;
    }
  }
  // Polls until `n` calls are stored; false after `timeout`.
  bool wait_for_calls(std::size_t n, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (stored_calls() < n) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }
  CountingCalls& counting() { return store_->counting(); }

  fs::path dir_;
  std::unique_ptr<store::Store> real_;
  std::unique_ptr<CountingStore> store_;
  std::string account_;
};

TEST_F(CallLogTest, RecordsOfManyCallsAreWrittenInFewBatchesWithinThePeriod) {
  CallLog log(*store_, CallLogOptions{200ms, 500, 100000});
  constexpr int kCalls = 300;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < 3; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < kCalls / 3; ++i) {
        auto c = ringing();
        log.record(c);
        c.status = "busy";
        c.sip_response_code = 486;
        log.record(c);
      }
    });
  }
  for (auto& w : workers) w.join();
  ASSERT_TRUE(wait_for_calls(kCalls, 5s));
  // One period after the first record, plus scheduling slack on a busy machine.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 200ms + 1500ms);
  EXPECT_LE(counting().saves.load(), 3);  // batches, not one write per call
  EXPECT_GE(counting().records.load(), static_cast<std::size_t>(kCalls));
  EXPECT_LE(counting().records.load(), static_cast<std::size_t>(2 * kCalls));
}

TEST_F(CallLogTest, AFullBatchIsWrittenWithoutWaitingForThePeriod) {
  CallLog log(*store_, CallLogOptions{std::chrono::hours(1), 100, 100000});
  for (int i = 0; i < 99; ++i) log.record(ringing());
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(counting().saves.load(), 0);  // below batch_size: waits for the period
  EXPECT_EQ(stored_calls(), 0u);
  log.record(ringing());
  EXPECT_TRUE(wait_for_calls(100, 5s));
  EXPECT_EQ(counting().saves.load(), 1);
}

TEST_F(CallLogTest, ACallThatChangesBeforeTheWriteIsWrittenOnceInItsFinalState) {
  CallLog log(*store_, CallLogOptions{std::chrono::hours(1), 500, 100000});
  auto c = ringing();
  log.record(c);
  c.status = "in-progress";
  c.start_time = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  log.record(c);
  c.status = "completed";
  c.duration = 7;
  log.record(c);
  EXPECT_FALSE(fetch(c.sid));  // nothing before the flush
  log.flush();
  EXPECT_EQ(counting().saves.load(), 1);
  EXPECT_EQ(counting().records.load(), 1u);
  auto stored = fetch(c.sid);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, "completed");
  EXPECT_EQ(stored->duration, 7);
  EXPECT_EQ(stored->start_time, c.start_time);

  // A later state after the write updates the same row.
  c.sip_response_code = 200;
  log.record(c);
  log.flush();
  EXPECT_EQ(counting().saves.load(), 2);
  EXPECT_EQ(fetch(c.sid)->sip_response_code, 200);
  EXPECT_EQ(fetch(c.sid)->seq, stored->seq);
  EXPECT_EQ(stored_calls(), 1u);
}

TEST_F(CallLogTest, StoppingWritesEverythingPending) {
  std::vector<std::string> sids;
  {
    CallLog log(*store_, CallLogOptions{std::chrono::hours(1), 100000, 200000});
    for (int i = 0; i < 2000; ++i) {
      auto c = ringing();
      c.status = "completed";
      sids.push_back(c.sid);
      log.record(c);
    }
    log.alert(AlertInfo{account_, 11200, "error", "HTTP retrieval failure", sids.front(), "POST",
                        "https://app.example.com/voice", "CallSid=" + sids.front(), "oops"});
    EXPECT_EQ(counting().saves.load(), 0);
  }  // destructor
  EXPECT_EQ(stored_calls(), sids.size());
  EXPECT_EQ(fetch(sids.back())->status, "completed");
  auto alerts = real_->alerts().list(account_, {}, {});
  ASSERT_TRUE(alerts) << alerts.error().what();
  ASSERT_EQ(alerts->items.size(), 1u);
  EXPECT_EQ(alerts->items[0].error_code, "11200");
  EXPECT_EQ(alerts->items[0].resource_sid, sids.front());
  EXPECT_EQ(alerts->items[0].alert_text, "Msg=HTTP%20retrieval%20failure&url=https%3A%2F%2Fapp.example.com%2Fvoice");
}

TEST_F(CallLogTest, AFailedBatchIsRetriedAndThenKeptForTheNextWrite) {
  CallLog log(*store_, CallLogOptions{std::chrono::hours(1), 500, 100000});
  auto a = ringing();
  counting().fail_next = 1;  // the retry succeeds
  log.record(a);
  log.flush();
  EXPECT_EQ(counting().saves.load(), 2);
  EXPECT_TRUE(fetch(a.sid));

  auto b = ringing();
  counting().fail_next = 2;  // the retry fails too: b stays queued
  log.record(b);
  log.flush();
  EXPECT_EQ(counting().saves.load(), 4);
  EXPECT_FALSE(fetch(b.sid));
  log.flush();
  EXPECT_EQ(counting().saves.load(), 5);
  EXPECT_TRUE(fetch(b.sid));
}

TEST_F(CallLogTest, ARefusedRecordDoesNotKeepTheOthersOut) {
  CallLog log(*store_, CallLogOptions{std::chrono::hours(1), 500, 100000});
  auto orphan = ringing();
  orphan.account_sid = "AC" + std::string(32, '0');
  auto good = ringing();
  log.record(orphan);
  log.record(good);
  log.flush();
  EXPECT_EQ(counting().saves.load(), 1);  // refused, not retried
  EXPECT_TRUE(fetch(good.sid));
  EXPECT_EQ(stored_calls(), 1u);
}

TEST_F(CallLogTest, BeyondMaxPendingTheCallerWritesTheQueue) {
  CallLog log(*store_, CallLogOptions{std::chrono::hours(1), 100000, 50});
  for (int i = 0; i < 51; ++i) log.record(ringing());
  // The 51st record wrote the queue itself, on this thread.
  EXPECT_EQ(counting().saves.load(), 1);
  EXPECT_EQ(stored_calls(), 51u);
}

}  // namespace
}  // namespace callwire::calls
