// The v2010 paging envelope over HTTP (contract §1.4).
#include "api_fixture.hpp"

namespace callwire::api::test {
namespace {

class Paging : public ApiTest {};

TEST_P(Paging, ThreePagesWithVerbatimNextPageUri) {
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) created.push_back(create_credential_list("list " + std::to_string(i))["sid"]);
  const std::string path = acct() + "/SIP/CredentialLists.json";

  auto first = get(path + "?PageSize=3");
  ASSERT_EQ(first.status, 200) << first.body;
  const auto& p0 = first.json;
  EXPECT_EQ(p0["page"], 0);
  EXPECT_EQ(p0["page_size"], 3);
  EXPECT_EQ(p0["start"], 0);
  EXPECT_EQ(p0["end"], 2);
  EXPECT_EQ(p0["first_page_uri"], path + "?PageSize=3&Page=0");
  EXPECT_EQ(p0["uri"], path + "?PageSize=3&Page=0");
  EXPECT_TRUE(p0["previous_page_uri"].is_null());
  ASSERT_TRUE(p0["next_page_uri"].is_string());
  const std::string next1 = p0["next_page_uri"];
  EXPECT_TRUE(next1.starts_with(path + "?PageSize=3&Page=1&PageToken=PA")) << next1;

  auto second = get(next1);  // verbatim, as the helper libraries do
  ASSERT_EQ(second.status, 200) << second.body;
  const auto& p1 = second.json;
  EXPECT_EQ(p1["page"], 1);
  EXPECT_EQ(p1["start"], 3);
  EXPECT_EQ(p1["end"], 5);
  EXPECT_EQ(p1["uri"], next1);
  EXPECT_EQ(p1["previous_page_uri"], path + "?PageSize=3&Page=0");
  const std::string next2 = p1["next_page_uri"];

  auto third = get(next2);
  ASSERT_EQ(third.status, 200) << third.body;
  const auto& p2 = third.json;
  EXPECT_EQ(p2["page"], 2);
  EXPECT_EQ(p2["start"], 6);
  EXPECT_EQ(p2["end"], 6);
  EXPECT_TRUE(p2["next_page_uri"].is_null());
  EXPECT_EQ(p2["credential_lists"].size(), 1u);

  std::vector<std::string> seen;
  for (const auto* p : {&p0, &p1, &p2}) {
    for (const auto& item : (*p)["credential_lists"]) seen.push_back(item["sid"]);
  }
  EXPECT_EQ(seen, created);

  // previous_page_uri (no token) leads back to the same rows.
  auto back = get(p2["previous_page_uri"].get<std::string>());
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(back.json["credential_lists"], p1["credential_lists"]);
}

TEST_P(Paging, TokensSurviveInsertsAndDeletes) {
  std::vector<std::string> sids;
  for (int i = 0; i < 4; ++i) sids.push_back(create_acl("acl " + std::to_string(i))["sid"]);
  const std::string path = acct() + "/SIP/IpAccessControlLists.json";
  auto first = get(path + "?PageSize=2");
  ASSERT_EQ(first.status, 200);
  // Delete a row already seen and add one at the end: the next page is not shifted.
  EXPECT_EQ(del(acct() + "/SIP/IpAccessControlLists/" + sids[0] + ".json").status, 204);
  sids.push_back(create_acl("acl 4")["sid"]);
  auto second = get(first.json["next_page_uri"].get<std::string>());
  ASSERT_EQ(second.status, 200);
  ASSERT_EQ(second.json["ip_access_control_lists"].size(), 2u);
  EXPECT_EQ(second.json["ip_access_control_lists"][0]["sid"], sids[2]);
  EXPECT_EQ(second.json["ip_access_control_lists"][1]["sid"], sids[3]);
  EXPECT_FALSE(second.json["next_page_uri"].is_null());
}

TEST_P(Paging, EmptyListAndEveryCollectionKey) {
  auto empty = get(acct() + "/SIP/Domains.json");
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(empty.json["domains"], nlohmann::json::array());
  EXPECT_EQ(empty.json["start"], 0);
  EXPECT_EQ(empty.json["end"], 0);
  EXPECT_TRUE(empty.json["next_page_uri"].is_null());
  EXPECT_TRUE(empty.json["previous_page_uri"].is_null());
  for (const char* key : {"first_page_uri", "next_page_uri", "previous_page_uri", "uri", "page", "page_size", "start",
                          "end", "domains"}) {
    EXPECT_TRUE(empty.json.contains(key)) << key;
  }
  EXPECT_EQ(empty.json.size(), 9u);

  auto list = create_credential_list();
  auto acl = create_acl();
  auto d = create_domain("keys.sip.localhost");
  std::string dbase = d["uri"];
  dbase.resize(dbase.size() - 5);
  const std::pair<std::string, const char*> cases[] = {
      {"/2010-04-01/Accounts.json", "accounts"},
      {acct() + "/SIP/CredentialLists.json", "credential_lists"},
      {acct() + "/SIP/CredentialLists/" + list["sid"].get<std::string>() + "/Credentials.json", "credentials"},
      {acct() + "/SIP/IpAccessControlLists.json", "ip_access_control_lists"},
      {acct() + "/SIP/IpAccessControlLists/" + acl["sid"].get<std::string>() + "/IpAddresses.json", "ip_addresses"},
      {dbase + "/CredentialListMappings.json", "credential_list_mappings"},
      {dbase + "/IpAccessControlListMappings.json", "ip_access_control_list_mappings"},
      {dbase + "/Auth/Calls/CredentialListMappings.json", "contents"},
      {dbase + "/Auth/Calls/IpAccessControlListMappings.json", "contents"},
      {dbase + "/Auth/Registrations/CredentialListMappings.json", "contents"},
  };
  for (const auto& [path, key] : cases) {
    auto r = get(path);
    ASSERT_EQ(r.status, 200) << path << r.body;
    EXPECT_TRUE(r.json[key].is_array()) << path;
    EXPECT_EQ(r.json.size(), 9u) << path;
  }
}

TEST_P(Paging, BadParameters) {
  const std::string path = acct() + "/SIP/Domains.json";
  EXPECT_API_ERROR(get(path + "?PageSize=0"), 400, 20001, "PageSize");
  EXPECT_API_ERROR(get(path + "?PageSize=1001"), 400, 20001, "1 to 1000");
  EXPECT_API_ERROR(get(path + "?PageSize=ten"), 400, 20001, "PageSize");
  EXPECT_API_ERROR(get(path + "?Page=-1"), 400, 20001, "Page");
  EXPECT_API_ERROR(get(path + "?PageToken=garbage"), 400, 20001, "PageToken");
  EXPECT_EQ(get(path + "?PageSize=1000").status, 200);
}

CALLWIRE_API_BACKENDS(Paging);

}  // namespace
}  // namespace callwire::api::test
