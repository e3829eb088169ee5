// TwiML document parsing: structure, Twilio's error codes, limits.
#include "twiml/document.hpp"

#include <gtest/gtest.h>

#include "twiml/errc.hpp"

namespace callwire::twiml {
namespace {

int code_of(const Result<Document>& r) { return r ? 0 : r.error().code.value(); }

TEST(TwimlDocument, VerbsInOrderWithAttributesAndText) {
  auto doc = parse_document(R"(<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say voice="alice" language="en-GB">  Hello there  </Say>
  <Redirect method="GET">/next?x=1&amp;y=2</Redirect>
  <Reject reason="busy"/>
</Response>)");
  ASSERT_TRUE(doc) << doc.error().what();
  ASSERT_EQ(doc->verbs.size(), 3u);
  EXPECT_EQ(doc->verbs[0].name, "Say");
  EXPECT_EQ(doc->verbs[0].attr("voice"), "alice");
  EXPECT_EQ(doc->verbs[0].text, "Hello there");
  EXPECT_EQ(doc->verbs[1].text, "/next?x=1&y=2");
  EXPECT_EQ(doc->verbs[1].attr("method"), "GET");
  EXPECT_EQ(doc->verbs[2].attr("reason"), "busy");
  EXPECT_EQ(doc->verbs[2].attr("missing", "rejected"), "rejected");
  EXPECT_FALSE(doc->verbs[2].has_attr("missing"));
}

TEST(TwimlDocument, EmptyResponseHasNoVerbs) {
  auto doc = parse_document("<Response/>");
  ASSERT_TRUE(doc);
  EXPECT_TRUE(doc->verbs.empty());
}

TEST(TwimlDocument, NestedNounsKept) {
  auto doc = parse_document("<Response><Gather numDigits=\"1\"><Say>Press 1</Say><Pause length=\"2\"/></Gather>"
                            "<Dial><Number>+14155550100</Number><Sip>sip:bob@example.com</Sip></Dial></Response>");
  ASSERT_TRUE(doc) << doc.error().what();
  ASSERT_EQ(doc->verbs.size(), 2u);
  ASSERT_EQ(doc->verbs[0].children.size(), 2u);
  EXPECT_EQ(doc->verbs[0].children[1].attr("length"), "2");
  ASSERT_EQ(doc->verbs[1].children.size(), 2u);
  EXPECT_EQ(doc->verbs[1].children[0].text, "+14155550100");
}

TEST(TwimlDocument, MixedContentKeepsLeadAndTails) {
  auto doc = parse_document("<Response><Say> Hello <break time=\"1s\"/> big <emphasis>wide</emphasis> world </Say></Response>");
  ASSERT_TRUE(doc) << doc.error().what();
  const Node& say = doc->verbs.at(0);
  EXPECT_EQ(say.text, "Hello  big  world");
  EXPECT_EQ(say.lead, "Hello");
  ASSERT_EQ(say.children.size(), 2u);
  EXPECT_EQ(say.children[0].name, "break");
  EXPECT_EQ(say.children[0].tail, "big");
  EXPECT_EQ(say.children[1].text, "wide");
  EXPECT_EQ(say.children[1].tail, "world");
}

TEST(TwimlDocument, InvalidXmlIs12100) {
  EXPECT_EQ(code_of(parse_document("<Response><Say>unclosed</Response>")), 12100);
  EXPECT_EQ(code_of(parse_document("")), 12100);
  EXPECT_EQ(code_of(parse_document("just words")), 12100);
}

TEST(TwimlDocument, WrongXmlVersionIs12101) {
  EXPECT_EQ(code_of(parse_document("<?xml version=\"1.1\"?><Response/>")), 12101);
}

TEST(TwimlDocument, RootMustBeResponse) {
  EXPECT_EQ(code_of(parse_document("<Reponse><Hangup/></Reponse>")), 12102);
  EXPECT_EQ(code_of(parse_document("<html><body>502 Bad Gateway</body></html>")), 12102);
}

TEST(TwimlDocument, UnknownVerbOrMisplacedNounIs12200) {
  EXPECT_EQ(code_of(parse_document("<Response><Speak>hi</Speak></Response>")), 12200);
  EXPECT_EQ(code_of(parse_document("<Response><Number>+1415</Number></Response>")), 12200);
  EXPECT_EQ(code_of(parse_document("<Response><Gather><Dial>1</Dial></Gather></Response>")), 12200);
  EXPECT_EQ(code_of(parse_document("<Response><Hangup><Say>x</Say></Hangup></Response>")), 12200);
}

TEST(TwimlDocument, SsmlInsideSayAllowed) {
  auto doc = parse_document("<Response><Say>Hi <break time=\"1s\"/> <emphasis>there</emphasis></Say></Response>");
  ASSERT_TRUE(doc) << doc.error().what();
  EXPECT_EQ(doc->verbs[0].children.size(), 2u);
}

TEST(TwimlDocument, LimitsRefuseHugeOrDeepDocuments) {
  ParseLimits small;
  small.max_bytes = 16;
  EXPECT_EQ(code_of(parse_document("<Response><Hangup/></Response>", small)), 12100);

  std::string many = "<Response>";
  for (int i = 0; i < 1001; ++i) many += "<Pause/>";
  many += "</Response>";
  EXPECT_EQ(code_of(parse_document(many)), 12200);

  std::string deep = "<Response><Say>";
  for (int i = 0; i < 10; ++i) deep += "<prosody>";
  for (int i = 0; i < 10; ++i) deep += "</prosody>";
  deep += "</Say></Response>";
  EXPECT_EQ(code_of(parse_document(deep)), 12200);
}

TEST(TwimlDocument, EntitiesAreNotExpandedBeyondXmlBuiltins) {
  // A billion-laughs style DOCTYPE must neither expand nor crash.
  auto doc = parse_document(R"(<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<Response><Say>&b;</Say></Response>)");
  if (doc) {
    EXPECT_LT(doc->verbs.at(0).text.size(), 64u);
  } else {
    EXPECT_EQ(doc.error().code.value(), 12100);
  }
}

}  // namespace
}  // namespace callwire::twiml
