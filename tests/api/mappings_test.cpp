// Domain auth mappings, legacy and Auth/* (contract §5) and auth_type.
#include "api_fixture.hpp"

namespace callwire::api::test {
namespace {

class Mappings : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    domain_ = create_domain("map.sip.localhost");
    dbase_ = domain_["uri"].get<std::string>();
    dbase_.resize(dbase_.size() - 5);  // strip ".json"
  }
  std::string auth_type() { return get(dbase_ + ".json").json["auth_type"]; }

  nlohmann::json domain_;
  std::string dbase_;
};

TEST_P(Mappings, LegacyCredentialListMapping) {
  auto list = create_credential_list("Phones");
  const std::string cl = list["sid"];
  auto r = post(dbase_ + "/CredentialListMappings.json", {{"CredentialListSid", cl}});
  ASSERT_EQ(r.status, 201) << r.body;
  const auto& m = r.json;
  EXPECT_EQ(m["sid"], cl);
  EXPECT_EQ(m["account_sid"], main_auth().sid);
  EXPECT_EQ(m["domain_sid"], domain_["sid"]);
  EXPECT_EQ(m["friendly_name"], "Phones");
  EXPECT_TRUE(m["date_created"].is_string());
  EXPECT_TRUE(m["date_updated"].is_string());
  EXPECT_EQ(m["uri"], dbase_ + "/CredentialListMappings/" + cl + ".json");
  EXPECT_EQ(m["subresource_uris"],
            (nlohmann::json{{"credentials", acct() + "/SIP/CredentialLists/" + cl + "/Credentials.json"}}));
  EXPECT_EQ(m.size(), 8u) << m.dump();

  EXPECT_EQ(get(m["uri"]).json, m);
  auto list_resp = get(dbase_ + "/CredentialListMappings.json");
  ASSERT_EQ(list_resp.status, 200);
  ASSERT_EQ(list_resp.json["credential_list_mappings"].size(), 1u);
  EXPECT_EQ(list_resp.json["credential_list_mappings"][0], m);
  EXPECT_EQ(auth_type(), "CREDENTIAL_LIST");

  // The same row through Auth/Calls, with its reduced fields and "contents".
  auto calls = get(dbase_ + "/Auth/Calls/CredentialListMappings.json");
  ASSERT_EQ(calls.json["contents"].size(), 1u);
  const auto& c = calls.json["contents"][0];
  EXPECT_EQ(c, (nlohmann::json{{"sid", cl},
                               {"account_sid", main_auth().sid},
                               {"friendly_name", "Phones"},
                               {"date_created", m["date_created"]},
                               {"date_updated", m["date_updated"]}}));

  EXPECT_EQ(del(m["uri"]).status, 204);
  EXPECT_API_ERROR(get(m["uri"]), 404, 20404, "not found");
  EXPECT_EQ(auth_type(), "");
  EXPECT_EQ(get(dbase_ + "/Auth/Calls/CredentialListMappings.json").json["contents"].size(), 0u);
}

TEST_P(Mappings, LegacyIpAclMappingAndAuthType) {
  auto acl = create_acl("Carrier");
  const std::string al = acl["sid"];
  auto r = post(dbase_ + "/IpAccessControlListMappings.json", {{"IpAccessControlListSid", al}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json["sid"], al);
  EXPECT_EQ(r.json["friendly_name"], "Carrier");
  EXPECT_EQ(r.json["uri"], dbase_ + "/IpAccessControlListMappings/" + al + ".json");
  EXPECT_EQ(r.json["subresource_uris"],
            (nlohmann::json{{"ip_addresses", acct() + "/SIP/IpAccessControlLists/" + al + "/IpAddresses.json"}}));
  EXPECT_EQ(get(dbase_ + "/IpAccessControlListMappings.json").json["ip_access_control_list_mappings"].size(), 1u);
  EXPECT_EQ(auth_type(), "IP_ACL");

  auto list = create_credential_list();
  ASSERT_EQ(post(dbase_ + "/Auth/Calls/CredentialListMappings.json", {{"CredentialListSid", list["sid"]}}).status, 201);
  EXPECT_EQ(auth_type(), "CREDENTIAL_LIST,IP_ACL");
  // The list endpoint shows auth_type too.
  EXPECT_EQ(get(acct() + "/SIP/Domains.json").json["domains"][0]["auth_type"], "CREDENTIAL_LIST,IP_ACL");

  EXPECT_EQ(del(dbase_ + "/Auth/Calls/IpAccessControlListMappings/" + al + ".json").status, 204);
  EXPECT_EQ(auth_type(), "CREDENTIAL_LIST");
  // Registrations mappings do not count for calls.
  EXPECT_EQ(del(dbase_ + "/Auth/Calls/CredentialListMappings/" + list["sid"].get<std::string>() + ".json").status, 204);
  ASSERT_EQ(post(dbase_ + "/Auth/Registrations/CredentialListMappings.json", {{"CredentialListSid", list["sid"]}})
                .status,
            201);
  EXPECT_EQ(auth_type(), "");
}

TEST_P(Mappings, DuplicatesAcrossLegacyAndAuthCallsAre21231) {
  auto acl = create_acl();
  auto list = create_credential_list();
  const http::Params al{{"IpAccessControlListSid", acl["sid"]}};
  const http::Params cl{{"CredentialListSid", list["sid"]}};
  ASSERT_EQ(post(dbase_ + "/IpAccessControlListMappings.json", al).status, 201);
  EXPECT_API_ERROR(post(dbase_ + "/IpAccessControlListMappings.json", al), 400, 21231,
                   "IpAccessControlList already associated with this domain");
  EXPECT_API_ERROR(post(dbase_ + "/Auth/Calls/IpAccessControlListMappings.json", al), 400, 21231,
                   "IpAccessControlList already associated with this domain");

  ASSERT_EQ(post(dbase_ + "/Auth/Calls/CredentialListMappings.json", cl).status, 201);
  EXPECT_API_ERROR(post(dbase_ + "/CredentialListMappings.json", cl), 400, 21231,
                   "CredentialList already associated with this domain");
  // Registrations are separate rows: the same list may be mapped there once.
  ASSERT_EQ(post(dbase_ + "/Auth/Registrations/CredentialListMappings.json", cl).status, 201);
  EXPECT_API_ERROR(post(dbase_ + "/Auth/Registrations/CredentialListMappings.json", cl), 400, 21231,
                   "already associated");
  auto regs = get(dbase_ + "/Auth/Registrations/CredentialListMappings.json");
  ASSERT_EQ(regs.json["contents"].size(), 1u);
  EXPECT_EQ(regs.json["contents"][0].size(), 5u);
  EXPECT_EQ(get(dbase_ + "/Auth/Registrations/CredentialListMappings/" + list["sid"].get<std::string>() + ".json")
                .json["sid"],
            list["sid"]);
}

TEST_P(Mappings, OneListOnManyDomains) {
  auto list = create_credential_list();
  auto other = create_domain("map2.sip.localhost");
  const http::Params cl{{"CredentialListSid", list["sid"]}};
  EXPECT_EQ(post(dbase_ + "/CredentialListMappings.json", cl).status, 201);
  EXPECT_EQ(post(other["subresource_uris"]["credential_list_mappings"].get<std::string>(), cl).status, 201);
  EXPECT_EQ(get(other["uri"]).json["auth_type"], "CREDENTIAL_LIST");
}

TEST_P(Mappings, Validation) {
  EXPECT_API_ERROR(post(dbase_ + "/CredentialListMappings.json", {}), 400, 20001,
                   "Missing required parameter CredentialListSid");
  EXPECT_API_ERROR(post(dbase_ + "/IpAccessControlListMappings.json", {{"IpAccessControlListSid", "nope"}}), 400,
                   20001, "IpAccessControlListSid");
  auto list = create_credential_list();
  // An AL sid where a CL sid belongs.
  EXPECT_API_ERROR(post(dbase_ + "/IpAccessControlListMappings.json", {{"IpAccessControlListSid", list["sid"]}}), 400,
                   20001, "AL followed by 32 hex");
  EXPECT_API_ERROR(post(dbase_ + "/CredentialListMappings.json",
                        {{"CredentialListSid", "CL00000000000000000000000000000000"}}),
                   404, 20404, "CredentialList CL00000000000000000000000000000000 was not found");
  // Unknown domain.
  EXPECT_API_ERROR(post(acct() + "/SIP/Domains/SD00000000000000000000000000000000/CredentialListMappings.json",
                        {{"CredentialListSid", list["sid"]}}),
                   404, 20404, "not found");
  EXPECT_API_ERROR(get(acct() + "/SIP/Domains/SD00000000000000000000000000000000/Auth/Calls/"
                                "IpAccessControlListMappings.json"),
                   404, 20404, "not found");
  // Not mapped.
  EXPECT_API_ERROR(get(dbase_ + "/CredentialListMappings/" + list["sid"].get<std::string>() + ".json"), 404, 20404,
                   "not found");
  EXPECT_API_ERROR(del(dbase_ + "/Auth/Calls/CredentialListMappings/" + list["sid"].get<std::string>() + ".json"), 404,
                   20404, "not found");
  // No IP ACLs for registrations.
  auto acl = create_acl();
  EXPECT_API_ERROR(post(dbase_ + "/Auth/Registrations/IpAccessControlListMappings.json",
                        {{"IpAccessControlListSid", acl["sid"]}}),
                   404, 20404, "not found");
}

TEST_P(Mappings, AnotherAccountsListCannotBeMapped) {
  auto sub = create_subaccount();
  auto foreign = post(acct(sub.sid) + "/SIP/CredentialLists.json", {{"FriendlyName", "theirs"}}, sub);
  ASSERT_EQ(foreign.status, 201);
  EXPECT_API_ERROR(post(dbase_ + "/CredentialListMappings.json", {{"CredentialListSid", foreign.json["sid"]}}), 404,
                   20404, "was not found");
  EXPECT_EQ(auth_type(), "");
}

TEST_P(Mappings, MappedListsCannotBeDeleted) {
  auto list = create_credential_list();
  auto acl = create_acl();
  ASSERT_EQ(post(dbase_ + "/CredentialListMappings.json", {{"CredentialListSid", list["sid"]}}).status, 201);
  ASSERT_EQ(post(dbase_ + "/IpAccessControlListMappings.json", {{"IpAccessControlListSid", acl["sid"]}}).status, 201);
  EXPECT_API_ERROR(del(list["uri"]), 400, 21231, domain_["sid"].get<std::string>());
  EXPECT_API_ERROR(del(acl["uri"]), 400, 21231, "delete those mappings first");
  EXPECT_EQ(get(list["uri"]).status, 200);
  EXPECT_EQ(auth_type(), "CREDENTIAL_LIST,IP_ACL");
  // Deleting the domain removes its mappings; then the lists can go.
  EXPECT_EQ(del(domain_["uri"]).status, 204);
  EXPECT_EQ(del(list["uri"]).status, 204);
  EXPECT_EQ(del(acl["uri"]).status, 204);
}

CALLWIRE_API_BACKENDS(Mappings);

}  // namespace
}  // namespace callwire::api::test
