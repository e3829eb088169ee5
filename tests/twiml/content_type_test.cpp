#include "twiml/content_type.hpp"

#include <gtest/gtest.h>

namespace callwire::twiml {
namespace {

TEST(ContentType, ClassifiesLikeTwilio) {
  EXPECT_EQ(classify_content_type("text/xml"), BodyKind::Twiml);
  EXPECT_EQ(classify_content_type("application/xml; charset=utf-8"), BodyKind::Twiml);
  EXPECT_EQ(classify_content_type("Text/HTML;charset=UTF-8"), BodyKind::Twiml);
  EXPECT_EQ(classify_content_type("text/plain"), BodyKind::PlainText);
  EXPECT_EQ(classify_content_type("audio/mpeg"), BodyKind::Audio);
  EXPECT_EQ(classify_content_type("audio/x-wav"), BodyKind::Audio);
  EXPECT_EQ(classify_content_type(""), BodyKind::Invalid);
  EXPECT_EQ(classify_content_type("application/json"), BodyKind::Invalid);
}

}  // namespace
}  // namespace callwire::twiml
