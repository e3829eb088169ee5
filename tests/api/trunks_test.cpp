// Outbound trunks (callwire's extension): SIP/Trunks.json.
#include "api_fixture.hpp"

namespace callwire::api::test {
namespace {

constexpr const char* kPassword = "Carrier-Secret-42";

class Trunks : public ApiTest {
 protected:
  std::string path(const std::string& account = {}) { return acct(account) + "/SIP/Trunks.json"; }
};

TEST_P(Trunks, OneCommandCarrierAndFullCrud) {
  // The minimal single-carrier setup: URI and credentials, everything else default.
  auto r = post(path(), {{"TerminationUri", "sip:carrier.example.net"}, {"Username", "acme"}, {"Password", kPassword}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string sid = r.json["sid"];
  EXPECT_TRUE(sid.starts_with("BY") && sid.size() == 34) << sid;
  const std::string uri = acct() + "/SIP/Trunks/" + sid + ".json";
  EXPECT_EQ(r.json["account_sid"], main_auth().sid);
  EXPECT_EQ(r.json["api_version"], "2010-04-01");
  EXPECT_EQ(r.json["friendly_name"], "sip:carrier.example.net");
  EXPECT_EQ(r.json["termination_uri"], "sip:carrier.example.net");
  EXPECT_EQ(r.json["username"], "acme");
  EXPECT_EQ(r.json["password_set"], true);
  EXPECT_EQ(r.json["number_prefixes"], nlohmann::json::array());
  EXPECT_EQ(r.json["priority"], 10);
  EXPECT_EQ(r.json["weight"], 10);
  EXPECT_EQ(r.json["max_concurrent_calls"], 0);
  EXPECT_EQ(r.json["caller_id"], nullptr);
  EXPECT_EQ(r.json["number_format"], "e164");
  EXPECT_EQ(r.json["enabled"], true);
  EXPECT_TRUE(r.json["date_created"].get<std::string>().ends_with("+0000")) << r.body;
  EXPECT_EQ(r.json["uri"], uri);
  EXPECT_FALSE(r.json.contains("password"));
  // The store holds the plaintext in memory for Dial.
  EXPECT_EQ(store().trunks().fetch(main_auth().sid, sid)->password, kPassword);

  EXPECT_EQ(get(uri).json, r.json);
  auto list = get(path());
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json["trunks"].size(), 1u);
  EXPECT_EQ(list.json["trunks"][0], r.json);
  EXPECT_EQ(list.json["uri"], path() + "?PageSize=50&Page=0");

  auto u = post(uri, {{"FriendlyName", "Carrier A"},
                      {"NumberPrefixes", "+1, +44 20"},
                      {"Priority", "5"},
                      {"Weight", "30"},
                      {"MaxConcurrentCalls", "20"},
                      {"CallerId", "+1 (415) 555-0100"},
                      {"NumberFormat", "e164-without-plus"},
                      {"Enabled", "false"},
                      {"TerminationUri", "sip:203.0.113.7:5080;transport=tcp"}});
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.json["friendly_name"], "Carrier A");
  EXPECT_EQ(u.json["number_prefixes"], (nlohmann::json{"+1", "+4420"}));
  EXPECT_EQ(u.json["priority"], 5);
  EXPECT_EQ(u.json["weight"], 30);
  EXPECT_EQ(u.json["max_concurrent_calls"], 20);
  EXPECT_EQ(u.json["caller_id"], "+14155550100");
  EXPECT_EQ(u.json["number_format"], "e164-without-plus");
  EXPECT_EQ(u.json["enabled"], false);
  EXPECT_EQ(u.json["termination_uri"], "sip:203.0.113.7:5080;transport=tcp");
  EXPECT_EQ(u.json["password_set"], true) << "absent Password keeps it";
  EXPECT_EQ(u.json["username"], "acme");

  // Empty values clear; an update without parameters changes nothing.
  auto cleared = post(uri, {{"NumberPrefixes", ""}, {"CallerId", ""}, {"Password", ""}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(cleared.json["number_prefixes"], nlohmann::json::array());
  EXPECT_EQ(cleared.json["caller_id"], nullptr);
  EXPECT_EQ(cleared.json["password_set"], false);
  EXPECT_EQ(store().trunks().fetch(main_auth().sid, sid)->password, "");
  EXPECT_EQ(post(uri, {}).json["friendly_name"], "Carrier A");

  EXPECT_EQ(del(uri).status, 204);
  EXPECT_API_ERROR(get(uri), 404, 20404, "not found");
  EXPECT_API_ERROR(del(uri), 404, 20404, "not found");
  EXPECT_API_ERROR(post(uri, {{"Priority", "1"}}), 404, 20404, "not found");
}

TEST_P(Trunks, ValidationErrors) {
  EXPECT_API_ERROR(post(path(), {}), 400, 20001, "Missing required parameter TerminationUri");
  const std::pair<http::Params, const char*> cases[] = {
      {{{"TerminationUri", "carrier.example.net"}}, "Invalid TerminationUri"},
      {{{"TerminationUri", "sips:carrier.example.net"}}, "transport=tls"},
      {{{"TerminationUri", "sip:user@carrier.example.net"}}, "no user part"},
      {{{"TerminationUri", "sip:carrier.example.net;transport=sctp"}}, "udp, tcp or tls"},
      {{{"TerminationUri", "sip:carrier.example.net?X-A=1"}}, "headers"},
      {{{"TerminationUri", "sip:c.example.net"}, {"NumberPrefixes", "+1,44"}}, "Invalid NumberPrefixes"},
      {{{"TerminationUri", "sip:c.example.net"}, {"NumberPrefixes", "+1x"}}, "Invalid NumberPrefixes"},
      {{{"TerminationUri", "sip:c.example.net"}, {"Priority", "-1"}}, "Invalid Priority"},
      {{{"TerminationUri", "sip:c.example.net"}, {"Priority", "ten"}}, "Invalid Priority"},
      {{{"TerminationUri", "sip:c.example.net"}, {"Weight", "70000"}}, "Invalid Weight"},
      {{{"TerminationUri", "sip:c.example.net"}, {"MaxConcurrentCalls", "1.5"}}, "Invalid MaxConcurrentCalls"},
      {{{"TerminationUri", "sip:c.example.net"}, {"CallerId", "alice"}}, "Invalid CallerId"},
      {{{"TerminationUri", "sip:c.example.net"}, {"CallerId", "12345"}}, "too short"},
      {{{"TerminationUri", "sip:c.example.net"}, {"NumberFormat", "national"}}, "e164 or e164-without-plus"},
      {{{"TerminationUri", "sip:c.example.net"}, {"Enabled", "yes"}}, "true or false"},
      {{{"TerminationUri", "sip:c.example.net"}, {"Password", kPassword}}, "needs a Username"},
      {{{"TerminationUri", "sip:c.example.net"}, {"Username", "a\"b"}}, "Invalid Username"},
      {{{"TerminationUri", "sip:c.example.net"}, {"Username", "u"}, {"Password", std::string(129, 'p')}},
       "at most 128"},
  };
  for (const auto& [form, fragment] : cases) {
    EXPECT_API_ERROR(post(path(), form), 400, 20001, fragment);
  }
  EXPECT_API_ERROR(post(path(), {{"TerminationUri", "sip:c.example.net"}, {"FriendlyName", std::string(65, 'x')}}),
                   400, 20002, "at most 64");
  EXPECT_EQ(get(path()).json["trunks"].size(), 0u) << "nothing was created";

  auto r = post(path(), {{"TerminationUri", "sip:c.example.net"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string uri = acct() + "/SIP/Trunks/" + r.json["sid"].get<std::string>() + ".json";
  EXPECT_API_ERROR(post(uri, {{"TerminationUri", ""}}), 400, 20001, "TerminationUri");
  EXPECT_API_ERROR(post(uri, {{"Weight", "x"}}), 400, 20001, "Invalid Weight");
  EXPECT_API_ERROR(get(acct() + "/SIP/Trunks/SD" + std::string(32, '0') + ".json"), 404, 20404, "not found");
  EXPECT_API_ERROR(get(acct() + "/SIP/Trunks/BYnothex.json"), 404, 20404, "not found");
}

TEST_P(Trunks, PasswordNeverInAnyResponseOrLog) {
  auto r = post(path(), {{"TerminationUri", "sip:c.example.net"}, {"Username", "acme"}, {"Password", kPassword}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string uri = r.json["uri"];
  get(uri);
  get(path());
  post(uri, {{"Password", kPassword}, {"Priority", "3"}});
  post(uri, {{"Password", kPassword}, {"Priority", "bad"}});
  for (const auto& body : bodies()) EXPECT_EQ(body.find(kPassword), std::string::npos) << body;
  for (const auto& line : log_lines()) EXPECT_EQ(line.find(kPassword), std::string::npos) << line;
}

TEST_P(Trunks, OtherAccountsSeeNothing) {
  auto sub = create_subaccount();
  auto mine = post(path(), {{"TerminationUri", "sip:c.example.net"}});
  ASSERT_EQ(mine.status, 201) << mine.body;
  const std::string sid = mine.json["sid"];
  // The sub-account's own collection is separate.
  auto theirs = post(path(sub.sid), {{"TerminationUri", "sip:sub.example.net"}}, sub);
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  EXPECT_EQ(theirs.json["account_sid"], sub.sid);
  EXPECT_EQ(get(path(sub.sid), sub).json["trunks"].size(), 1u);
  EXPECT_EQ(get(path()).json["trunks"].size(), 1u);
  // The main account's trunk through the sub-account's path: 404.
  const std::string foreign = acct(sub.sid) + "/SIP/Trunks/" + sid + ".json";
  EXPECT_API_ERROR(get(foreign, sub), 404, 20404, "not found");
  EXPECT_API_ERROR(post(foreign, {{"Priority", "1"}}, sub), 404, 20404, "not found");
  EXPECT_API_ERROR(del(foreign, sub), 404, 20404, "not found");
  // The sub-account cannot reach the main account's collection at all.
  EXPECT_NE(get(path(), sub).status, 200);
  // The main account manages its sub-account's trunks.
  EXPECT_EQ(get(acct(sub.sid) + "/SIP/Trunks/" + theirs.json["sid"].get<std::string>() + ".json").status, 200);
  EXPECT_EQ(get(acct() + "/SIP/Trunks/" + sid + ".json").status, 200);
}

TEST_P(Trunks, Paging) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(post(path(), {{"TerminationUri", "sip:c" + std::to_string(i) + ".example.net"}}).status, 201);
  }
  auto p0 = get(path() + "?PageSize=2");
  ASSERT_EQ(p0.status, 200) << p0.body;
  ASSERT_EQ(p0.json["trunks"].size(), 2u);
  ASSERT_TRUE(p0.json["next_page_uri"].is_string()) << p0.body;
  auto p1 = get(p0.json["next_page_uri"].get<std::string>());
  ASSERT_EQ(p1.json["trunks"].size(), 1u) << p1.body;
  EXPECT_EQ(p1.json["trunks"][0]["termination_uri"], "sip:c2.example.net");
  EXPECT_EQ(p1.json["next_page_uri"], nullptr);
}

CALLWIRE_API_BACKENDS(Trunks);

}  // namespace
}  // namespace callwire::api::test
