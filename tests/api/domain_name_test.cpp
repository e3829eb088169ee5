#include "api/domain_name.hpp"

#include <gtest/gtest.h>

namespace callwire::api {
namespace {

constexpr std::string_view kSuffix = ".sip.localhost";

TEST(DomainName, AcceptsAndLowercases) {
  auto n = parse_domain_name("Acme-PBX.sip.LocalHost", kSuffix);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(n->name, "acme-pbx.sip.localhost");
  EXPECT_EQ(n->prefix, "acme-pbx");
  auto sub = parse_domain_name("a1.b2.sip.localhost", kSuffix);
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->prefix, "a1.b2");
}

TEST(DomainName, RefusalsSayWhatIsWrong) {
  struct Case {
    std::string name;
    const char* says;
  };
  const Case cases[] = {
      {"", "must not be empty"},
      {"acme.sip.twilio.com", "must end in"},
      {"sip.localhost", "must end in"},
      {".sip.localhost", "must end in"},
      {"acmesip.localhost", "must end in"},
      {"a..b.sip.localhost", "empty label"},
      {".a.sip.localhost", "empty label"},
      {"ac_me.sip.localhost", "letters, digits and '-'"},
      {"ac me.sip.localhost", "letters, digits and '-'"},
      {"-acme.sip.localhost", "must not start or end with '-'"},
      {"acme-.sip.localhost", "must not start or end with '-'"},
      {std::string(64, 'a') + ".sip.localhost", "longer than 63"},
      {std::string(60, 'a') + "." + std::string(60, 'b') + "." + std::string(60, 'c') + "." + std::string(60, 'd') +
           ".sip.localhost",
       "at most 253"},
  };
  for (const auto& c : cases) {
    auto r = parse_domain_name(c.name, kSuffix);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, kCodeDomainValidation) << c.name;
    EXPECT_EQ(r.error().status, 400);
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << c.name << " → " << r.error().message;
  }
  EXPECT_TRUE(parse_domain_name(std::string(63, 'a') + ".sip.localhost", kSuffix));
}

TEST(DomainName, OtherBase) {
  EXPECT_TRUE(parse_domain_name("acme.sip.example.com", ".sip.example.com"));
  EXPECT_FALSE(parse_domain_name("acme.sip.localhost", ".sip.example.com"));
}

TEST(DomainName, Parent) {
  auto n = parse_domain_name("foo.acme.sip.localhost", kSuffix);
  ASSERT_TRUE(n);
  EXPECT_EQ(parent_domain_name(*n, kSuffix), "acme.sip.localhost");
  auto top = parse_domain_name("acme.sip.localhost", kSuffix);
  ASSERT_TRUE(top);
  EXPECT_FALSE(parent_domain_name(*top, kSuffix));
}

TEST(DomainName, ReservedAccountSid) {
  EXPECT_EQ(reserved_account_sid("ac0123456789abcdef0123456789abcdef.sip.localhost", kSuffix),
            "AC0123456789abcdef0123456789abcdef");
  EXPECT_FALSE(reserved_account_sid("sd0123456789abcdef0123456789abcdef.sip.localhost", kSuffix));
  EXPECT_FALSE(reserved_account_sid("ac0123456789abcdef0123456789abcde.sip.localhost", kSuffix));
  EXPECT_FALSE(reserved_account_sid("x.ac0123456789abcdef0123456789abcdef.sip.localhost", kSuffix));
}

}  // namespace
}  // namespace callwire::api
