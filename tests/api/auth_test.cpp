// Authentication, account scoping and the generic error answers (contract §1.1, §1.5, §6).
#include "api_fixture.hpp"

namespace callwire::api::test {
namespace {

class Auth_ : public ApiTest {};

void expect_401(const Resp& r) {
  EXPECT_API_ERROR(r, 401, 20003, "Authenticate");
  EXPECT_EQ(r.json["message"], "Authenticate");
  EXPECT_EQ(r.headers.get("WWW-Authenticate"), "Basic realm=\"callwire\"");
}

TEST_P(Auth_, MissingOrWrongCredentialsAre401) {
  const std::string path = acct() + "/SIP/Domains.json";
  expect_401(request(http::Method::Get, path, {}, std::nullopt));
  expect_401(request(http::Method::Post, path, {{"DomainName", "x.sip.localhost"}}, std::nullopt));
  expect_401(request(http::Method::Get, "/2010-04-01/Accounts.json", {}, std::nullopt));
  std::string wrong = main_auth().token;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  expect_401(get(path, Auth{main_auth().sid, wrong}));
  expect_401(get(path, Auth{main_auth().sid, main_auth().token + "0"}));
  expect_401(get(path, Auth{main_auth().sid, ""}));
  expect_401(get(path, Auth{"AC00000000000000000000000000000000", main_auth().token}));
  expect_401(get(path, Auth{"not-a-sid", main_auth().token}));
  // A sub-account's token is not the main account's.
  auto sub = create_subaccount();
  expect_401(get(path, Auth{main_auth().sid, sub.token}));
  // Nothing was created by the refused POST.
  EXPECT_EQ(get(path).json["domains"].size(), 0u);
}

TEST_P(Auth_, AccountSidCaseInUsernameIsAccepted) {
  std::string upper = main_auth().sid;
  for (std::size_t i = 2; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_EQ(get(acct() + ".json", Auth{upper, main_auth().token}).status, 200);
}

TEST_P(Auth_, SubaccountIsolation) {
  auto a = create_subaccount("a");
  auto b = create_subaccount("b");
  auto main_domain = create_domain("parent.sip.localhost");
  auto a_domain = post(acct(a.sid) + "/SIP/Domains.json", {{"DomainName", "a.sip.localhost"}}, a);
  ASSERT_EQ(a_domain.status, 201);
  const std::string a_sid = a_domain.json["sid"];
  const std::string main_sid = main_domain["sid"];

  // A sibling cannot see a's resources, neither under a's path nor its own.
  EXPECT_API_ERROR(get(acct(a.sid) + "/SIP/Domains.json", b), 404, 20404, "not found");
  EXPECT_API_ERROR(get(acct(a.sid) + "/SIP/Domains/" + a_sid + ".json", b), 404, 20404, "not found");
  EXPECT_API_ERROR(get(acct(b.sid) + "/SIP/Domains/" + a_sid + ".json", b), 404, 20404, "not found");
  EXPECT_API_ERROR(del(acct(a.sid) + "/SIP/Domains/" + a_sid + ".json", b), 404, 20404, "not found");
  EXPECT_API_ERROR(get(acct(a.sid) + ".json", b), 404, 20404, "not found");
  EXPECT_API_ERROR(post(acct(a.sid) + ".json", {{"FriendlyName", "pwned"}}, b), 404, 20404, "not found");
  // Nor the parent's.
  EXPECT_API_ERROR(get(acct() + "/SIP/Domains.json", a), 404, 20404, "not found");
  EXPECT_API_ERROR(get(acct(a.sid) + "/SIP/Domains/" + main_sid + ".json", a), 404, 20404, "not found");
  EXPECT_API_ERROR(get(acct() + ".json", a), 404, 20404, "not found");
  // The parent sees and manages a's resources under a's path...
  auto r = get(acct(a.sid) + "/SIP/Domains/" + a_sid + ".json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["account_sid"], a.sid);
  EXPECT_EQ(post(acct(a.sid) + "/SIP/Domains/" + a_sid + ".json", {{"FriendlyName", "by parent"}}).status, 200);
  auto created = post(acct(a.sid) + "/SIP/CredentialLists.json", {{"FriendlyName", "made by parent"}});
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.json["account_sid"], a.sid);
  EXPECT_EQ(get(acct(a.sid) + "/SIP/CredentialLists.json", a).json["credential_lists"].size(), 1u);
  // ...but not under its own path: each resource lives in one account.
  EXPECT_API_ERROR(get(acct() + "/SIP/Domains/" + a_sid + ".json"), 404, 20404, "not found");
  EXPECT_EQ(get(acct() + "/SIP/Domains.json").json["domains"].size(), 1u);

  // Accounts that are not sub-accounts of the caller are 404, like unknown SIDs.
  EXPECT_API_ERROR(get("/2010-04-01/Accounts/AC00000000000000000000000000000000/SIP/Domains.json"), 404, 20404,
                   "not found");
  EXPECT_API_ERROR(get("/2010-04-01/Accounts/ACnope/SIP/Domains.json"), 404, 20404, "not found");
}

TEST_P(Auth_, UnknownRouteAndMethod) {
  auto r = get("/2010-04-01/Accounts/" + main_auth().sid + "/Nothing.json");
  EXPECT_API_ERROR(r, 404, 20404, "was not found");
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  EXPECT_API_ERROR(get("/"), 404, 20404, "not found");
  EXPECT_API_ERROR(get(acct() + "/SIP/Domains"), 404, 20404, "not found");  // no .json

  auto m = request(http::Method::Put, acct() + "/SIP/Domains.json", {}, main_auth());
  EXPECT_API_ERROR(m, 405, 20004, "not allowed");
  EXPECT_EQ(m.headers.get("Allow"), "GET, POST");
  m = request(http::Method::Delete, acct() + "/SIP/Domains.json", {}, main_auth());
  EXPECT_API_ERROR(m, 405, 20004, "not allowed");
  m = request(http::Method::Delete, "/2010-04-01/Accounts/" + main_auth().sid + ".json", {}, main_auth());
  EXPECT_API_ERROR(m, 405, 20004, "not allowed");
}

CALLWIRE_API_BACKENDS(Auth_);

}  // namespace
}  // namespace callwire::api::test
