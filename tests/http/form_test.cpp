#include "http/form.hpp"

#include <gtest/gtest.h>

#include "http/errc.hpp"

namespace callwire::http {
namespace {

TEST(PercentDecode, Vectors) {
  struct Case {
    const char* in;
    bool plus;
    const char* out;
  };
  const Case cases[] = {
      {"", false, ""},
      {"abc", false, "abc"},
      {"a%20b", false, "a b"},
      {"a+b", false, "a+b"},
      {"a+b", true, "a b"},
      {"%2B", true, "+"},
      {"%2b%2F%3a", false, "+/:"},
      {"%C3%A9t%C3%A9", false, "\xC3\xA9t\xC3\xA9"},
      {"100%25", false, "100%"},
  };
  for (const auto& c : cases) {
    auto r = percent_decode(c.in, c.plus);
    ASSERT_TRUE(r) << c.in;
    EXPECT_EQ(*r, c.out) << c.in;
  }
  EXPECT_EQ(percent_decode("%00x"), std::string("\0x", 2));
}

TEST(PercentDecode, RejectsBadEscapes) {
  for (const char* bad : {"%", "%2", "a%", "a%g0", "%0g", "%%", "%+1", "abc%2"}) {
    auto r = percent_decode(bad, true);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, make_error_code(Errc::BadPercentEncoding)) << bad;
  }
}

TEST(PercentEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode("a b+c&d=e/f?"), "a%20b%2Bc%26d%3De%2Ff%3F");
  EXPECT_EQ(percent_encode("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(percent_encode(std::string("\0\xff", 2)), "%00%FF");
}

TEST(ParseForm, RepeatedKeysKeepOrder) {
  auto p = parse_form("StatusCallbackEvent=initiated&A=1&StatusCallbackEvent=ringing&StatusCallbackEvent=answered");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->size(), 4u);
  auto all = p->all("StatusCallbackEvent");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0], "initiated");
  EXPECT_EQ(all[1], "ringing");
  EXPECT_EQ(all[2], "answered");
  EXPECT_EQ(p->get("A"), "1");
  EXPECT_EQ(p->items()[1], (Param{"A", "1"}));
}

TEST(ParseForm, PlusPercentAndEmpty) {
  auto p = parse_form("FriendlyName=My+first+domain&VoiceUrl=https%3A%2F%2Fexample.com%2Fv%3Fa%3D1%26b%3D2&Empty=&Bare&&");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->get("FriendlyName"), "My first domain");
  EXPECT_EQ(p->get("VoiceUrl"), "https://example.com/v?a=1&b=2");
  EXPECT_EQ(p->get("Empty"), "");
  EXPECT_EQ(p->get("Bare"), "");
  EXPECT_TRUE(p->contains("Bare"));
  EXPECT_FALSE(p->contains("bare"));  // names are case-sensitive
  EXPECT_FALSE(p->get("Missing"));
  EXPECT_EQ(p->size(), 4u);
}

TEST(ParseForm, EqualsInValueAndEncodedNames) {
  auto p = parse_form("a=b=c&x%20y=1&%3D=eq");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->get("a"), "b=c");
  EXPECT_EQ(p->get("x y"), "1");
  EXPECT_EQ(p->get("="), "eq");
}

TEST(ParseForm, Utf8) {
  auto p = parse_form("FriendlyName=%E6%97%A5%E6%9C%AC+%F0%9F%93%9E&raw=\xC3\xA9");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->get("FriendlyName"), "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x93\x9E");
  EXPECT_EQ(p->get("raw"), "\xC3\xA9");
}

TEST(ParseForm, EmptyInput) {
  auto p = parse_form("");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->empty());
  p = parse_form("&&&");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->empty());
}

TEST(ParseForm, BadEscapeFails) {
  for (const char* bad : {"a=%zz", "a=1&b=%4", "%=1", "a=100%"}) {
    auto p = parse_form(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_EQ(p.error().code, make_error_code(Errc::BadFormBody)) << bad;
  }
  auto p = parse_form("Good=1&VoiceUrl=%G1");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().detail.find("VoiceUrl"), std::string::npos) << p.error().detail;
}

TEST(FormEncode, RoundTrips) {
  Params in{{"PageSize", "50"}, {"Page", "1"}, {"PageToken", "PA+/= x"}, {"\xC3\xA9", ""}, {"PageSize", "2"}};
  auto text = form_encode(in);
  EXPECT_EQ(text, "PageSize=50&Page=1&PageToken=PA%2B%2F%3D%20x&%C3%A9=&PageSize=2");
  auto back = parse_form(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, in);
}

TEST(BuildQuery, AppendsOnlyWhenNeeded) {
  EXPECT_EQ(build_query("/2010-04-01/Accounts/AC1/SIP/Domains.json", {}), "/2010-04-01/Accounts/AC1/SIP/Domains.json");
  EXPECT_EQ(build_query("/x.json", {{"PageSize", "1"}, {"Page", "1"}, {"PageToken", "PAabc"}}),
            "/x.json?PageSize=1&Page=1&PageToken=PAabc");
}

}  // namespace
}  // namespace callwire::http
