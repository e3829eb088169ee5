// Accounts and sub-accounts (contract §6).
#include <regex>

#include "api_fixture.hpp"

namespace callwire::api::test {
namespace {

class Accounts : public ApiTest {};

TEST_P(Accounts, FetchMainAccountFields) {
  auto r = get(acct() + ".json");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& a = r.json;
  EXPECT_EQ(a["sid"], main_auth().sid);
  EXPECT_EQ(a["auth_token"], main_auth().token);
  EXPECT_EQ(a["owner_account_sid"], main_auth().sid);
  EXPECT_EQ(a["status"], "active");
  EXPECT_EQ(a["type"], "Full");
  EXPECT_TRUE(a["friendly_name"].is_string());
  EXPECT_TRUE(a["date_created"].is_string());
  EXPECT_TRUE(a["date_updated"].is_string());
  EXPECT_EQ(a["uri"], acct() + ".json");
  EXPECT_EQ(a["subresource_uris"],
            (nlohmann::json{{"sip_domains", acct() + "/SIP/Domains.json"},
                            {"sip_credential_lists", acct() + "/SIP/CredentialLists.json"},
                            {"sip_ip_access_control_lists", acct() + "/SIP/IpAccessControlLists.json"}}));
  EXPECT_EQ(a.size(), 10u) << a.dump();
}

TEST_P(Accounts, CreateSubaccount) {
  auto r = post("/2010-04-01/Accounts.json", {{"FriendlyName", "Customer A"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto& a = r.json;
  const std::string sid = a["sid"];
  EXPECT_TRUE(sid.starts_with("AC") && sid.size() == 34);
  EXPECT_NE(sid, main_auth().sid);
  EXPECT_EQ(a["friendly_name"], "Customer A");
  EXPECT_EQ(a["owner_account_sid"], main_auth().sid);
  EXPECT_EQ(a["status"], "active");
  const std::string token = a["auth_token"];
  EXPECT_EQ(token.size(), 32u);
  EXPECT_NE(token, main_auth().token);
  // Its own credentials work.
  auto self = get(acct(sid) + ".json", Auth{sid, token});
  EXPECT_EQ(self.status, 200) << self.body;
  EXPECT_EQ(self.json["sid"], sid);
}

TEST_P(Accounts, DefaultFriendlyName) {
  auto r = post("/2010-04-01/Accounts.json", {});
  ASSERT_EQ(r.status, 201) << r.body;
  static const std::regex re(R"(^SubAccount Created at \d{4}-\d\d-\d\d (0[1-9]|1[0-2]):[0-5]\d (am|pm)$)");
  EXPECT_TRUE(std::regex_match(r.json["friendly_name"].get<std::string>(), re)) << r.json["friendly_name"];
}

TEST_P(Accounts, FriendlyNameTooLong) {
  EXPECT_API_ERROR(post("/2010-04-01/Accounts.json", {{"FriendlyName", std::string(65, 'n')}}), 400, 20002,
                   "at most 64");
  EXPECT_API_ERROR(post(acct() + ".json", {{"FriendlyName", std::string(65, 'n')}}), 400, 20002, "at most 64");
}

TEST_P(Accounts, SubaccountCannotCreateSubaccounts) {
  auto sub = create_subaccount();
  EXPECT_API_ERROR(post("/2010-04-01/Accounts.json", {{"FriendlyName", "x"}}, sub), 403, 20003,
                   "cannot create sub-accounts");
}

TEST_P(Accounts, ListAndFilters) {
  auto a = create_subaccount("alpha");
  auto b = create_subaccount("beta");
  auto r = get("/2010-04-01/Accounts.json");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["accounts"].size(), 3u);
  EXPECT_EQ(r.json["accounts"][0]["sid"], main_auth().sid);
  EXPECT_EQ(r.json["accounts"][1]["sid"], a.sid);
  EXPECT_EQ(r.json["accounts"][2]["sid"], b.sid);
  EXPECT_EQ(r.json["uri"], "/2010-04-01/Accounts.json?PageSize=50&Page=0");

  r = get("/2010-04-01/Accounts.json?FriendlyName=beta");
  ASSERT_EQ(r.json["accounts"].size(), 1u);
  EXPECT_EQ(r.json["accounts"][0]["sid"], b.sid);
  EXPECT_EQ(r.json["uri"], "/2010-04-01/Accounts.json?FriendlyName=beta&PageSize=50&Page=0");

  ASSERT_EQ(post(acct(a.sid) + ".json", {{"Status", "suspended"}}).status, 200);
  r = get("/2010-04-01/Accounts.json?Status=suspended");
  ASSERT_EQ(r.json["accounts"].size(), 1u);
  EXPECT_EQ(r.json["accounts"][0]["sid"], a.sid);
  EXPECT_API_ERROR(get("/2010-04-01/Accounts.json?Status=sleeping"), 400, 20001, "Status");

  // A sub-account lists only itself.
  r = get("/2010-04-01/Accounts.json", b);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["accounts"].size(), 1u);
  EXPECT_EQ(r.json["accounts"][0]["sid"], b.sid);
  EXPECT_EQ(get("/2010-04-01/Accounts.json?FriendlyName=alpha", b).json["accounts"].size(), 0u);
}

TEST_P(Accounts, ListPagesOverSubaccounts) {
  for (int i = 0; i < 4; ++i) create_subaccount("s" + std::to_string(i));
  std::vector<std::string> seen;
  std::string next = "/2010-04-01/Accounts.json?PageSize=2";
  int pages = 0;
  while (!next.empty() && pages < 10) {
    auto r = get(next);
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& a : r.json["accounts"]) seen.push_back(a["sid"]);
    next = r.json["next_page_uri"].is_null() ? "" : r.json["next_page_uri"].get<std::string>();
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0], main_auth().sid);
}

TEST_P(Accounts, UpdateNameAndStatus) {
  auto sub = create_subaccount("old");
  auto r = post(acct(sub.sid) + ".json", {{"FriendlyName", "new"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["friendly_name"], "new");
  // A sub-account may rename itself but not change its status.
  r = post(acct(sub.sid) + ".json", {{"FriendlyName", "mine"}}, sub);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_API_ERROR(post(acct(sub.sid) + ".json", {{"Status", "closed"}}, sub), 403, 20003, "Only the main account");
  EXPECT_API_ERROR(post(acct(sub.sid) + ".json", {{"Status", "gone"}}), 400, 20001, "active, suspended or closed");
  // The main account's own status is not changed through the API.
  EXPECT_API_ERROR(post(acct() + ".json", {{"Status", "suspended"}}), 400, 20001, "main account");
  EXPECT_EQ(post(acct() + ".json", {{"Status", "active"}}).status, 200);
}

TEST_P(Accounts, SuspendedSubaccountIsLockedOutUntilReactivated) {
  auto sub = create_subaccount();
  auto d = post(acct(sub.sid) + "/SIP/Domains.json", {{"DomainName", "susp.sip.localhost"}}, sub);
  ASSERT_EQ(d.status, 201);
  ASSERT_EQ(post(acct(sub.sid) + ".json", {{"Status", "suspended"}}).status, 200);
  EXPECT_API_ERROR(get(acct(sub.sid) + ".json", sub), 403, 20005, "not active");
  EXPECT_API_ERROR(get(acct(sub.sid) + "/SIP/Domains.json", sub), 403, 20005, "not active");
  // The main account still manages it (suspension stops traffic, not configuration).
  EXPECT_EQ(get(acct(sub.sid) + "/SIP/Domains.json").json["domains"].size(), 1u);
  EXPECT_EQ(post(acct(sub.sid) + "/SIP/Domains.json", {{"DomainName", "susp2.sip.localhost"}}).status, 201);
  // The SIP side sees the status.
  auto auth = store().domain_auth("susp.sip.localhost");
  ASSERT_TRUE(auth && *auth);
  EXPECT_FALSE((*auth)->accepts_traffic());

  ASSERT_EQ(post(acct(sub.sid) + ".json", {{"Status", "active"}}).status, 200);
  EXPECT_EQ(get(acct(sub.sid) + ".json", sub).status, 200);
  auth = store().domain_auth("susp.sip.localhost");
  ASSERT_TRUE(auth && *auth);
  EXPECT_TRUE((*auth)->accepts_traffic());
}

TEST_P(Accounts, ClosedIsPermanent) {
  auto sub = create_subaccount();
  ASSERT_EQ(post(acct(sub.sid) + "/SIP/Domains.json", {{"DomainName", "closed.sip.localhost"}}, sub).status, 201);
  auto r = post(acct(sub.sid) + ".json", {{"Status", "closed"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["status"], "closed");
  EXPECT_API_ERROR(post(acct(sub.sid) + ".json", {{"Status", "active"}}), 400, 20001, "cannot be reopened");
  EXPECT_API_ERROR(post(acct(sub.sid) + ".json", {{"Status", "suspended"}}), 400, 20001, "cannot be reopened");
  EXPECT_API_ERROR(get(acct(sub.sid) + ".json", sub), 403, 20005, "not active");
  // The main account can still read it, but not write to it.
  EXPECT_EQ(get(acct(sub.sid) + ".json").json["status"], "closed");
  EXPECT_EQ(get(acct(sub.sid) + "/SIP/Domains.json").json["domains"].size(), 1u);
  EXPECT_API_ERROR(post(acct(sub.sid) + "/SIP/Domains.json", {{"DomainName", "c2.sip.localhost"}}), 403, 20005,
                   "closed");
  EXPECT_API_ERROR(post(acct(sub.sid) + ".json", {{"FriendlyName", "zombie"}}), 403, 20005, "closed");
  auto auth = store().domain_auth("closed.sip.localhost");
  ASSERT_TRUE(auth && *auth);
  EXPECT_FALSE((*auth)->accepts_traffic());
}

CALLWIRE_API_BACKENDS(Accounts);

}  // namespace
}  // namespace callwire::api::test
