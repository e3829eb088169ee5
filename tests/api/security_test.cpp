// Secrets stay secret and hostile strings are just data.
#include "api_fixture.hpp"
#include "http/form.hpp"

namespace callwire::api::test {
namespace {

class Security : public ApiTest {};

TEST_P(Security, PasswordNeverInAnyResponseOrLogLine) {
  const std::string p1 = "Sekr3tPassw0rdOne";
  const std::string p2 = "An0therSecretPass";
  const std::string weak = "weakbutsecretvalue";  // refused, must not be echoed either
  auto list = create_credential_list();
  const std::string path = acct() + "/SIP/CredentialLists/" + list["sid"].get<std::string>() + "/Credentials.json";
  auto c = post(path, {{"Username", "erin"}, {"Password", p1}});
  ASSERT_EQ(c.status, 201);
  ASSERT_EQ(post(c.json["uri"], {{"Password", p2}}).status, 200);
  EXPECT_EQ(post(path, {{"Username", "frank"}, {"Password", weak}}).status, 400);
  EXPECT_EQ(post(path, {{"Username", "bad user"}, {"Password", p1}}).status, 400);
  get(path);
  get(c.json["uri"]);
  auto stored = store().credentials().fetch(main_auth().sid, list["sid"].get<std::string>(),
                                               c.json["sid"].get<std::string>());
  ASSERT_TRUE(stored);

  const auto all = bodies();
  ASSERT_GE(all.size(), 6u);
  for (const auto& body : all) {
    for (const std::string& secret : {p1, p2, weak, stored->ha1_md5, stored->ha1_sha256}) {
      EXPECT_EQ(body.find(secret), std::string::npos) << body;
    }
  }
  const auto lines = log_lines();
  EXPECT_FALSE(lines.empty());  // the capture works
  for (const auto& line : lines) {
    for (const std::string& secret : {p1, p2, weak, main_auth().token}) EXPECT_EQ(line.find(secret), std::string::npos) << line;
  }
}

TEST_P(Security, AuthTokensNeverLogged) {
  auto sub = create_subaccount();
  get(acct(sub.sid) + ".json", sub);
  get(acct() + ".json", Auth{main_auth().sid, "0123456789abcdef0123456789abcdef"});
  for (const auto& line : log_lines()) {
    EXPECT_EQ(line.find(main_auth().token), std::string::npos) << line;
    EXPECT_EQ(line.find(sub.token), std::string::npos) << line;
  }
}

TEST_P(Security, SqlInjectionStringsRoundTripVerbatim) {
  const std::vector<std::string> evil = {
      "Robert'); DROP TABLE domains;--",
      "' OR '1'='1",
      "\"; DELETE FROM accounts; --",
      "x' UNION SELECT auth_token FROM accounts --",
      "%' AND 1=1 AND '%'='",
      "\\'; SELECT pg_sleep(1); --",
      "日本語 ☎ \xf0\x9f\x93\x9e",
  };
  auto d = create_domain("inject.sip.localhost");
  for (const auto& s : evil) {
    auto r = post(d["uri"], {{"FriendlyName", s}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(get(d["uri"]).json["friendly_name"], s);

    auto cl = create_credential_list(s);
    EXPECT_EQ(get(cl["uri"]).json["friendly_name"], s);
    auto acl = create_acl(s);
    EXPECT_EQ(get(acl["uri"]).json["friendly_name"], s);
    auto ip = post(acct() + "/SIP/IpAccessControlLists/" + acl["sid"].get<std::string>() + "/IpAddresses.json",
                   {{"FriendlyName", s}, {"IpAddress", "192.0.2.1"}});
    ASSERT_EQ(ip.status, 201) << ip.body;
    EXPECT_EQ(get(ip.json["uri"]).json["friendly_name"], s);
    auto sub = create_subaccount(s);
    EXPECT_EQ(get(acct(sub.sid) + ".json").json["friendly_name"], s);
    // As a filter value it matches exactly that account.
    auto filtered = get("/2010-04-01/Accounts.json?FriendlyName=" + http::percent_encode(s));
    ASSERT_EQ(filtered.status, 200) << filtered.body;
    ASSERT_EQ(filtered.json["accounts"].size(), 1u) << s;
    EXPECT_EQ(filtered.json["accounts"][0]["sid"], sub.sid);
  }
  // URLs may carry quotes and SQL in their query.
  const std::string url = "https://app.example.com/v?q=');DROP%20TABLE%20domains;--&x=\"1\"";
  auto withUrl = post(d["uri"], {{"VoiceUrl", url}, {"VoiceStatusCallbackUrl", url + "'"}});
  ASSERT_EQ(withUrl.status, 200) << withUrl.body;
  EXPECT_EQ(get(d["uri"]).json["voice_url"], url);
  EXPECT_EQ(get(d["uri"]).json["voice_status_callback_url"], url + "'");
  // Usernames take the SIP user characters, quotes and semicolons included.
  auto list = create_credential_list("users");
  auto u = create_credential(list["sid"], "a';--x");
  EXPECT_EQ(get(u["uri"]).json["username"], "a';--x");
  // Domain names with SQL are refused by syntax; SIDs in paths are 404.
  EXPECT_API_ERROR(post(acct() + "/SIP/Domains.json", {{"DomainName", "x'--.sip.localhost"}}), 400, 21231, "letters");
  EXPECT_API_ERROR(get(acct() + "/SIP/Domains/SD'%20OR%20'1'='1.json"), 404, 20404, "not found");
  // The store still has exactly what we made.
  EXPECT_EQ(get(acct() + "/SIP/Domains.json").json["domains"].size(), 1u);
  EXPECT_EQ(get("/2010-04-01/Accounts.json").json["accounts"].size(), 1u + evil.size());
}

CALLWIRE_API_BACKENDS(Security);

}  // namespace
}  // namespace callwire::api::test
