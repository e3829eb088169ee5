// Monitor Alerts over HTTP (contract §12): v1 list with `meta` paging and
// absolute URLs, filters, fetch with the fetch-only fields, delete, and the
// authenticated account as the scope.
#include "api_fixture.hpp"
#include "core/sid.hpp"
#include "http/form.hpp"

namespace callwire::api::test {
namespace {

using std::chrono::hours;

class Alerts : public ApiTest {
 protected:
  static store::Timestamp at(int y, int m, int d, int h = 0) {
    return std::chrono::sys_days(std::chrono::year(y) / m / d) + hours(h);
  }
  store::Alert add(const std::string& account, const std::string& level = "error",
                   std::optional<store::Timestamp> generated = std::nullopt) {
    store::Alert a;
    a.account_sid = account;
    a.error_code = "11200";
    a.log_level = level;
    a.alert_text = "Msg=HTTP+retrieval+failure&httpResponse=500&url=https%3A%2F%2Fapp.example.com%2Fvoice";
    a.more_info = "https://www.twilio.com/docs/errors/11200";
    a.request_method = "POST";
    a.request_url = "https://app.example.com/voice";
    a.resource_sid = make_sid("CA");
    a.request_variables = "CallSid=CA1&CallStatus=ringing";
    a.request_headers = "X-Twilio-Signature: abc";
    a.response_body = "<h1>500</h1>";
    a.response_headers = "Content-Type: text/html";
    if (generated) a.date_generated = *generated;
    auto r = store().alerts().create(a);
    EXPECT_TRUE(r.has_value()) << r.error().what();
    return r.value_or(store::Alert{});
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port()); }
  // An absolute URL of this server as a target.
  std::string target(const std::string& url) const {
    EXPECT_TRUE(url.starts_with(base())) << url;
    return url.substr(base().size());
  }
  std::vector<std::string> listed(const std::string& query, const Auth& auth) {
    auto r = get("/v1/Alerts" + query, auth);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    if (r.json.is_object())
      for (const auto& a : r.json["alerts"]) out.push_back(a["sid"]);
    return out;
  }
  std::vector<std::string> listed(const std::string& query) { return listed(query, main_auth()); }
  static std::string q(const http::Params& p) { return "?" + http::form_encode(p); }
};

TEST_P(Alerts, FetchHasEveryFieldInIso8601) {
  const auto a = add(main_auth().sid, "error", at(2015, 7, 30, 20));
  auto r = get("/v1/Alerts/" + a.sid);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& j = r.json;
  EXPECT_EQ(j["sid"], a.sid);
  EXPECT_EQ(j["account_sid"], main_auth().sid);
  EXPECT_EQ(j["alert_text"], a.alert_text);
  EXPECT_EQ(j["api_version"], "2010-04-01");
  EXPECT_EQ(j["date_generated"], "2015-07-30T20:00:00Z");
  ASSERT_TRUE(j["date_created"].is_string());
  const std::string created = j["date_created"];
  EXPECT_EQ(created.size(), 20u);
  EXPECT_EQ(created[10], 'T');
  EXPECT_EQ(created.back(), 'Z');
  EXPECT_EQ(j["date_updated"], j["date_created"]);
  EXPECT_EQ(j["error_code"], "11200");
  EXPECT_EQ(j["log_level"], "error");
  EXPECT_EQ(j["more_info"], "https://www.twilio.com/docs/errors/11200");
  EXPECT_EQ(j["request_method"], "POST");
  EXPECT_EQ(j["request_url"], "https://app.example.com/voice");
  EXPECT_EQ(j["resource_sid"], *a.resource_sid);
  EXPECT_TRUE(j["service_sid"].is_null());
  EXPECT_EQ(j["url"], base() + "/v1/Alerts/" + a.sid);
  EXPECT_EQ(j["request_variables"], a.request_variables);
  EXPECT_EQ(j["request_headers"], a.request_headers);
  EXPECT_EQ(j["response_body"], a.response_body);
  EXPECT_EQ(j["response_headers"], a.response_headers);

  auto list = get("/v1/Alerts");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json["alerts"].size(), 1u);
  const auto& item = list.json["alerts"][0];
  EXPECT_EQ(item["sid"], a.sid);
  EXPECT_EQ(item["alert_text"], a.alert_text);
  EXPECT_FALSE(item.contains("response_body"));  // fetch only
  EXPECT_FALSE(item.contains("request_variables"));
}

TEST_P(Alerts, ListPagesWithMetaAndAbsoluteUrls) {
  auto empty = get("/v1/Alerts");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_TRUE(empty.json["alerts"].empty());
  const auto& m0 = empty.json["meta"];
  EXPECT_EQ(m0["key"], "alerts");
  EXPECT_EQ(m0["page"], 0);
  EXPECT_EQ(m0["page_size"], 50);
  EXPECT_EQ(m0["first_page_url"], base() + "/v1/Alerts?PageSize=50&Page=0");
  EXPECT_EQ(m0["url"], base() + "/v1/Alerts?PageSize=50&Page=0");
  EXPECT_TRUE(m0["next_page_url"].is_null());
  EXPECT_TRUE(m0["previous_page_url"].is_null());

  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(add(main_auth().sid).sid);
  const std::vector<std::string> newest(created.rbegin(), created.rend());
  auto r = get("/v1/Alerts?PageSize=2&LogLevel=error");
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> seen;
  for (const auto& a : r.json["alerts"]) seen.push_back(a["sid"]);
  std::string next = r.json["meta"]["next_page_url"];
  EXPECT_TRUE(next.starts_with(base() + "/v1/Alerts?LogLevel=error&PageSize=2&Page=1&PageToken=PA")) << next;
  int pages = 1;
  while (!next.empty()) {
    auto page = get(target(next));
    ASSERT_EQ(page.status, 200) << page.body;
    ++pages;
    EXPECT_EQ(page.json["meta"]["url"], next);
    EXPECT_TRUE(page.json["meta"]["previous_page_url"].is_string());
    for (const auto& a : page.json["alerts"]) seen.push_back(a["sid"]);
    next = page.json["meta"]["next_page_url"].is_string() ? page.json["meta"]["next_page_url"].get<std::string>()
                                                          : "";
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, newest);
}

TEST_P(Alerts, FiltersOnLevelAndDates) {
  const auto a = add(main_auth().sid, "error", at(2015, 7, 30, 20)).sid;
  const auto b = add(main_auth().sid, "warning", at(2015, 7, 31, 0)).sid;
  const auto c = add(main_auth().sid, "error", at(2015, 8, 1, 0)).sid;
  EXPECT_EQ(listed(""), (std::vector{c, b, a}));
  EXPECT_EQ(listed("?LogLevel=error"), (std::vector{c, a}));
  EXPECT_EQ(listed("?LogLevel=warning"), (std::vector{b}));
  EXPECT_TRUE(listed("?LogLevel=debug").empty());
  EXPECT_EQ(listed(q({{"StartDate", "2015-07-31T00:00:00Z"}})), (std::vector{c, b}));
  EXPECT_EQ(listed(q({{"StartDate", "2015-07-30T20:00:01Z"}})), (std::vector{c, b}));
  EXPECT_EQ(listed(q({{"EndDate", "2015-07-31T00:00:00Z"}})), (std::vector{b, a}));  // on or before
  EXPECT_EQ(listed(q({{"EndDate", "2015-07-31"}})), (std::vector{b, a}));             // the whole day
  EXPECT_EQ(listed(q({{"StartDate", "2015-07-31"}, {"EndDate", "2015-07-31"}})), (std::vector{b}));
  EXPECT_EQ(listed(q({{"StartDate", "2015-07-30T19:00:00.123-01:00"}})), (std::vector{c, b, a}));

  EXPECT_API_ERROR(get("/v1/Alerts?LogLevel=fatal"), 400, 20001, "LogLevel");
  EXPECT_API_ERROR(get("/v1/Alerts" + q({{"StartDate", "last week"}})), 400, 20001, "StartDate");
  EXPECT_API_ERROR(get("/v1/Alerts" + q({{"EndDate", "2015-07-31T25:00:00Z"}})), 400, 20001, "EndDate");
  EXPECT_API_ERROR(get("/v1/Alerts?PageSize=0"), 400, 20001, "PageSize");
}

TEST_P(Alerts, TheAuthenticatedAccountIsTheScope) {
  const Auth sub = create_subaccount();
  const auto mine = add(main_auth().sid).sid;
  const auto theirs = add(sub.sid).sid;
  EXPECT_EQ(listed(""), (std::vector{mine}));  // not the sub-account's
  EXPECT_EQ(listed("", sub), (std::vector{theirs}));
  EXPECT_API_ERROR(get("/v1/Alerts/" + theirs), 404, 20404, theirs);
  EXPECT_API_ERROR(get("/v1/Alerts/" + mine, sub), 404, 20404, mine);
  EXPECT_API_ERROR(del("/v1/Alerts/" + mine, sub), 404, 20404, mine);
  EXPECT_API_ERROR(request(http::Method::Get, "/v1/Alerts", {}, std::nullopt), 401, 20003, "Authenticate");
  EXPECT_API_ERROR(get("/v1/Alerts", Auth{main_auth().sid, std::string(32, '0')}), 401, 20003, "Authenticate");
  EXPECT_API_ERROR(get("/v1/Alerts/NOshort"), 404, 20404, "NOshort");
}

TEST_P(Alerts, DeleteRemovesOneAlert) {
  const auto a = add(main_auth().sid).sid;
  const auto b = add(main_auth().sid).sid;
  auto r = del("/v1/Alerts/" + a);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  EXPECT_API_ERROR(get("/v1/Alerts/" + a), 404, 20404, a);
  EXPECT_API_ERROR(del("/v1/Alerts/" + a), 404, 20404, a);
  EXPECT_EQ(listed(""), (std::vector{b}));
  EXPECT_API_ERROR(post("/v1/Alerts", {}), 405, 20004, "");
}

CALLWIRE_API_BACKENDS(Alerts);

}  // namespace
}  // namespace callwire::api::test
