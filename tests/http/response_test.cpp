#include "http/response.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/errc.hpp"
#include "http/method.hpp"

namespace callwire::http {
namespace {

TEST(ErrorResponse, TwilioShape) {
  auto r = error_response(404, 20404, "The requested resource /x.json was not found");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  auto j = nlohmann::json::parse(r.body);
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.size(), 4u);
  EXPECT_EQ(j["code"], 20404);
  EXPECT_TRUE(j["code"].is_number_integer());
  EXPECT_EQ(j["message"], "The requested resource /x.json was not found");
  EXPECT_EQ(j["more_info"], "https://www.twilio.com/docs/errors/20404");
  EXPECT_EQ(j["status"], 404);
  EXPECT_TRUE(j["status"].is_number_integer());
  EXPECT_EQ(more_info_url(21232), "https://www.twilio.com/docs/errors/21232");
}

TEST(ErrorResponse, EscapesAndSurvivesBadUtf8) {
  auto r = error_response(400, 21232, "Domain \"a\xff\" already exists.");
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["message"], "Domain \"a\xEF\xBF\xBD\" already exists.");
}

TEST(JsonResponse, CompactWithContentType) {
  auto r = json_response(201, nlohmann::json{{"sid", "SD1"}, {"voice_url", nullptr}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.headers.get("content-type"), "application/json");
  EXPECT_EQ(r.body, R"({"sid":"SD1","voice_url":null})");
}

TEST(EmptyResponse, NoBodyNoType) {
  auto r = empty_response();
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.headers.contains("Content-Type"));
  auto t = text_response(200, "hi");
  EXPECT_EQ(t.headers.get("Content-Type"), "text/plain; charset=utf-8");
}

TEST(Errc, MessagesAndCategory) {
  std::error_code ec = Errc::BadFormBody;
  EXPECT_STREQ(ec.category().name(), "callwire.http");
  EXPECT_EQ(ec.message(), "invalid form encoding");
  EXPECT_EQ(std::error_code(Errc::Timeout).message(), "HTTP request timed out");
  EXPECT_NE(std::error_code(Errc::BadUrl), std::error_code(Errc::BadPath));
}

TEST(MethodText, RoundTrip) {
  for (auto m : {Method::Get, Method::Head, Method::Post, Method::Put, Method::Patch, Method::Delete, Method::Options}) {
    EXPECT_EQ(parse_method(to_string(m)), m);
  }
  EXPECT_EQ(parse_method("get"), Method::Other);
  EXPECT_EQ(parse_method("BREW"), Method::Other);
  EXPECT_EQ(reason_phrase(431), std::string("Request Header Fields Too Large"));
}

}  // namespace
}  // namespace callwire::http
