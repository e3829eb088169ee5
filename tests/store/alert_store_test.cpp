// Debugger alerts: every field round-trips (fetch-only ones only on fetch),
// scoping, filters, newest-first paging, no generation bump.
#include "core/sid.hpp"
#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

using std::chrono::hours;

class AlertStoreTest : public StoreTest {
 protected:
  Alert make_alert(const std::string& account_sid, const std::string& level = "error",
                   std::optional<Timestamp> generated = std::nullopt) {
    Alert a;
    a.account_sid = account_sid;
    a.error_code = "11200";
    a.log_level = level;
    a.alert_text = "Msg=HTTP+retrieval+failure&sourceComponent=12000&httpResponse=500";
    a.more_info = "https://www.twilio.com/docs/errors/11200";
    a.request_method = "POST";
    a.request_url = "https://app.example.com/voice";
    a.resource_sid = make_sid("CA");
    a.request_variables = "CallSid=CA1&From=sip%3Abob%40x";
    a.request_headers = "User-Agent: TwilioProxy/1.1";
    a.response_body = "<html>oops</html>";
    a.response_headers = "Content-Type: text/html";
    if (generated) a.date_generated = *generated;
    return a;
  }
  static Timestamp at(int y, int m, int d, int h = 0) {
    return std::chrono::sys_days(std::chrono::year(y) / m / d) + hours(h);
  }
  std::vector<std::string> sids(const AlertFilter& f, std::size_t page_size = 1000) {
    std::vector<std::string> out;
    PageRequest p{page_size, 0};
    for (;;) {
      auto page = ok(store().alerts().list(main_account().sid, f, p));
      for (auto& a : page.items) out.push_back(a.sid);
      if (!page.has_more) break;
      p.after_seq = page.last_seq;
    }
    return out;
  }
};

TEST_P(AlertStoreTest, CreateFetchListDeleteRoundTripsEveryField) {
  const Account& main = main_account();
  const Alert a = make_alert(main.sid);
  const auto created = ok(store().alerts().create(a));
  EXPECT_TRUE(is_sid(created.sid, "NO"));
  EXPECT_EQ(created.date_generated, created.date_created);  // defaults to now
  EXPECT_LE(std::chrono::abs(std::chrono::system_clock::now() - created.date_created), std::chrono::seconds(5));

  const auto f = ok(store().alerts().fetch(main.sid, created.sid));
  EXPECT_EQ(f.account_sid, main.sid);
  EXPECT_EQ(f.error_code, "11200");
  EXPECT_EQ(f.log_level, "error");
  EXPECT_EQ(f.alert_text, a.alert_text);
  EXPECT_EQ(f.more_info, a.more_info);
  EXPECT_EQ(f.request_method, "POST");
  EXPECT_EQ(f.request_url, a.request_url);
  EXPECT_EQ(f.resource_sid, a.resource_sid);
  EXPECT_EQ(f.request_variables, a.request_variables);
  EXPECT_EQ(f.request_headers, a.request_headers);
  EXPECT_EQ(f.response_body, a.response_body);
  EXPECT_EQ(f.response_headers, a.response_headers);
  EXPECT_EQ(f.date_created, created.date_created);
  EXPECT_EQ(f.date_updated, created.date_created);
  EXPECT_EQ(f.seq, created.seq);

  auto page = ok(store().alerts().list(main.sid, {}, {}));
  ASSERT_EQ(page.items.size(), 1u);
  const Alert& item = page.items[0];
  EXPECT_EQ(item.sid, created.sid);
  EXPECT_EQ(item.alert_text, a.alert_text);
  EXPECT_EQ(item.resource_sid, a.resource_sid);
  EXPECT_TRUE(item.response_body.empty());  // fetch-only fields stay out of lists
  EXPECT_TRUE(item.request_variables.empty());

  ASSERT_STORE_OK(store().alerts().remove(main.sid, created.sid));
  EXPECT_STORE_ERROR(store().alerts().fetch(main.sid, created.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().alerts().remove(main.sid, created.sid), Errc::NotFound);
}

TEST_P(AlertStoreTest, ScopedToTheAccountAndValidated) {
  const Account& main = main_account();
  const Account& sub = sub_account();
  const auto mine = ok(store().alerts().create(make_alert(main.sid)));
  const auto theirs = ok(store().alerts().create(make_alert(sub.sid)));
  EXPECT_STORE_ERROR(store().alerts().fetch(sub.sid, mine.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().alerts().remove(sub.sid, mine.sid), Errc::NotFound);
  EXPECT_EQ(sids({}), (std::vector{mine.sid}));
  EXPECT_EQ(ok(store().alerts().list(sub.sid, {}, {})).items.at(0).sid, theirs.sid);

  EXPECT_STORE_ERROR(store().alerts().create(make_alert(main.sid, "fatal")), Errc::Invalid);
  EXPECT_STORE_ERROR(store().alerts().create(make_alert("AC" + std::string(32, '0'))), Errc::ForeignKey);
  Alert dup = make_alert(main.sid);
  dup.sid = mine.sid;
  EXPECT_STORE_ERROR(store().alerts().create(dup), Errc::Conflict);
  Alert no_resource = make_alert(main.sid);
  no_resource.resource_sid = std::nullopt;
  EXPECT_EQ(ok(store().alerts().create(no_resource)).resource_sid, std::nullopt);
}

TEST_P(AlertStoreTest, FiltersOnLevelAndGeneratedDate) {
  const Account& main = main_account();
  const auto a = ok(store().alerts().create(make_alert(main.sid, "error", at(2015, 7, 30, 20)))).sid;
  const auto b = ok(store().alerts().create(make_alert(main.sid, "warning", at(2015, 7, 31, 0)))).sid;
  const auto c = ok(store().alerts().create(make_alert(main.sid, "error", at(2015, 8, 1, 0)))).sid;
  EXPECT_EQ(sids({}), (std::vector{c, b, a}));
  EXPECT_EQ(sids({}, 1), (std::vector{c, b, a}));
  AlertFilter f;
  f.log_level = "error";
  EXPECT_EQ(sids(f), (std::vector{c, a}));
  f.log_level = "debug";
  EXPECT_TRUE(sids(f).empty());
  f = {};
  f.start_date = at(2015, 7, 31);  // inclusive
  EXPECT_EQ(sids(f), (std::vector{c, b}));
  f.end_date = at(2015, 8, 1);  // exclusive
  EXPECT_EQ(sids(f), (std::vector{b}));
  f.log_level = "error";
  EXPECT_TRUE(sids(f).empty());
  EXPECT_EQ(ok(store().alerts().fetch(main.sid, a)).date_generated, at(2015, 7, 30, 20));
}

TEST_P(AlertStoreTest, AlertWritesNeverMoveGeneration) {
  const Account& main = main_account();
  const auto g0 = store().generation();
  const auto a = ok(store().alerts().create(make_alert(main.sid)));
  EXPECT_STORE_ERROR(store().alerts().create(make_alert(main.sid, "loud")), Errc::Invalid);
  ASSERT_STORE_OK(store().alerts().remove(main.sid, a.sid));
  EXPECT_EQ(store().generation(), g0);
  reopen();  // and the value the store starts from is the same
  EXPECT_EQ(store().generation(), g0);
}

CALLWIRE_STORE_BACKENDS(AlertStoreTest);

}  // namespace
}  // namespace callwire::store::test
