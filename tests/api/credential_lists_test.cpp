// Credential lists and credentials (contract §3).
#include "api_fixture.hpp"

namespace callwire::api::test {
namespace {

class CredentialLists : public ApiTest {};

TEST_P(CredentialLists, ListCrud) {
  const std::string path = acct() + "/SIP/CredentialLists.json";
  EXPECT_API_ERROR(post(path, {}), 400, 20001, "Missing required parameter FriendlyName");
  EXPECT_API_ERROR(post(path, {{"FriendlyName", std::string(65, 'x')}}), 400, 20002, "at most 64");

  auto r = post(path, {{"FriendlyName", "Office phones"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string sid = r.json["sid"];
  EXPECT_TRUE(sid.starts_with("CL") && sid.size() == 34);
  const std::string base = acct() + "/SIP/CredentialLists/" + sid;
  EXPECT_EQ(r.json["account_sid"], main_auth().sid);
  EXPECT_EQ(r.json["friendly_name"], "Office phones");
  EXPECT_EQ(r.json["uri"], base + ".json");
  EXPECT_EQ(r.json["subresource_uris"], (nlohmann::json{{"credentials", base + "/Credentials.json"}}));
  EXPECT_TRUE(r.json["date_created"].is_string());
  EXPECT_EQ(r.json.size(), 7u) << r.body;

  EXPECT_EQ(get(base + ".json").json, r.json);
  auto list = get(path);
  ASSERT_EQ(list.json["credential_lists"].size(), 1u);
  EXPECT_EQ(list.json["credential_lists"][0], r.json);

  EXPECT_API_ERROR(post(base + ".json", {}), 400, 20001, "FriendlyName");
  auto u = post(base + ".json", {{"FriendlyName", "Renamed"}});
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.json["friendly_name"], "Renamed");

  EXPECT_EQ(del(base + ".json").status, 204);
  EXPECT_API_ERROR(get(base + ".json"), 404, 20404, "not found");
}

TEST_P(CredentialLists, CredentialCrud) {
  auto list = create_credential_list();
  const std::string list_sid = list["sid"];
  const std::string path = acct() + "/SIP/CredentialLists/" + list_sid + "/Credentials.json";

  auto r = post(path, {{"Username", "alice"}, {"Password", "IWasAtSignal2018"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string sid = r.json["sid"];
  EXPECT_TRUE(sid.starts_with("CR") && sid.size() == 34);
  const std::string uri = acct() + "/SIP/CredentialLists/" + list_sid + "/Credentials/" + sid + ".json";
  EXPECT_EQ(r.json["account_sid"], main_auth().sid);
  EXPECT_EQ(r.json["credential_list_sid"], list_sid);
  EXPECT_EQ(r.json["username"], "alice");
  EXPECT_EQ(r.json["uri"], uri);
  EXPECT_TRUE(r.json["date_created"].is_string());
  EXPECT_TRUE(r.json["date_updated"].is_string());
  EXPECT_EQ(r.json.size(), 7u) << r.body;  // no password, no hash

  // Only the digests are stored, with realm sip.<base>.
  auto stored = store().credentials().fetch(main_auth().sid, list_sid, sid);
  ASSERT_TRUE(stored) << stored.error().what();
  EXPECT_EQ(stored->ha1_md5, "0a42020f47b47e800e4ef6e1ffb39c6a");
  EXPECT_EQ(stored->ha1_sha256, "b8a109a8c3e98bee019c50e54d77fdc6957a5d59adbae0105351c92f847fff4c");

  EXPECT_EQ(get(uri).json, r.json);
  EXPECT_EQ(get(path).json["credentials"].size(), 1u);

  // Update: Password only; Username is ignored.
  auto u = post(uri, {{"Password", "ChangedPassw0rd"}, {"Username", "mallory"}});
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.json["username"], "alice");
  stored = store().credentials().fetch(main_auth().sid, list_sid, sid);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->ha1_md5, "6e5e2777e095f579901664c955309535");
  EXPECT_API_ERROR(post(uri, {}), 400, 20001, "Missing required parameter Password");
  EXPECT_API_ERROR(post(uri, {{"Password", "weak"}}), 400, 20001, "12 characters");

  EXPECT_EQ(del(uri).status, 204);
  EXPECT_API_ERROR(get(uri), 404, 20404, "not found");
  EXPECT_EQ(get(path).json["credentials"].size(), 0u);
}

TEST_P(CredentialLists, CredentialValidation) {
  auto list = create_credential_list();
  const std::string path = acct() + "/SIP/CredentialLists/" + list["sid"].get<std::string>() + "/Credentials.json";
  EXPECT_API_ERROR(post(path, {{"Password", "IWasAtSignal2018"}}), 400, 20001, "Missing required parameter Username");
  EXPECT_API_ERROR(post(path, {{"Username", "bob"}}), 400, 20001, "Missing required parameter Password");
  EXPECT_API_ERROR(post(path, {{"Username", std::string(33, 'u')}, {"Password", "IWasAtSignal2018"}}), 400, 20001,
                   "at most 32");
  EXPECT_API_ERROR(post(path, {{"Username", "bob smith"}, {"Password", "IWasAtSignal2018"}}), 400, 20001,
                   "only letters, digits");
  EXPECT_API_ERROR(post(path, {{"Username", "bob"}, {"Password", "Sh0rtPass"}}), 400, 20001,
                   "at least 12 characters");
  EXPECT_API_ERROR(post(path, {{"Username", "bob"}, {"Password", "NoDigitsAnywhere"}}), 400, 20001, "digit");
  EXPECT_API_ERROR(post(path, {{"Username", "bob"}, {"Password", "no upper case 1"}}), 400, 20001,
                   "upper-case letter");
  EXPECT_API_ERROR(post(path, {{"Username", "bob"}, {"Password", "NO LOWER CASE 1"}}), 400, 20001,
                   "lower-case letter");
  EXPECT_EQ(get(path).json["credentials"].size(), 0u);

  create_credential(list["sid"], "bob");
  EXPECT_API_ERROR(post(path, {{"Username", "bob"}, {"Password", "AnotherPass123"}}), 400, 20001, "already exists");
  // The same username is fine in another list.
  auto other = create_credential_list("other");
  create_credential(other["sid"], "bob");
}

TEST_P(CredentialLists, CredentialsOfUnknownListAre404) {
  const std::string missing = acct() + "/SIP/CredentialLists/CL00000000000000000000000000000000";
  EXPECT_API_ERROR(get(missing + "/Credentials.json"), 404, 20404, "not found");
  EXPECT_API_ERROR(post(missing + "/Credentials.json", {{"Username", "a"}, {"Password", "IWasAtSignal2018"}}), 404,
                   20404, "not found");
  // A credential fetched through the wrong list is not found either.
  auto a = create_credential_list("a");
  auto b = create_credential_list("b");
  auto cred = create_credential(a["sid"], "carol");
  EXPECT_API_ERROR(get(acct() + "/SIP/CredentialLists/" + b["sid"].get<std::string>() + "/Credentials/" +
                       cred["sid"].get<std::string>() + ".json"),
                   404, 20404, "not found");
}

TEST_P(CredentialLists, DeletingAListDeletesItsCredentials) {
  auto list = create_credential_list();
  const std::string list_sid = list["sid"];
  auto cred = create_credential(list_sid, "dave");
  EXPECT_EQ(del(list["uri"]).status, 204);
  EXPECT_API_ERROR(get(cred["uri"]), 404, 20404, "not found");
  auto stored = store().credentials().fetch(main_auth().sid, list_sid, cred["sid"].get<std::string>());
  EXPECT_FALSE(stored);
}

class CredentialListsSmallLimit : public ApiTest {
 protected:
  ApiConfig api_config() const override {
    ApiConfig c;
    c.limits.credential_lists_per_account = 1;
    c.limits.credentials_per_list = 1;
    return c;
  }
};

TEST_P(CredentialListsSmallLimit, Limits) {
  auto list = create_credential_list();
  EXPECT_API_ERROR(post(acct() + "/SIP/CredentialLists.json", {{"FriendlyName", "two"}}), 400, 20001,
                   "maximum of 1 credential lists");
  create_credential(list["sid"], "one");
  EXPECT_API_ERROR(post(acct() + "/SIP/CredentialLists/" + list["sid"].get<std::string>() + "/Credentials.json",
                        {{"Username", "two"}, {"Password", "IWasAtSignal2018"}}),
                   400, 20001, "maximum of 1 credentials");
}

CALLWIRE_API_BACKENDS(CredentialLists);
CALLWIRE_API_BACKENDS(CredentialListsSmallLimit);

}  // namespace
}  // namespace callwire::api::test
