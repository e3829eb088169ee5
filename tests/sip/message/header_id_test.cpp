#include "sip/message/header_id.hpp"

#include <gtest/gtest.h>

#include <string>

namespace callwire::sip {
namespace {

TEST(HeaderId, CanonicalNamesRoundTripInAnyCase) {
  for (int i = 1; i <= static_cast<int>(HeaderId::WwwAuthenticate); ++i) {
    auto id = static_cast<HeaderId>(i);
    std::string name(header_name(id));
    ASSERT_FALSE(name.empty()) << i;
    EXPECT_EQ(header_id(name), id) << name;
    std::string up = name, low = name;
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (char& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(header_id(up), id) << up;
    EXPECT_EQ(header_id(low), id) << low;
  }
  EXPECT_EQ(header_name(HeaderId::Other), "");
}

TEST(HeaderId, CompactForms) {
  struct {
    const char* name;
    HeaderId id;
  } cases[] = {
      {"i", HeaderId::CallId},        {"m", HeaderId::Contact},        {"f", HeaderId::From},
      {"t", HeaderId::To},            {"v", HeaderId::Via},            {"l", HeaderId::ContentLength},
      {"c", HeaderId::ContentType},   {"k", HeaderId::Supported},      {"s", HeaderId::Subject},
      {"e", HeaderId::ContentEncoding}, {"o", HeaderId::Event},        {"u", HeaderId::AllowEvents},
      {"r", HeaderId::ReferTo},       {"b", HeaderId::ReferredBy},     {"x", HeaderId::SessionExpires},
      {"y", HeaderId::Identity},      {"a", HeaderId::AcceptContact},  {"j", HeaderId::RejectContact},
      {"d", HeaderId::RequestDisposition}, {"n", HeaderId::Other},     {"V", HeaderId::Via},
      {"I", HeaderId::CallId},        {"z", HeaderId::Other},          {"1", HeaderId::Other},
  };
  for (const auto& c : cases) EXPECT_EQ(header_id(c.name), c.id) << c.name;
}

TEST(HeaderId, UnknownNames) {
  for (const char* n : {"", "X-Foo", "Vias", "Vi", "Call-IDs", "Content-Lengt", "Contact-", "WWW-Authenticatex",
                        "P-Asserted-Identity-Extra-Long-Name", "Fro", "ToX"})
    EXPECT_EQ(header_id(n), HeaderId::Other) << n;
}

}  // namespace
}  // namespace callwire::sip
