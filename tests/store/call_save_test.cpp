// CallStore::save(), the call log's batch write: insert-or-update in one
// transaction, a refused record (another account's sid, unknown account, bad
// status) is skipped without taking the others down, and no generation bump.
#include <vector>

#include "core/sid.hpp"
#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

class CallSaveTest : public StoreTest {
 protected:
  Call make_call(const std::string& account_sid) {
    Call c;
    c.sid = make_sid("CA");
    c.account_sid = account_sid;
    c.to = "sip:alice@acme.sip.localhost";
    c.from = "sip:bob@10.0.0.1";
    c.sip_call_id = c.sid + "@10.0.0.1";
    return c;
  }
  std::vector<std::string> listed(const std::string& account_sid) {
    std::vector<std::string> out;
    for (auto& c : ok(store().calls().list(account_sid, {}, {1000, 0})).items) out.push_back(c.sid);
    return out;
  }
};

TEST_P(CallSaveTest, InsertsNewCallsInOrderAndUpdatesExistingOnes) {
  const Account& main = main_account();
  const Call existing = ok(store().calls().create(make_call(main.sid)));
  Call changed = existing;
  changed.status = "completed";
  changed.start_time = Timestamp(std::chrono::seconds(1'700'000'000));
  changed.end_time = *changed.start_time + std::chrono::seconds(30);
  changed.duration = 30;
  changed.sip_response_code = 200;
  Call a = make_call(main.sid);
  a.caller_name = "Bob";
  Call b = make_call(main.sid);
  b.status = "busy";
  b.sip_response_code = 486;
  ASSERT_STORE_OK(store().calls().save({a, changed, b}));

  const auto u = ok(store().calls().fetch(main.sid, existing.sid));
  EXPECT_EQ(u.status, "completed");
  EXPECT_EQ(u.start_time, changed.start_time);
  EXPECT_EQ(u.end_time, changed.end_time);
  EXPECT_EQ(u.duration, 30);
  EXPECT_EQ(u.sip_response_code, 200);
  EXPECT_EQ(u.seq, existing.seq);  // updated in place
  EXPECT_EQ(u.date_created, existing.date_created);
  const auto fa = ok(store().calls().fetch(main.sid, a.sid));
  EXPECT_EQ(fa.caller_name, "Bob");
  EXPECT_EQ(fa.status, "ringing");
  EXPECT_EQ(fa.date_created, fa.date_updated);
  const auto fb = ok(store().calls().fetch(main.sid, b.sid));
  EXPECT_EQ(fb.status, "busy");
  EXPECT_EQ(fb.sip_response_code, 486);
  // Newest first: the batch's order is insertion order.
  EXPECT_EQ(listed(main.sid), (std::vector{b.sid, a.sid, existing.sid}));

  // A second save of a saved call updates it; clearing a field clears it.
  Call a2 = fa;
  a2.caller_name = std::nullopt;
  a2.status = "no-answer";
  ASSERT_STORE_OK(store().calls().save({a2}));
  const auto fa2 = ok(store().calls().fetch(main.sid, a.sid));
  EXPECT_EQ(fa2.status, "no-answer");
  EXPECT_EQ(fa2.caller_name, std::nullopt);
  EXPECT_EQ(fa2.seq, fa.seq);
  EXPECT_EQ(listed(main.sid).size(), 3u);
  ASSERT_STORE_OK(store().calls().save({}));
}

TEST_P(CallSaveTest, AnotherAccountsSidIsSkippedAndLeftUnchanged) {
  const Account& main = main_account();
  const Account& sub = sub_account();
  const Call mine = ok(store().calls().create(make_call(main.sid)));
  Call hijack = mine;
  hijack.account_sid = sub.sid;
  hijack.status = "failed";
  hijack.to = "sip:mallory@x";
  const Call theirs = make_call(sub.sid);
  const Call also_mine = make_call(main.sid);
  auto r = store().calls().save({hijack, theirs, also_mine});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, make_error_code(Errc::Conflict)) << r.error().what();
  EXPECT_NE(r.error().what().find("1 of 3"), std::string::npos) << r.error().what();
  EXPECT_NE(r.error().what().find(mine.sid), std::string::npos) << r.error().what();

  const auto f = ok(store().calls().fetch(main.sid, mine.sid));
  EXPECT_EQ(f.status, "ringing");
  EXPECT_EQ(f.to, mine.to);
  EXPECT_EQ(f.date_updated, mine.date_updated);
  EXPECT_STORE_ERROR(store().calls().fetch(sub.sid, mine.sid), Errc::NotFound);
  // The other records of the batch were written.
  EXPECT_EQ(listed(sub.sid), (std::vector{theirs.sid}));
  EXPECT_EQ(ok(store().calls().fetch(main.sid, also_mine.sid)).sid, also_mine.sid);
}

TEST_P(CallSaveTest, RefusedRecordsDoNotTakeTheBatchDown) {
  const Account& main = main_account();
  Call orphan = make_call("AC" + std::string(32, '0'));
  Call bad = make_call(main.sid);
  bad.status = "answered";
  Call unnamed = make_call(main.sid);
  unnamed.sid.clear();
  Call good1 = make_call(main.sid);
  Call good2 = make_call(main.sid);
  auto r = store().calls().save({good1, orphan, bad, unnamed, good2});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().what().find("3 of 5"), std::string::npos) << r.error().what();
  EXPECT_EQ(listed(main.sid), (std::vector{good2.sid, good1.sid}));

  // Only an unknown account: ForeignKey, and the rest is still committed.
  Call good3 = make_call(main.sid);
  auto fk = store().calls().save({orphan, good3});
  ASSERT_FALSE(fk.has_value());
  EXPECT_EQ(fk.error().code, make_error_code(Errc::ForeignKey)) << fk.error().what();
  EXPECT_EQ(ok(store().calls().fetch(main.sid, good3.sid)).sid, good3.sid);
}

TEST_P(CallSaveTest, SavesNeverMoveGeneration) {
  const Account& main = main_account();
  const Account& sub = sub_account();
  const auto g0 = store().generation();
  std::vector<Call> batch;
  for (int i = 0; i < 200; ++i) batch.push_back(make_call(main.sid));
  ASSERT_STORE_OK(store().calls().save(batch));
  for (auto& c : batch) c.status = "completed";
  ASSERT_STORE_OK(store().calls().save(batch));
  Call hijack = batch[0];
  hijack.account_sid = sub.sid;
  EXPECT_FALSE(store().calls().save({hijack}).has_value());
  EXPECT_EQ(store().generation(), g0);
  EXPECT_EQ(listed(main.sid).size(), 200u);
  EXPECT_EQ(ok(store().calls().fetch(main.sid, batch[199].sid)).status, "completed");
}

CALLWIRE_STORE_BACKENDS(CallSaveTest);

}  // namespace
}  // namespace callwire::store::test
