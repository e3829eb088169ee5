#include "twiml/url.hpp"

#include <gtest/gtest.h>

namespace callwire::twiml {
namespace {

TEST(ResolveUrl, Rfc3986CommonCases) {
  const char* base = "https://app.example.com/a/b/voice.xml?q=1#rc=2";
  EXPECT_EQ(resolve_url(base, "http://other.example/x"), "http://other.example/x");
  EXPECT_EQ(resolve_url(base, "//cdn.example/x"), "https://cdn.example/x");
  EXPECT_EQ(resolve_url(base, "/root?y=2"), "https://app.example.com/root?y=2");
  EXPECT_EQ(resolve_url(base, "next"), "https://app.example.com/a/b/next");
  EXPECT_EQ(resolve_url(base, "../up"), "https://app.example.com/a/up");
  EXPECT_EQ(resolve_url(base, "./same?z=3"), "https://app.example.com/a/b/same?z=3");
  EXPECT_EQ(resolve_url(base, "?only=query"), "https://app.example.com/a/b/voice.xml?only=query");
  EXPECT_EQ(resolve_url("http://h:8080", "x"), "http://h:8080/x");
  EXPECT_EQ(resolve_url("http://h/a/", "../../../x"), "http://h/x");
}

}  // namespace
}  // namespace callwire::twiml
