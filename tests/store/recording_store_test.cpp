// Call recordings: every field round-trips through save (insert, then
// update by sid), scoping, validation, filters, newest-first keyset paging,
// list by call, delete, and no generation bump.
#include "core/sid.hpp"
#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

class RecordingStoreTest : public StoreTest {
 protected:
  Recording make_recording(const std::string& account_sid, const std::string& call_sid) {
    Recording k;
    k.account_sid = account_sid;
    k.call_sid = call_sid;
    return k;
  }
  std::vector<std::string> sids(const RecordingFilter& f, std::size_t page_size = 1000) {
    std::vector<std::string> out;
    PageRequest p{page_size, 0};
    for (;;) {
      auto page = ok(store().recordings().list(main_account().sid, f, p));
      for (auto& k : page.items) out.push_back(k.sid);
      if (!page.has_more) break;
      p.after_seq = page.last_seq;
    }
    return out;
  }
};

TEST_P(RecordingStoreTest, SaveInsertsThenUpdatesEveryFieldBySid) {
  const Account& main = main_account();
  const std::string call = make_sid("CA");
  Recording k = make_recording(main.sid, call);
  const auto started = ok(store().recordings().save(k));
  EXPECT_TRUE(is_sid(started.sid, "RE"));
  EXPECT_EQ(started.status, "in-progress");
  EXPECT_FALSE(started.duration.has_value());
  EXPECT_FALSE(started.conference_sid.has_value());
  EXPECT_EQ(started.channels, 1);
  EXPECT_EQ(started.source, "RecordVerb");
  EXPECT_EQ(started.track, "both");
  EXPECT_EQ(started.date_created, started.date_updated);
  EXPECT_LE(std::chrono::abs(std::chrono::system_clock::now() - started.date_created), seconds(5));
  EXPECT_GT(started.seq, 0);

  Recording done = started;
  done.status = "completed";
  done.start_time = std::chrono::sys_days(std::chrono::year(2024) / 3 / 1) + hours(10);
  done.duration = 17;
  done.channels = 2;
  done.source = "DialVerb";
  done.track = "inbound";
  done.error_code = 13617;
  done.conference_sid = make_sid("CF");
  done.media_path = recording_media_path(main.sid, started.sid);
  done.date_created = Timestamp{};  // ignored on input
  const auto saved = ok(store().recordings().save(done));
  EXPECT_EQ(saved.sid, started.sid);
  EXPECT_EQ(saved.seq, started.seq);

  const auto f = ok(store().recordings().fetch(main.sid, started.sid));
  EXPECT_EQ(f.account_sid, main.sid);
  EXPECT_EQ(f.call_sid, call);
  EXPECT_EQ(f.conference_sid, done.conference_sid);
  EXPECT_EQ(f.start_time, done.start_time);
  EXPECT_EQ(f.duration, 17);
  EXPECT_EQ(f.channels, 2);
  EXPECT_EQ(f.source, "DialVerb");
  EXPECT_EQ(f.status, "completed");
  EXPECT_EQ(f.error_code, 13617);
  EXPECT_EQ(f.track, "inbound");
  EXPECT_EQ(f.media_path, "recordings/" + main.sid + "/" + started.sid + ".wav");
  EXPECT_EQ(f.date_created, started.date_created);  // kept on update
  EXPECT_GE(f.date_updated, started.date_updated);

  auto page = ok(store().recordings().list(main.sid, {}, {}));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].sid, started.sid);
  EXPECT_EQ(page.items[0].duration, 17);

  ASSERT_STORE_OK(store().recordings().remove(main.sid, started.sid));
  EXPECT_STORE_ERROR(store().recordings().fetch(main.sid, started.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().recordings().remove(main.sid, started.sid), Errc::NotFound);
  EXPECT_TRUE(ok(store().recordings().list(main.sid, {}, {})).items.empty());
}

TEST_P(RecordingStoreTest, GivenSidIsKept) {
  Recording k = make_recording(main_account().sid, make_sid("CA"));
  k.sid = make_sid("RE");
  EXPECT_EQ(ok(store().recordings().save(k)).sid, k.sid);
  EXPECT_EQ(ok(store().recordings().fetch(main_account().sid, k.sid)).sid, k.sid);
}

TEST_P(RecordingStoreTest, ScopedToTheAccountAndValidated) {
  const Account& main = main_account();
  const Account& sub = sub_account();
  const auto mine = ok(store().recordings().save(make_recording(main.sid, make_sid("CA"))));
  EXPECT_STORE_ERROR(store().recordings().fetch(sub.sid, mine.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().recordings().remove(sub.sid, mine.sid), Errc::NotFound);
  EXPECT_TRUE(ok(store().recordings().list(sub.sid, {}, {})).items.empty());

  // Another account cannot take over a sid by saving it; the row is unchanged.
  Recording steal = mine;
  steal.account_sid = sub.sid;
  steal.status = "completed";
  EXPECT_STORE_ERROR(store().recordings().save(steal), Errc::Conflict);
  EXPECT_EQ(ok(store().recordings().fetch(main.sid, mine.sid)).status, "in-progress");

  EXPECT_STORE_ERROR(store().recordings().save(make_recording("AC" + std::string(32, 'e'), make_sid("CA"))),
                     Errc::ForeignKey);
  Recording bad = make_recording(main.sid, make_sid("CA"));
  bad.status = "finished";
  EXPECT_STORE_ERROR(store().recordings().save(bad), Errc::Invalid);
  bad = make_recording(main.sid, "");
  EXPECT_STORE_ERROR(store().recordings().save(bad), Errc::Invalid);
  bad = make_recording(main.sid, make_sid("CA"));
  bad.track = "sideways";
  EXPECT_STORE_ERROR(store().recordings().save(bad), Errc::Invalid);
  bad.track = "both";
  bad.channels = 3;
  EXPECT_STORE_ERROR(store().recordings().save(bad), Errc::Invalid);
  EXPECT_EQ(ok(store().recordings().list(main.sid, {}, {})).items.size(), 1u);
}

TEST_P(RecordingStoreTest, NewestFirstPagingAndFilters) {
  const Account& main = main_account();
  const std::string call_a = make_sid("CA");
  const std::string call_b = make_sid("CA");
  std::vector<std::string> all;  // oldest first
  for (int i = 0; i < 7; ++i)
    all.push_back(ok(store().recordings().save(make_recording(main.sid, i % 2 == 0 ? call_a : call_b))).sid);
  const std::vector<std::string> newest_first(all.rbegin(), all.rend());

  EXPECT_EQ(sids({}, 1000), newest_first);
  EXPECT_EQ(sids({}, 2), newest_first);  // keyset pages of 2, 2, 2, 1
  auto first = ok(store().recordings().list(main.sid, {}, {3, 0}));
  EXPECT_EQ(first.items.size(), 3u);
  EXPECT_TRUE(first.has_more);

  RecordingFilter by_a;
  by_a.call_sid = call_a;
  const std::vector<std::string> a_sids = {all[6], all[4], all[2], all[0]};
  EXPECT_EQ(sids(by_a, 3), a_sids);
  std::vector<std::string> via_call;
  PageRequest p{2, 0};
  for (;;) {
    auto page = ok(store().recordings().list_by_call(main.sid, call_b, p));
    for (auto& k : page.items) {
      EXPECT_EQ(k.call_sid, call_b);
      via_call.push_back(k.sid);
    }
    if (!page.has_more) break;
    p.after_seq = page.last_seq;
  }
  EXPECT_EQ(via_call, (std::vector<std::string>{all[5], all[3], all[1]}));
  EXPECT_TRUE(ok(store().recordings().list_by_call(main.sid, make_sid("CA"), {})).items.empty());

  RecordingFilter by_conference;
  by_conference.conference_sid = make_sid("CF");
  EXPECT_TRUE(sids(by_conference).empty());

  // date_created is now: half-open bounds around it.
  const auto now = std::chrono::floor<seconds>(std::chrono::system_clock::now());
  RecordingFilter around;
  around.created_after = now - hours(1);
  around.created_before = now + hours(1);
  EXPECT_EQ(sids(around), newest_first);
  RecordingFilter later;
  later.created_after = now + hours(1);
  EXPECT_TRUE(sids(later).empty());
  RecordingFilter earlier;
  earlier.created_before = now - hours(1);
  EXPECT_TRUE(sids(earlier).empty());
  RecordingFilter both = around;
  both.call_sid = call_b;
  EXPECT_EQ(sids(both).size(), 3u);
}

TEST_P(RecordingStoreTest, RecordingWritesNeverMoveGeneration) {
  const Account& main = main_account();
  const auto g0 = store().generation();
  auto k = ok(store().recordings().save(make_recording(main.sid, make_sid("CA"))));
  k.status = "completed";
  ASSERT_STORE_OK(store().recordings().save(k));
  ASSERT_STORE_OK(store().recordings().remove(main.sid, k.sid));
  EXPECT_EQ(store().generation(), g0);
}

TEST_P(RecordingStoreTest, RecordingsSurviveAReopen) {
  const auto k = ok(store().recordings().save(make_recording(main_account().sid, make_sid("CA"))));
  reopen();
  EXPECT_EQ(ok(store().recordings().fetch(main_account().sid, k.sid)).call_sid, k.call_sid);
}

CALLWIRE_STORE_BACKENDS(RecordingStoreTest);

}  // namespace
}  // namespace callwire::store::test
