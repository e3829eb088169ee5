#include "sip/message/params.hpp"

#include <gtest/gtest.h>

namespace callwire::sip {
namespace {

TEST(HeaderParams, LwsAroundSemicolonAndEquals) {
  auto p = parse_header_params(" ; a = b ;c ;d=\"q; s\" ;E=[2001:db8::1]");
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ((*p)[0].name, "a");
  EXPECT_EQ((*p)[0].value, "b");
  EXPECT_TRUE((*p)[0].has_value);
  EXPECT_FALSE((*p)[1].has_value);
  EXPECT_EQ((*p)[2].value, "\"q; s\"");
  EXPECT_EQ(find_param(*p, "e")->value, "[2001:db8::1]");
  EXPECT_EQ(find_param(*p, "missing"), nullptr);
  EXPECT_TRUE(parse_header_params("")->empty());
  EXPECT_TRUE(parse_header_params("   ")->empty());
}

TEST(HeaderParams, Errors) {
  for (const char* t : {"a=b", ";", ";;", "; =b", ";a=", ";a=\"x", ";a=b c", ";a=<b>", ";a b"}) {
    auto p = parse_header_params(t);
    EXPECT_FALSE(p) << t;
    if (!p) {
      EXPECT_NE(p.error().detail.find("parameter"), std::string::npos) << p.error().detail;
    }
  }
}

TEST(UriParams, NoLwsEscapesAllowed) {
  auto p = parse_uri_params(";transport=tcp;lr;x%20y=a%2Cb;maddr=[::1]");
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ((*p)[2].name, "x%20y");
  EXPECT_EQ((*p)[2].value, "a%2Cb");
  EXPECT_EQ((*p)[3].value, "[::1]");
  for (const char* t : {"transport=tcp", ";", ";a=", "; a", ";a =b", ";a=b c", ";a%zz", ";a=\"q\"", ";;"})
    EXPECT_FALSE(parse_uri_params(t)) << t;
}

TEST(SplitList, RespectsQuotesEscapesAndBrackets) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(split_list("a, b ,c"), (V{"a", "b", "c"}));
  EXPECT_EQ(split_list(" , a,, ,b, "), (V{"a", "b"}));
  EXPECT_EQ(split_list("\"x, y\" <sip:a@b>, <sip:c@d;x=1,2>"), (V{"\"x, y\" <sip:a@b>", "<sip:c@d;x=1,2>"}));
  EXPECT_EQ(split_list("\"a \\\", b\" <sip:a>, c"), (V{"\"a \\\", b\" <sip:a>", "c"}));
  EXPECT_EQ(split_list(""), V{});
  EXPECT_EQ(split_list(";;,,;;,;"), (V{";;", ";;", ";"}));
}

TEST(Unquote, RemovesQuotesAndEscapes) {
  EXPECT_EQ(unquote("\"J Rosenberg \\\\\\\"\""), "J Rosenberg \\\"");
  EXPECT_EQ(unquote("\"plain\""), "plain");
  EXPECT_EQ(unquote("\"\""), "");
  EXPECT_EQ(unquote("token"), "token");
  EXPECT_EQ(unquote("\"unterminated"), "\"unterminated");
}

}  // namespace
}  // namespace callwire::sip
