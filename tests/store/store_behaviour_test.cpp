// Cross-cutting behaviour: paging, generation, hostile text, migrations on
// reopen, concurrent writers.
#include <thread>

#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

class StoreBehaviourTest : public StoreTest {};

TEST_P(StoreBehaviourTest, KeysetPagingIsOrderedAndStable) {
  const Account& main = main_account();
  std::vector<std::string> sids;
  for (int i = 0; i < 8; ++i)
    sids.push_back(ok(store().domains().create(make_domain(main.sid, "p" + std::to_string(i) + ".sip.localhost"))).sid);
  // Another account's rows never show up in this account's pages.
  ASSERT_STORE_OK(store().domains().create(make_domain(sub_account().sid, "zz.sip.localhost")));

  PageRequest req{.page_size = 3, .after_seq = 0};
  auto p1 = ok(store().domains().list(main.sid, req));
  ASSERT_EQ(p1.items.size(), 3u);
  EXPECT_TRUE(p1.has_more);
  EXPECT_EQ(p1.last_seq, p1.items.back().seq);
  EXPECT_EQ(p1.items[0].sid, sids[0]);
  EXPECT_EQ(p1.items[2].sid, sids[2]);

  // Deleting a row of the next page and one already seen while paging
  // neither repeats nor skips any of the remaining rows.
  ASSERT_STORE_OK(store().domains().remove(main.sid, sids[4]));
  ASSERT_STORE_OK(store().domains().remove(main.sid, sids[1]));
  req.after_seq = p1.last_seq;
  auto p2 = ok(store().domains().list(main.sid, req));
  ASSERT_EQ(p2.items.size(), 3u);
  EXPECT_TRUE(p2.has_more);
  EXPECT_EQ(p2.items[0].sid, sids[3]);
  EXPECT_EQ(p2.items[1].sid, sids[5]);
  EXPECT_EQ(p2.items[2].sid, sids[6]);
  req.after_seq = p2.last_seq;
  auto p3 = ok(store().domains().list(main.sid, req));
  ASSERT_EQ(p3.items.size(), 1u);
  EXPECT_FALSE(p3.has_more);
  EXPECT_EQ(p3.items[0].sid, sids[7]);
  req.after_seq = p3.last_seq;
  auto p4 = ok(store().domains().list(main.sid, req));
  EXPECT_TRUE(p4.items.empty());
  EXPECT_FALSE(p4.has_more);
  EXPECT_EQ(p4.last_seq, p3.last_seq);

  // Exactly one full page: has_more is false.
  auto exact = ok(store().domains().list(main.sid, PageRequest{.page_size = 6}));
  EXPECT_EQ(exact.items.size(), 6u);
  EXPECT_FALSE(exact.has_more);
  // page_size is clamped to 1..1000.
  auto one = ok(store().domains().list(main.sid, PageRequest{.page_size = 0}));
  EXPECT_EQ(one.items.size(), 1u);
  EXPECT_TRUE(one.has_more);
}

TEST_P(StoreBehaviourTest, PagingWorksForEveryCollection) {
  const Account& main = main_account();
  auto cl = ok(store().credential_lists().create(make_credential_list(main.sid)));
  auto acl = ok(store().ip_access_control_lists().create(make_acl(main.sid)));
  for (int i = 0; i < 5; ++i) {
    ASSERT_STORE_OK(store().credential_lists().create(make_credential_list(main.sid, "l" + std::to_string(i))));
    ASSERT_STORE_OK(store().ip_access_control_lists().create(make_acl(main.sid, "a" + std::to_string(i))));
    ASSERT_STORE_OK(store().credentials().create(make_credential(cl, "u" + std::to_string(i))));
    ASSERT_STORE_OK(store().ip_addresses().create(make_ip(acl, "192.0.2." + std::to_string(i))));
    auto d = ok(store().domains().create(make_domain(main.sid, "m" + std::to_string(i) + ".sip.localhost")));
    ASSERT_STORE_OK(store().mappings().map(MappingKey{main.sid, d.sid, MappingKind::CredentialList}, cl.sid));
  }
  // Walks all pages of size 2 and returns the number of items seen.
  auto walk = [](auto fetch) {
    std::size_t n = 0;
    PageRequest req{.page_size = 2};
    for (int guard = 0; guard < 20; ++guard) {
      auto page = fetch(req);
      if (!page) return std::size_t{999};
      std::int64_t prev = req.after_seq;
      for (const auto& item : page->items) {
        EXPECT_GT(item.seq, prev);
        prev = item.seq;
      }
      n += page->items.size();
      if (!page->has_more) return n;
      req.after_seq = page->last_seq;
    }
    return std::size_t{998};
  };
  EXPECT_EQ(walk([&](const PageRequest& r) { return store().credential_lists().list(main.sid, r); }), 6u);
  EXPECT_EQ(walk([&](const PageRequest& r) { return store().ip_access_control_lists().list(main.sid, r); }), 6u);
  EXPECT_EQ(walk([&](const PageRequest& r) { return store().credentials().list(main.sid, cl.sid, r); }), 5u);
  EXPECT_EQ(walk([&](const PageRequest& r) { return store().ip_addresses().list(main.sid, acl.sid, r); }), 5u);
  EXPECT_EQ(walk([&](const PageRequest& r) { return store().accounts().list_children(main.sid, {}, r); }), 1u);
  EXPECT_EQ(ok(store().mappings().list_by_list(main.sid, cl.sid)).size(), 5u);
}

TEST_P(StoreBehaviourTest, GenerationMovesOnEveryCommittedWriteOnly) {
  const auto g0 = store().generation();
  const Account& main = main_account();
  const auto g1 = store().generation();
  EXPECT_GT(g1, g0);
  auto d = ok(store().domains().create(make_domain(main.sid, "gen.sip.localhost")));
  const auto g2 = store().generation();
  EXPECT_GT(g2, g1);
  // Reads do not move it.
  ASSERT_STORE_OK(store().domains().fetch(main.sid, d.sid));
  ASSERT_STORE_OK(store().domain_auth("gen.sip.localhost"));
  ASSERT_STORE_OK(store().domains().list(main.sid, {}));
  EXPECT_EQ(store().generation(), g2);
  // A refused write rolls its bump back.
  EXPECT_STORE_ERROR(store().domains().create(make_domain(main.sid, "gen.sip.localhost")), Errc::Conflict);
  EXPECT_STORE_ERROR(store().domains().remove(main.sid, "SD" + std::string(32, '0')), Errc::NotFound);
  EXPECT_EQ(store().generation(), g2);
  // Every kind of write moves it.
  auto cl = ok(store().credential_lists().create(make_credential_list(main.sid)));
  const auto g3 = store().generation();
  EXPECT_GT(g3, g2);
  ASSERT_STORE_OK(store().credentials().create(make_credential(cl, "u")));
  const auto g4 = store().generation();
  EXPECT_GT(g4, g3);
  ASSERT_STORE_OK(store().mappings().map(MappingKey{main.sid, d.sid, MappingKind::CredentialList}, cl.sid));
  const auto g5 = store().generation();
  EXPECT_GT(g5, g4);
  Account m = main;
  m.status = "suspended";
  ASSERT_STORE_OK(store().accounts().update(m));
  const auto g6 = store().generation();
  EXPECT_GT(g6, g5);
  // It survives a restart (never goes back, so a cached snapshot stays stale-proof).
  reopen();
  EXPECT_GE(store().generation(), g6);
  ASSERT_STORE_OK(store().domains().remove(main.sid, d.sid));
  EXPECT_GT(store().generation(), g6);
}

TEST_P(StoreBehaviourTest, HostileTextIsStoredAndReturnedVerbatim) {
  const Account& main = main_account();
  const std::vector<std::string> nasty = {
      "x'); DROP TABLE domains;--",
      "' OR '1'='1",
      "\"; DELETE FROM accounts; --",
      "Robert'); DROP TABLE credentials;--",
      "%_\\ $1 ?1 :name @p",
      "emoji \xF0\x9F\x93\x9E and \xC3\xA9",
      std::string(2000, 'q'),
  };
  for (std::size_t i = 0; i < nasty.size(); ++i) {
    const std::string& s = nasty[i];
    Domain d = make_domain(main.sid, s + std::to_string(i) + ".sip.localhost");
    d.friendly_name = s;
    d.voice_url = s;
    auto created = ok(store().domains().create(d));
    auto f = ok(store().domains().fetch(main.sid, created.sid));
    EXPECT_EQ(f.friendly_name, s);
    EXPECT_EQ(f.voice_url, s);
    EXPECT_EQ(ok(store().domains().find_by_name(d.domain_name)).sid, created.sid);

    auto cl = ok(store().credential_lists().create(make_credential_list(main.sid, s)));
    EXPECT_EQ(ok(store().credential_lists().fetch(main.sid, cl.sid)).friendly_name, s);
    auto cr = ok(store().credentials().create(make_credential(cl, s)));
    EXPECT_EQ(ok(store().credentials().fetch(main.sid, cl.sid, cr.sid)).username, s);
    auto acl = ok(store().ip_access_control_lists().create(make_acl(main.sid, s)));
    auto ip = ok(store().ip_addresses().create(make_ip(acl, s)));
    EXPECT_EQ(ok(store().ip_addresses().fetch(main.sid, acl.sid, ip.sid)).ip_address, s);
  }
  // Hostile lookups find nothing and break nothing.
  EXPECT_STORE_ERROR(store().domains().find_by_name("' OR '1'='1"), Errc::NotFound);
  EXPECT_STORE_ERROR(store().domains().fetch("' OR '1'='1", "' OR '1'='1"), Errc::NotFound);
  EXPECT_STORE_ERROR(store().accounts().fetch("x' OR 1=1 --"), Errc::NotFound);
  EXPECT_EQ(ok(store().domains().count(main.sid)), nasty.size());
  EXPECT_EQ(ok(store().credential_lists().count(main.sid)), nasty.size());
}

TEST_P(StoreBehaviourTest, TextBothBackendsCannotKeepIsRefused) {
  const Account& main = main_account();
  const auto before = store().generation();
  EXPECT_STORE_ERROR(store().credential_lists().create(make_credential_list(main.sid, std::string("a\0b", 3))),
                     Errc::Invalid);
  EXPECT_STORE_ERROR(store().credential_lists().create(make_credential_list(main.sid, "bad \xff utf8")),
                     Errc::Invalid);
  EXPECT_STORE_ERROR(store().credential_lists().create(make_credential_list(main.sid, "overlong \xC0\xAF")),
                     Errc::Invalid);
  EXPECT_STORE_ERROR(store().domains().find_by_name("truncated \xE2\x82"), Errc::Invalid);
  EXPECT_EQ(store().generation(), before);
  EXPECT_EQ(ok(store().credential_lists().count(main.sid)), 0u);
}

TEST_P(StoreBehaviourTest, ReopeningAppliesNoMigrationTwiceAndKeepsData) {
  const Account& main = main_account();
  auto d = ok(store().domains().create(make_domain(main.sid, "keep.sip.localhost")));
  for (int i = 0; i < 3; ++i) {
    reopen();
    ASSERT_NE(store_, nullptr);
    EXPECT_EQ(ok(store().domains().fetch(main.sid, d.sid)).domain_name, "keep.sip.localhost");
    EXPECT_EQ(ok(store().accounts().main_account()).sid, main.sid);
  }
  // The schema is usable after reopening (tables, sequences, constraints).
  auto d2 = ok(store().domains().create(make_domain(main.sid, "keep2.sip.localhost")));
  EXPECT_GT(d2.seq, d.seq);
  EXPECT_STORE_ERROR(store().domains().create(make_domain(main.sid, "KEEP.sip.localhost")), Errc::Conflict);
}

TEST_P(StoreBehaviourTest, ConcurrentWritersAndReadersAreSafe) {
  const Account& main = main_account();
  auto cl = ok(store().credential_lists().create(make_credential_list(main.sid)));
  auto d = ok(store().domains().create(make_domain(main.sid, "busy.sip.localhost")));
  ASSERT_STORE_OK(store().mappings().map(MappingKey{main.sid, d.sid, MappingKind::CredentialList}, cl.sid));
  const auto g0 = store().generation();
  constexpr int kThreads = 6;
  constexpr int kPerThread = 15;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string user = "t";  // (not "t" + …: GCC 12 -Wrestrict false positive)
        user += std::to_string(t) + "u" + std::to_string(i);
        if (!store().credentials().create(make_credential(cl, user)))
          ++failures;
        auto auth = store().domain_auth("busy.sip.localhost");
        if (!auth || !*auth) ++failures;
      }
    });
  }
  // Everyone racing for the same username: exactly one wins.
  std::atomic<int> wins{0}, conflicts{0};
  std::vector<std::thread> racers;
  for (int t = 0; t < 4; ++t) {
    racers.emplace_back([&] {
      auto r = store().credentials().create(make_credential(cl, "contended"));
      if (r) ++wins;
      else if (is(r.error(), Errc::Conflict)) ++conflicts;
    });
  }
  for (auto& th : threads) th.join();
  for (auto& th : racers) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), 3);
  EXPECT_EQ(ok(store().credentials().count(main.sid, cl.sid)), std::size_t{kThreads * kPerThread + 1});
  EXPECT_EQ(store().generation(), g0 + kThreads * kPerThread + 1);
  auto auth = ok(store().domain_auth("busy.sip.localhost"));
  ASSERT_TRUE(auth.has_value());
  EXPECT_EQ(auth->call_users.size(), std::size_t{kThreads * kPerThread + 1});
}

TEST_P(StoreBehaviourTest, FailingWritesDoNotTakeConcurrentWritesDown) {
  // Many writers at once land in shared group-commit batches; half of the
  // writes are refused (duplicate usernames). Each refusal must stay local.
  const Account& main = main_account();
  auto cl = ok(store().credential_lists().create(make_credential_list(main.sid)));
  for (int i = 0; i < 10; ++i) {
    std::string user = "taken";
    user += std::to_string(i);
    ASSERT_STORE_OK(store().credentials().create(make_credential(cl, user)));
  }
  const auto g0 = store().generation();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 10;
  std::atomic<int> created{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string user = (i % 2) ? "taken" : "new";
        user += (i % 2) ? std::to_string(i) : std::to_string(t * 100 + i);
        auto r = store().credentials().create(make_credential(cl, user));
        if (r) ++created;
        else if (is(r.error(), Errc::Conflict)) ++conflicts;
        else ++other;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(created.load(), kThreads * kPerThread / 2);
  EXPECT_EQ(conflicts.load(), kThreads * kPerThread / 2);
  EXPECT_EQ(ok(store().credentials().count(main.sid, cl.sid)), std::size_t{10 + kThreads * kPerThread / 2});
  EXPECT_EQ(store().generation(), g0 + kThreads * kPerThread / 2);
}

CALLWIRE_STORE_BACKENDS(StoreBehaviourTest);

}  // namespace
}  // namespace callwire::store::test
