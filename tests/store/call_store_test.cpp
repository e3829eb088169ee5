// Call logs: round trip of every field, scoping, filters, newest-first
// keyset paging, and that call writes never move generation().
#include <thread>
#include <vector>

#include "core/sid.hpp"
#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;

class CallStoreTest : public StoreTest {
 protected:
  Call make_call(const std::string& account_sid, const std::string& to = "sip:alice@acme.sip.localhost") {
    Call c;
    c.account_sid = account_sid;
    c.to = to;
    c.from = "sip:bob@10.0.0.1";
    c.sip_call_id = "call-" + std::to_string(++n_) + "@10.0.0.1";
    return c;
  }
  static Timestamp at(int y, int m, int d, int h = 0) {
    return std::chrono::sys_days(std::chrono::year(y) / m / d) + hours(h);
  }
  std::vector<std::string> sids(const CallFilter& f, std::size_t page_size = 1000) {
    std::vector<std::string> out;
    PageRequest p{page_size, 0};
    for (;;) {
      auto page = ok(store().calls().list(main_account().sid, f, p));
      for (auto& c : page.items) out.push_back(c.sid);
      if (!page.has_more) break;
      p.after_seq = page.last_seq;
    }
    return out;
  }
  int n_ = 0;
};

TEST_P(CallStoreTest, CreateUpdateFetchDeleteRoundTripsEveryField) {
  const Account& main = main_account();
  Call c = make_call(main.sid);
  c.sid = make_sid("CA");
  c.parent_call_sid = make_sid("CA");
  c.caller_name = "Bob";
  c.forwarded_from = "+15550100";
  c.trunk_sid = "TK" + std::string(32, 'a');
  c.sip_domain_sid = make_sid("SD");
  const auto created = ok(store().calls().create(c));
  EXPECT_EQ(created.sid, c.sid);  // the pipeline's sid is kept
  EXPECT_GT(created.seq, 0);
  EXPECT_EQ(created.date_created, created.date_updated);
  EXPECT_LE(std::chrono::abs(std::chrono::system_clock::now() - created.date_created), seconds(5));

  auto f = ok(store().calls().fetch(main.sid, c.sid));
  EXPECT_EQ(f.account_sid, main.sid);
  EXPECT_EQ(f.parent_call_sid, c.parent_call_sid);
  EXPECT_EQ(f.to, c.to);
  EXPECT_EQ(f.from, c.from);
  EXPECT_EQ(f.status, "ringing");
  EXPECT_EQ(f.direction, "inbound");
  EXPECT_EQ(f.start_time, std::nullopt);
  EXPECT_EQ(f.end_time, std::nullopt);
  EXPECT_EQ(f.duration, std::nullopt);
  EXPECT_EQ(f.api_version, "2010-04-01");
  EXPECT_EQ(f.caller_name, "Bob");
  EXPECT_EQ(f.forwarded_from, "+15550100");
  EXPECT_EQ(f.trunk_sid, c.trunk_sid);
  EXPECT_EQ(f.sip_call_id, c.sip_call_id);
  EXPECT_EQ(f.sip_domain_sid, c.sip_domain_sid);
  EXPECT_EQ(f.sip_response_code, std::nullopt);
  EXPECT_EQ(f.seq, created.seq);

  Call u = f;
  u.status = "completed";
  u.start_time = at(2024, 3, 1, 10);
  u.end_time = *u.start_time + seconds(42);
  u.duration = 42;
  u.sip_response_code = 200;
  u.caller_name = std::nullopt;
  u.parent_call_sid = std::nullopt;
  const auto updated = ok(store().calls().update(u));
  EXPECT_EQ(updated.status, "completed");
  EXPECT_EQ(updated.start_time, u.start_time);
  EXPECT_EQ(updated.end_time, u.end_time);
  EXPECT_EQ(updated.duration, 42);
  EXPECT_EQ(updated.sip_response_code, 200);
  EXPECT_EQ(updated.caller_name, std::nullopt);
  EXPECT_EQ(updated.parent_call_sid, std::nullopt);
  EXPECT_EQ(updated.date_created, created.date_created);
  EXPECT_EQ(updated.seq, created.seq);
  const auto again = ok(store().calls().fetch(main.sid, c.sid));
  EXPECT_EQ(again.end_time, u.end_time);
  EXPECT_EQ(again.duration, 42);

  ASSERT_STORE_OK(store().calls().remove(main.sid, c.sid));
  EXPECT_STORE_ERROR(store().calls().fetch(main.sid, c.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().calls().remove(main.sid, c.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().calls().update(u), Errc::NotFound);
}

TEST_P(CallStoreTest, RefusesUnknownAccountDuplicateSidAndUnknownStatus) {
  const Account& main = main_account();
  Call c = make_call(main.sid);
  const auto created = ok(store().calls().create(c));
  EXPECT_TRUE(is_sid(created.sid, "CA"));  // generated when empty
  Call dup = c;
  dup.sid = created.sid;
  EXPECT_STORE_ERROR(store().calls().create(dup), Errc::Conflict);
  Call orphan = make_call("AC" + std::string(32, '0'));
  EXPECT_STORE_ERROR(store().calls().create(orphan), Errc::ForeignKey);
  Call bad = make_call(main.sid);
  bad.status = "answered";
  EXPECT_STORE_ERROR(store().calls().create(bad), Errc::Invalid);
  Call bad_update = created;
  bad_update.status = "initiated";  // a callback event, never a stored status
  EXPECT_STORE_ERROR(store().calls().update(bad_update), Errc::Invalid);
  EXPECT_EQ(ok(store().calls().fetch(main.sid, created.sid)).status, "ringing");
}

TEST_P(CallStoreTest, AnotherAccountsCallIsNotFound) {
  const Account& main = main_account();
  const Account& sub = sub_account();
  const auto mine = ok(store().calls().create(make_call(main.sid)));
  const auto theirs = ok(store().calls().create(make_call(sub.sid)));
  EXPECT_STORE_ERROR(store().calls().fetch(sub.sid, mine.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().calls().remove(sub.sid, mine.sid), Errc::NotFound);
  Call hijack = mine;
  hijack.account_sid = sub.sid;
  hijack.status = "failed";
  EXPECT_STORE_ERROR(store().calls().update(hijack), Errc::NotFound);
  EXPECT_EQ(ok(store().calls().fetch(main.sid, mine.sid)).status, "ringing");
  auto page = ok(store().calls().list(sub.sid, {}, {}));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].sid, theirs.sid);
}

TEST_P(CallStoreTest, ListIsNewestFirstAndPagesAreStable) {
  const Account& main = main_account();
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) created.push_back(ok(store().calls().create(make_call(main.sid))).sid);
  const std::vector<std::string> newest_first(created.rbegin(), created.rend());
  EXPECT_EQ(sids({}, 1000), newest_first);
  EXPECT_EQ(sids({}, 3), newest_first);

  // A call added between pages shows up on no later page (it is newer).
  auto first = ok(store().calls().list(main.sid, {}, {3, 0}));
  ASSERT_TRUE(first.has_more);
  (void)ok(store().calls().create(make_call(main.sid)));
  auto second = ok(store().calls().list(main.sid, {}, {3, first.last_seq}));
  ASSERT_EQ(second.items.size(), 3u);
  EXPECT_EQ(second.items[0].sid, newest_first[3]);
  auto last = ok(store().calls().list(main.sid, {}, {3, second.last_seq}));
  ASSERT_EQ(last.items.size(), 1u);
  EXPECT_EQ(last.items[0].sid, newest_first[6]);
  EXPECT_FALSE(last.has_more);
}

TEST_P(CallStoreTest, FiltersMatchExactlyAndTimeBoundsAreHalfOpen) {
  const Account& main = main_account();
  auto add = [&](const std::string& to, const std::string& status, std::optional<Timestamp> start,
                 std::optional<Timestamp> end, std::optional<std::string> parent = std::nullopt) {
    Call c = make_call(main.sid, to);
    c.status = status;
    c.start_time = start;
    c.end_time = end;
    c.parent_call_sid = parent;
    return ok(store().calls().create(c)).sid;
  };
  const auto a = add("sip:a@x", "completed", at(2024, 1, 1, 0), at(2024, 1, 1, 1));
  const auto b = add("sip:b@x", "busy", at(2024, 1, 2, 23), at(2024, 1, 3, 0));
  const auto c = add("sip:a@x", "ringing", at(2024, 1, 3, 12), std::nullopt, a);
  const auto d = add("sip:A@x", "no-answer", std::nullopt, std::nullopt);

  CallFilter f;
  f.to = "sip:a@x";
  EXPECT_EQ(sids(f), (std::vector{c, a}));  // exact match, case-sensitive
  f = {};
  f.status = "busy";
  EXPECT_EQ(sids(f), (std::vector{b}));
  f = {};
  f.parent_call_sid = a;
  EXPECT_EQ(sids(f), (std::vector{c}));
  f = {};
  f.from = "sip:bob@10.0.0.1";
  EXPECT_EQ(sids(f), (std::vector{d, c, b, a}));
  f.from = "sip:nobody@10.0.0.1";
  EXPECT_TRUE(sids(f).empty());

  // StartTime=2024-01-02 → [Jan 2, Jan 3).
  f = {};
  f.start_after = at(2024, 1, 2);
  f.start_before = at(2024, 1, 3);
  EXPECT_EQ(sids(f), (std::vector{b}));
  f.start_before = std::nullopt;  // StartTime>2024-01-02: on or after
  EXPECT_EQ(sids(f), (std::vector{c, b}));
  f = {};
  f.start_before = at(2024, 1, 3);  // StartTime<2024-01-02: before Jan 3
  EXPECT_EQ(sids(f), (std::vector{b, a}));
  f = {};
  f.end_after = at(2024, 1, 1, 1);  // inclusive bound: a ends exactly then
  EXPECT_EQ(sids(f), (std::vector{b, a}));
  f.end_before = at(2024, 1, 3);  // exclusive: b ends exactly then
  EXPECT_EQ(sids(f), (std::vector{a}));
  f = {};
  f.to = "sip:a@x";
  f.status = "completed";
  f.start_after = at(2024, 1, 1);
  EXPECT_EQ(sids(f), (std::vector{a}));
}

TEST_P(CallStoreTest, CallWritesNeverMoveGeneration) {
  const Account& main = main_account();
  const auto g0 = store().generation();
  Call c = ok(store().calls().create(make_call(main.sid)));
  c.status = "in-progress";
  c.start_time = at(2024, 5, 5);
  c = ok(store().calls().update(c));
  Call failed = make_call(main.sid);
  failed.sid = c.sid;  // refused write
  EXPECT_STORE_ERROR(store().calls().create(failed), Errc::Conflict);
  ASSERT_STORE_OK(store().calls().remove(main.sid, c.sid));
  EXPECT_EQ(store().generation(), g0);

  // A configuration write still moves it.
  (void)ok(store().domains().create(make_domain(main.sid, "gen.sip.localhost")));
  const auto g1 = store().generation();
  EXPECT_GT(g1, g0);

  // Mixed concurrent writers: call writes share group-commit batches with
  // configuration writes, and only the latter count.
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (t % 2 == 0) {
          auto r = store().calls().create(make_call(main.sid));
          EXPECT_TRUE(r.has_value()) << r.error().what();
        } else {
          auto r = store().credential_lists().create(
              make_credential_list(main.sid, "l" + std::to_string(t) + "-" + std::to_string(i)));
          EXPECT_TRUE(r.has_value()) << r.error().what();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(store().generation(), g1 + (kThreads / 2) * kPerThread);
  EXPECT_EQ(sids({}).size(), static_cast<std::size_t>((kThreads / 2) * kPerThread));
}

TEST_P(CallStoreTest, CallsSurviveTheirDomainAndAReopen) {
  const Account& main = main_account();
  const auto domain = ok(store().domains().create(make_domain(main.sid, "logs.sip.localhost")));
  Call c = make_call(main.sid);
  c.sip_domain_sid = domain.sid;
  c = ok(store().calls().create(c));
  ASSERT_STORE_OK(store().domains().remove(main.sid, domain.sid));
  reopen();
  const auto f = ok(store().calls().fetch(main.sid, c.sid));
  EXPECT_EQ(f.sip_domain_sid, domain.sid);
  EXPECT_EQ(f.sip_call_id, c.sip_call_id);
}

CALLWIRE_STORE_BACKENDS(CallStoreTest);

}  // namespace
}  // namespace callwire::store::test
