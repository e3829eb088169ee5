#include "sip/message/name_addr.hpp"

#include <gtest/gtest.h>

#include "sip/message/errc.hpp"

namespace callwire::sip {
namespace {

struct NaCase {
  const char* text;
  const char* display;
  bool angle;
  const char* uri;
  Scheme scheme;
  const char* tag;
  std::size_t params;
};

class NameAddrValid : public ::testing::TestWithParam<NaCase> {};

TEST_P(NameAddrValid, Parses) {
  const auto& c = GetParam();
  auto na = parse_name_addr(c.text);
  ASSERT_TRUE(na) << c.text << ": " << na.error().detail;
  EXPECT_EQ(na->display_name, c.display) << c.text;
  EXPECT_EQ(na->angle_brackets, c.angle) << c.text;
  EXPECT_EQ(na->uri_text, c.uri) << c.text;
  EXPECT_EQ(na->uri.scheme, c.scheme) << c.text;
  EXPECT_EQ(na->tag(), c.tag) << c.text;
  EXPECT_EQ(na->params.size(), c.params) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, NameAddrValid,
    ::testing::Values(
        NaCase{"\"Bob\" <sip:bob@example.com>;tag=1", "\"Bob\"", true, "sip:bob@example.com", Scheme::Sip, "1", 1},
        NaCase{"Bob <sip:bob@example.com>", "Bob", true, "sip:bob@example.com", Scheme::Sip, "", 0},
        NaCase{"Bob Smith Jr. <sip:bob@example.com>", "Bob Smith Jr.", true, "sip:bob@example.com", Scheme::Sip, "", 0},
        NaCase{"caller<sip:caller@example.com>;tag=323", "caller", true, "sip:caller@example.com", Scheme::Sip, "323", 1},
        NaCase{"<sip:bob@example.com>", "", true, "sip:bob@example.com", Scheme::Sip, "", 0},
        // Params after an addr-spec belong to the header, not the URI.
        NaCase{"sip:bob@example.com;tag=abc;expires=60", "", false, "sip:bob@example.com", Scheme::Sip, "abc", 2},
        NaCase{"sip:bob@example.com ; tag = abc", "", false, "sip:bob@example.com", Scheme::Sip, "abc", 1},
        NaCase{"<sip:bob@example.com;transport=tcp>;tag=x", "", true, "sip:bob@example.com;transport=tcp", Scheme::Sip,
               "x", 1},
        NaCase{"\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>    ;    tag = 98asjd8",
               "\"J Rosenberg \\\\\\\"\"", true, "sip:jdrosen@example.com", Scheme::Sip, "98asjd8", 1},
        NaCase{"\"\xd0\x91\xd0\xbe\xd0\xb1\" <sips:bob@[2001:db8::1]:5061>", "\"\xd0\x91\xd0\xbe\xd0\xb1\"", true,
               "sips:bob@[2001:db8::1]:5061", Scheme::Sips, "", 0},
        NaCase{"\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam = newvalue ; secondparam ; q = 0.33",
               "\"Quoted string \\\"\\\"\"", true, "sip:jdrosen@example.com", Scheme::Sip, "", 3},
        NaCase{"<tel:+1-201-555-0123>;tag=t", "", true, "tel:+1-201-555-0123", Scheme::Tel, "t", 1},
        NaCase{"\"Unknown\" <nobodyKnowsThisScheme:totallyopaquecontent>", "\"Unknown\"", true,
               "nobodyKnowsThisScheme:totallyopaquecontent", Scheme::Other, "", 0},
        NaCase{"<sip:user@example.com?Route=%3Csip:sip.example.com%3E>", "", true,
               "sip:user@example.com?Route=%3Csip:sip.example.com%3E", Scheme::Sip, "", 0},
        NaCase{"<sip:a@example.com>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";reg-id=1", "",
               true, "sip:a@example.com", Scheme::Sip, "", 2},
        NaCase{"  <sip:a@example.com>  ", "", true, "sip:a@example.com", Scheme::Sip, "", 0}));

class NameAddrInvalid : public ::testing::TestWithParam<const char*> {};

TEST_P(NameAddrInvalid, Fails) { EXPECT_FALSE(parse_name_addr(GetParam())) << GetParam(); }

INSTANTIATE_TEST_SUITE_P(Vectors, NameAddrInvalid,
                         ::testing::Values("", "   ", "\"Mr. J. User <sip:j.user@example.com>", "\"x\" sip:a@example.com",
                                           "<sip:a@example.com", "< sip:t.watson@example.org >", "<>",
                                           "Bell, Alexander <sip:a.g.bell@example.com>", "Bob@Home <sip:b@example.com>",
                                           "sip:user@example.com?Route=%3Csip:sip.example.com%3E",
                                           "<sip:a@example.com>;;", "<sip:a@example.com> x",
                                           "<sip:a@example.com>;tag=", "<sip:a@example.com>;tag=\"x", "*",
                                           "<sip:a@ex ample.com>", "sip:a@example.com, sip:b@example.com"));

TEST(NameAddr, StarOnlyWhenAllowed) {
  auto star = parse_name_addr(" * ", true);
  ASSERT_TRUE(star);
  EXPECT_EQ(star->uri_text, "*");
  EXPECT_EQ(star->uri.scheme, Scheme::Other);
  EXPECT_FALSE(parse_name_addr("*"));
  EXPECT_TRUE(parse_name_addr("<sip:a@example.com>;expires=0", true));
}

TEST(NameAddr, ErrorSaysWhat) {
  auto na = parse_name_addr("\"Mr. J. User <sip:j.user@example.com>");
  ASSERT_FALSE(na);
  EXPECT_NE(na.error().detail.find("unterminated quoted display name"), std::string::npos) << na.error().detail;
}

}  // namespace
}  // namespace callwire::sip
