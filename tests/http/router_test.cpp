#include "http/router.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace callwire::http {
namespace {

constexpr const char* kDomains = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json";
constexpr const char* kDomain = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{Sid}.json";

Handler named(std::string name) {
  return [name](const Request& r) {
    nlohmann::json j{{"route", name}};
    for (const auto& [k, v] : r.captures()) j["captures"][k] = v;
    return json_response(200, j);
  };
}

Request req(Method m, std::string_view target) {
  auto r = Request::make(m, target);
  EXPECT_TRUE(r) << target;
  return std::move(*r);
}

nlohmann::json body(const Response& r) { return nlohmann::json::parse(r.body); }

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add(Method::Get, kDomains, named("list"));
    router.add(Method::Post, kDomains, named("create"));
    router.add(Method::Get, kDomain, named("fetch"));
    router.add(Method::Post, kDomain, named("update"));
    router.add(Method::Delete, kDomain, named("delete"));
    router.add(Method::Get, "/2010-04-01/Accounts/{Sid}.json", named("account"));
    router.add(Method::Get, "/2010-04-01/Accounts.json", named("accounts"));
  }
  Router router;
};

TEST_F(RouterTest, CapturesWithJsonSuffix) {
  auto r = req(Method::Get, "/2010-04-01/Accounts/AC123/SIP/Domains/SD456.json?x=1");
  auto res = router.dispatch(r);
  ASSERT_EQ(res.status, 200);
  auto j = body(res);
  EXPECT_EQ(j["route"], "fetch");
  EXPECT_EQ(j["captures"]["AccountSid"], "AC123");
  EXPECT_EQ(j["captures"]["Sid"], "SD456");
  EXPECT_EQ(r.capture("Sid"), "SD456");
  EXPECT_EQ(r.capture("Nope"), "");
}

TEST_F(RouterTest, MethodSelectsHandler) {
  for (auto [m, name] : {std::pair{Method::Get, "fetch"}, {Method::Post, "update"}, {Method::Delete, "delete"}}) {
    auto r = req(m, "/2010-04-01/Accounts/AC1/SIP/Domains/SD1.json");
    EXPECT_EQ(body(router.dispatch(r))["route"], name);
  }
  auto r = req(Method::Post, "/2010-04-01/Accounts/AC1/SIP/Domains.json");
  EXPECT_EQ(body(router.dispatch(r))["route"], "create");
  r = req(Method::Get, "/2010-04-01/Accounts.json");
  EXPECT_EQ(body(router.dispatch(r))["route"], "accounts");
  r = req(Method::Get, "/2010-04-01/Accounts/AC9.json");
  auto j = body(router.dispatch(r));
  EXPECT_EQ(j["route"], "account");
  EXPECT_EQ(j["captures"]["Sid"], "AC9");
}

TEST_F(RouterTest, SuffixAndSegmentsMatchExactly) {
  for (const char* path : {"/2010-04-01/Accounts/AC1/SIP/Domains/SD1",        // no .json
                           "/2010-04-01/Accounts/AC1/SIP/Domains/SD1.JSON",   // case-sensitive
                           "/2010-04-01/Accounts/AC1/sip/Domains/SD1.json",   // case-sensitive
                           "/2010-04-01/Accounts/AC1/SIP/Domains/.json",      // empty capture
                           "/2010-04-01/Accounts/AC1/SIP/Domains/SD1.json/",  // trailing slash
                           "/2010-04-01/Accounts//SIP/Domains/SD1.json",      // empty segment
                           "/2010-04-01/Accounts/AC1/SIP/Domains/SD1.json/x", "/", "/2010-04-01"}) {
    auto r = req(Method::Get, path);
    auto res = router.dispatch(r);
    EXPECT_EQ(res.status, 404) << path;
    auto j = body(res);
    EXPECT_EQ(j["code"], 20404) << path;
    EXPECT_EQ(j["status"], 404);
    EXPECT_EQ(j["message"], std::string("The requested resource ") + path + " was not found");
  }
}

TEST_F(RouterTest, MethodNotAllowedListsAllow) {
  auto r = req(Method::Put, "/2010-04-01/Accounts/AC1/SIP/Domains/SD1.json");
  auto res = router.dispatch(r);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.headers.get("Allow"), "GET, POST, DELETE");
  EXPECT_EQ(body(res)["code"], 20004);
  r = req(Method::Delete, "/2010-04-01/Accounts/AC1/SIP/Domains.json");
  res = router.dispatch(r);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.headers.get("Allow"), "GET, POST");
  r = req(Method::Other, "/2010-04-01/Accounts.json");
  EXPECT_EQ(router.dispatch(r).status, 405);
}

TEST_F(RouterTest, PercentDecodesSegments) {
  auto r = req(Method::Get, "/2010-04-01/Accounts/AC%20x%2Fy/SIP/Domains/SD%31.json");
  auto j = body(router.dispatch(r));
  EXPECT_EQ(j["route"], "fetch");
  EXPECT_EQ(j["captures"]["AccountSid"], "AC x/y");
  EXPECT_EQ(j["captures"]["Sid"], "SD1");
  // '+' is not a space in a path.
  r = req(Method::Get, "/2010-04-01/Accounts/a+b.json");
  EXPECT_EQ(body(router.dispatch(r))["captures"]["Sid"], "a+b");
  // Encoded literal text matches too.
  r = req(Method::Get, "/2010-04-01/Accounts/AC1/%53IP/Domains.json");
  EXPECT_EQ(body(router.dispatch(r))["route"], "list");
}

TEST(Router, LiteralBeatsCapture) {
  Router router;
  router.add(Method::Get, "/a/{Id}.json", named("capture"));
  router.add(Method::Get, "/a/{Id}", named("bare"));
  router.add(Method::Get, "/a/special.json", named("literal"));
  auto r = req(Method::Get, "/a/special.json");
  EXPECT_EQ(body(router.dispatch(r))["route"], "literal");
  r = req(Method::Get, "/a/other.json");
  EXPECT_EQ(body(router.dispatch(r))["route"], "capture");
  r = req(Method::Get, "/a/other");
  EXPECT_EQ(body(router.dispatch(r))["route"], "bare");
  EXPECT_EQ(router.size(), 3u);
}

TEST(Router, CaptureWithPrefixAndSuffix) {
  Router router;
  router.add(Method::Get, "/x/pre-{Name}-post", named("affix"));
  auto r = req(Method::Get, "/x/pre-abc-post");
  EXPECT_EQ(body(router.dispatch(r))["captures"]["Name"], "abc");
  r = req(Method::Get, "/x/pre--post");
  EXPECT_EQ(router.dispatch(r).status, 404);
}

TEST(Router, RejectsBadPatterns) {
  Router router;
  auto h = named("x");
  EXPECT_THROW(router.add(Method::Get, "", h), std::invalid_argument);
  EXPECT_THROW(router.add(Method::Get, "a/b", h), std::invalid_argument);
  EXPECT_THROW(router.add(Method::Get, "/a/{}", h), std::invalid_argument);
  EXPECT_THROW(router.add(Method::Get, "/a/{B", h), std::invalid_argument);
  EXPECT_THROW(router.add(Method::Get, "/a/B}", h), std::invalid_argument);
  EXPECT_THROW(router.add(Method::Get, "/a/{B}{C}", h), std::invalid_argument);
  EXPECT_THROW(router.add(Method::Get, "/a", Handler{}), std::invalid_argument);
  router.add(Method::Get, "/a/{B}", h);
  EXPECT_THROW(router.add(Method::Get, "/a/{B}", h), std::invalid_argument);
  router.add(Method::Post, "/a/{B}", h);  // another method is fine
}

TEST(Router, HandlerExceptionsPropagateFromDispatch) {
  Router router;
  router.add(Method::Get, "/boom", [](const Request&) -> Response { throw std::runtime_error("boom"); });
  auto r = req(Method::Get, "/boom");
  EXPECT_THROW(router.dispatch(r), std::runtime_error);
}

}  // namespace
}  // namespace callwire::http
