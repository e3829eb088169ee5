// Call logs over HTTP (contract §11): list with filters and paging, fetch
// with every field, delete rules, and the POSTs callwire does not offer.
// Calls are written straight into the store, as the call pipeline does.
#include "api_fixture.hpp"
#include "core/sid.hpp"
#include "http/form.hpp"

namespace callwire::api::test {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

class Calls : public ApiTest {
 protected:
  static store::Timestamp at(int y, int m, int d, int h = 0) {
    return std::chrono::sys_days(std::chrono::year(y) / m / d) + hours(h);
  }
  store::Call add(const std::string& account, const std::string& to, const std::string& status,
                  std::optional<store::Timestamp> start = std::nullopt,
                  std::optional<store::Timestamp> end = std::nullopt) {
    store::Call c;
    c.account_sid = account;
    c.to = to;
    c.from = "sip:bob@192.0.2.10";
    c.status = status;
    c.start_time = start;
    c.end_time = end;
    c.sip_call_id = "id-" + make_sid("CA") + "@192.0.2.10";
    auto r = store().calls().create(c);
    EXPECT_TRUE(r.has_value()) << r.error().what();
    return r.value_or(store::Call{});
  }
  std::vector<std::string> listed(const std::string& query) {
    auto r = get(acct() + "/Calls.json" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    if (r.json.is_object())
      for (const auto& c : r.json["calls"]) out.push_back(c["sid"]);
    return out;
  }
  static std::string q(const http::Params& p) { return "?" + http::form_encode(p); }
};

TEST_P(Calls, FetchShowsEveryContractField) {
  store::Call c = add(main_auth().sid, "sip:alice@acme.sip.localhost", "ringing");
  c.status = "completed";
  c.start_time = at(2024, 3, 1, 10);
  c.end_time = *c.start_time + seconds(42);
  c.duration = 42;
  c.sip_response_code = 200;
  c.sip_domain_sid = make_sid("SD");
  ASSERT_TRUE(store().calls().update(c).has_value());

  const std::string path = acct() + "/Calls/" + c.sid + ".json";
  auto r = get(path);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& j = r.json;
  EXPECT_EQ(j["sid"], c.sid);
  EXPECT_EQ(j["account_sid"], main_auth().sid);
  EXPECT_TRUE(j["parent_call_sid"].is_null());
  EXPECT_EQ(j["to"], "sip:alice@acme.sip.localhost");
  EXPECT_EQ(j["to_formatted"], "sip:alice@acme.sip.localhost");
  EXPECT_EQ(j["from"], "sip:bob@192.0.2.10");
  EXPECT_EQ(j["from_formatted"], "sip:bob@192.0.2.10");
  EXPECT_TRUE(j["phone_number_sid"].is_null());
  EXPECT_EQ(j["status"], "completed");
  EXPECT_EQ(j["start_time"], "Fri, 01 Mar 2024 10:00:00 +0000");
  EXPECT_EQ(j["end_time"], "Fri, 01 Mar 2024 10:00:42 +0000");
  EXPECT_EQ(j["duration"], "42");
  EXPECT_TRUE(j["price"].is_null());
  EXPECT_EQ(j["price_unit"], "USD");
  EXPECT_EQ(j["direction"], "inbound");
  EXPECT_TRUE(j["answered_by"].is_null());
  EXPECT_EQ(j["api_version"], "2010-04-01");
  EXPECT_TRUE(j["forwarded_from"].is_null());
  EXPECT_TRUE(j["group_sid"].is_null());
  EXPECT_TRUE(j["caller_name"].is_null());
  EXPECT_EQ(j["queue_time"], "0");
  EXPECT_TRUE(j["trunk_sid"].is_null());
  EXPECT_TRUE(j["date_created"].is_string());
  EXPECT_TRUE(j["date_updated"].is_string());
  EXPECT_EQ(j["uri"], path);
  const std::string base = acct() + "/Calls/" + c.sid;
  EXPECT_EQ(j["subresource_uris"]["notifications"], base + "/Notifications.json");
  EXPECT_EQ(j["subresource_uris"]["recordings"], base + "/Recordings.json");
  EXPECT_EQ(j["subresource_uris"]["user_defined_message_subscriptions"],
            base + "/UserDefinedMessageSubscriptions.json");
  EXPECT_EQ(j["subresource_uris"].size(), 9u);
  EXPECT_EQ(j["sip_call_id"], c.sip_call_id);
  EXPECT_EQ(j["sip_domain_sid"], *c.sip_domain_sid);
  EXPECT_EQ(j["sip_response_code"], 200);

  // A ringing call: no duration, no times yet.
  const auto ringing = add(main_auth().sid, "sip:x@y", "ringing");
  auto rr = get(acct() + "/Calls/" + ringing.sid + ".json");
  ASSERT_EQ(rr.status, 200);
  EXPECT_TRUE(rr.json["duration"].is_null());
  EXPECT_TRUE(rr.json["start_time"].is_null());
  EXPECT_TRUE(rr.json["end_time"].is_null());
  EXPECT_TRUE(rr.json["sip_response_code"].is_null());
}

TEST_P(Calls, ListIsNewestFirstWithTheV2010Envelope) {
  auto empty = get(acct() + "/Calls.json");
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_TRUE(empty.json["calls"].is_array());
  EXPECT_TRUE(empty.json["calls"].empty());
  EXPECT_TRUE(empty.json["next_page_uri"].is_null());

  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(add(main_auth().sid, "sip:a@x", "completed").sid);
  const std::vector<std::string> newest(created.rbegin(), created.rend());
  auto first = get(acct() + "/Calls.json?PageSize=2&Status=completed");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json["page_size"], 2);
  std::vector<std::string> seen;
  std::string next = first.json["next_page_uri"];
  EXPECT_TRUE(next.starts_with(acct() + "/Calls.json?Status=completed&PageSize=2&Page=1&PageToken=PA")) << next;
  for (const auto& c : first.json["calls"]) seen.push_back(c["sid"]);
  while (!next.empty()) {
    auto page = get(next);
    ASSERT_EQ(page.status, 200) << page.body;
    for (const auto& c : page.json["calls"]) seen.push_back(c["sid"]);
    next = page.json["next_page_uri"].is_string() ? page.json["next_page_uri"].get<std::string>() : "";
  }
  EXPECT_EQ(seen, newest);
  EXPECT_EQ(listed("?PageSize=2&Page=2"), (std::vector{newest[4]}));  // offset paging without a token
}

TEST_P(Calls, FiltersFollowTheContract) {
  const auto a = add(main_auth().sid, "sip:a@x", "completed", at(2024, 1, 1, 0), at(2024, 1, 1, 1)).sid;
  const auto b = add(main_auth().sid, "sip:b@x", "busy", at(2024, 1, 2, 23), at(2024, 1, 3, 0)).sid;
  const auto c = add(main_auth().sid, "sip:a@x", "in-progress", at(2024, 1, 3, 12)).sid;
  store::Call child = add(main_auth().sid, "sip:c@x", "ringing");
  child.parent_call_sid = a;
  ASSERT_TRUE(store().calls().update(child).has_value());

  EXPECT_EQ(listed(q({{"To", "sip:a@x"}})), (std::vector{c, a}));
  EXPECT_EQ(listed(q({{"From", "sip:bob@192.0.2.10"}, {"Status", "busy"}})), (std::vector{b}));
  EXPECT_EQ(listed(q({{"ParentCallSid", a}})), (std::vector{child.sid}));
  EXPECT_EQ(listed(q({{"StartTime", "2024-01-02"}})), (std::vector{b}));
  EXPECT_EQ(listed(q({{"StartTime>", "2024-01-02"}})), (std::vector{c, b}));
  EXPECT_EQ(listed(q({{"StartTime<", "2024-01-02"}})), (std::vector{b, a}));
  EXPECT_EQ(listed(q({{"StartTime>", "2024-01-01"}, {"StartTime<", "2024-01-02"}})), (std::vector{b, a}));
  EXPECT_EQ(listed(q({{"EndTime", "2024-01-03"}})), (std::vector{b}));
  EXPECT_EQ(listed(q({{"EndTime<", "2024-01-02"}})), (std::vector{a}));
  EXPECT_EQ(listed(q({{"EndTime>", "2024-01-03"}})), (std::vector{b}));
  // ISO 8601 date-times, as twilio-node serializes Date objects.
  EXPECT_EQ(listed(q({{"StartTime>", "2024-01-02T23:00:00Z"}})), (std::vector{c, b}));
  EXPECT_EQ(listed(q({{"StartTime>", "2024-01-02T23:00:01Z"}})), (std::vector{c}));
  EXPECT_EQ(listed(q({{"StartTime", "2024-01-03T13:00:00+01:00"}})), (std::vector{c}));
  // StartTime>=… in a hand-written URL is the parameter "StartTime>".
  EXPECT_EQ(listed("?StartTime>=2024-01-03"), (std::vector{c}));
  // Filters stay in the paging URIs.
  auto r = get(acct() + "/Calls.json" + q({{"To", "sip:a@x"}, {"StartTime>", "2024-01-01"}, {"PageSize", "1"}}));
  ASSERT_EQ(r.status, 200);
  auto next = get(r.json["next_page_uri"].get<std::string>());
  ASSERT_EQ(next.status, 200) << next.body;
  ASSERT_EQ(next.json["calls"].size(), 1u);
  EXPECT_EQ(next.json["calls"][0]["sid"], a);
}

TEST_P(Calls, BadFiltersAre400WithInvalidParameter) {
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"StartTime", "yesterday"},
           {"StartTime<", "2024-13-01"},
           {"EndTime>", "2024-02-30"},
           {"StartTime", "2024-01-01T10:00:00"},  // no zone
           {"EndTime", "2024-01-01 "},
           {"Status", "answered"},
           {"ParentCallSid", "CA123"}}) {
    auto r = get(acct() + "/Calls.json" + q({{name, value}}));
    EXPECT_API_ERROR(r, 400, 20001, name);
  }
}

TEST_P(Calls, DeleteEndedCallsOnlyAndScopeToTheAccount) {
  const auto live = add(main_auth().sid, "sip:a@x", "in-progress");
  const auto ended = add(main_auth().sid, "sip:a@x", "no-answer");
  EXPECT_API_ERROR(del(acct() + "/Calls/" + live.sid + ".json"), 400, 21220, "in-progress");
  EXPECT_EQ(get(acct() + "/Calls/" + live.sid + ".json").status, 200);
  auto r = del(acct() + "/Calls/" + ended.sid + ".json");
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  EXPECT_API_ERROR(get(acct() + "/Calls/" + ended.sid + ".json"), 404, 20404, ended.sid);
  EXPECT_API_ERROR(del(acct() + "/Calls/" + ended.sid + ".json"), 404, 20404, ended.sid);
  EXPECT_API_ERROR(get(acct() + "/Calls/CAnot-a-sid.json"), 404, 20404, "CAnot-a-sid");

  // The main account reads its sub-account's calls; the sub-account not the main's.
  const Auth sub = create_subaccount();
  const auto theirs = add(sub.sid, "sip:s@x", "completed");
  EXPECT_EQ(get(acct(sub.sid) + "/Calls/" + theirs.sid + ".json").status, 200);
  EXPECT_EQ(get(acct(sub.sid) + "/Calls/" + theirs.sid + ".json", sub).status, 200);
  EXPECT_API_ERROR(get(acct(sub.sid) + "/Calls/" + live.sid + ".json", sub), 404, 20404, live.sid);
  EXPECT_API_ERROR(get(acct() + "/Calls.json", sub), 404, 20404, "Calls.json");
  auto sub_list = get(acct(sub.sid) + "/Calls.json", sub);
  ASSERT_EQ(sub_list.status, 200);
  ASSERT_EQ(sub_list.json["calls"].size(), 1u);
  EXPECT_EQ(sub_list.json["calls"][0]["sid"], theirs.sid);
  EXPECT_API_ERROR(request(http::Method::Get, acct() + "/Calls.json", {}, std::nullopt), 401, 20003, "Authenticate");
}

TEST_P(Calls, OutboundCreateAndLiveUpdateAreNotOffered) {
  const auto c = add(main_auth().sid, "sip:a@x", "in-progress");
  auto create = post(acct() + "/Calls.json", {{"To", "sip:a@x"}, {"From", "+15550100"}, {"Url", "https://x/"}});
  EXPECT_API_ERROR(create, 405, 20004, "outbound calls");
  EXPECT_EQ(create.headers.get("Allow"), "GET");
  auto update = post(acct() + "/Calls/" + c.sid + ".json", {{"Status", "completed"}});
  EXPECT_API_ERROR(update, 405, 20004, "live calls");
  EXPECT_EQ(update.headers.get("Allow"), "GET, DELETE");
  EXPECT_EQ(get(acct() + "/Calls/" + c.sid + ".json").json["status"], "in-progress");
  // Still authenticated first.
  EXPECT_API_ERROR(request(http::Method::Post, acct() + "/Calls.json", {}, std::nullopt), 401, 20003, "Authenticate");
}

TEST_P(Calls, ReadingCallLogsDoesNotBumpGeneration) {
  const auto g0 = store().generation();
  const auto c = add(main_auth().sid, "sip:a@x", "completed");
  EXPECT_EQ(get(acct() + "/Calls.json").status, 200);
  EXPECT_EQ(del(acct() + "/Calls/" + c.sid + ".json").status, 204);
  EXPECT_EQ(store().generation(), g0);
}

CALLWIRE_API_BACKENDS(Calls);

}  // namespace
}  // namespace callwire::api::test
