#include "http/request.hpp"

#include <gtest/gtest.h>

#include "http/errc.hpp"

namespace callwire::http {
namespace {

Headers form_headers(std::string content_type = "application/x-www-form-urlencoded") {
  Headers h;
  h.add("Content-Type", std::move(content_type));
  return h;
}

TEST(Request, SplitsTargetAndDecodesQuery) {
  auto r = Request::make(Method::Get, "/2010-04-01/Accounts.json?PageSize=2&Page=0&PageToken=PA%2Bx&FriendlyName=a+b");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->method(), Method::Get);
  EXPECT_EQ(r->path(), "/2010-04-01/Accounts.json");
  EXPECT_EQ(r->raw_query(), "PageSize=2&Page=0&PageToken=PA%2Bx&FriendlyName=a+b");
  EXPECT_EQ(r->query().get("PageSize"), "2");
  EXPECT_EQ(r->query().get("PageToken"), "PA+x");
  EXPECT_EQ(r->query().get("FriendlyName"), "a b");
  EXPECT_TRUE(r->form().empty());

  r = Request::make(Method::Get, "/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->path(), "/plain");
  EXPECT_EQ(r->raw_query(), "");
  EXPECT_TRUE(r->query().empty());
  r = Request::make(Method::Get, "/q?");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->path(), "/q");
  EXPECT_TRUE(r->query().empty());
}

TEST(Request, FormBodyOnlyForFormContentType) {
  auto r = Request::make(Method::Post, "/d.json", form_headers("Application/X-WWW-Form-Urlencoded; charset=utf-8"),
                         "DomainName=a.sip.localhost&SipRegistration=true&X=1&X=2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->form().get("DomainName"), "a.sip.localhost");
  EXPECT_EQ(r->form().all("X").size(), 2u);
  EXPECT_EQ(r->body(), "DomainName=a.sip.localhost&SipRegistration=true&X=1&X=2");

  r = Request::make(Method::Post, "/d.json", form_headers("application/json"), "DomainName=%zz");
  ASSERT_TRUE(r);  // not a form: not decoded, not refused
  EXPECT_TRUE(r->form().empty());
  r = Request::make(Method::Post, "/d.json", {}, "a=1");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->form().empty());
}

TEST(Request, BadEncodingsFail) {
  auto r = Request::make(Method::Post, "/d.json", form_headers(), "DomainName=%zz");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::BadFormBody));
  r = Request::make(Method::Get, "/d.json?a=%");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::BadFormBody));
  r = Request::make(Method::Get, "/d%2.json");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::BadPath));
  for (const char* bad : {"", "*", "d.json", "http://host?x"}) {
    r = Request::make(Method::Get, bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, make_error_code(Errc::BadPath)) << bad;
  }
}

TEST(Request, AbsoluteFormReducedToPath) {
  auto r = Request::make(Method::Get, "http://127.0.0.1:8080/a/b.json?x=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->path(), "/a/b.json");
  EXPECT_EQ(r->query().get("x"), "1");
  r = Request::make(Method::Get, "HTTP://host");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->path(), "/");
}

TEST(Request, HeadersCaseInsensitiveAndBasicAuth) {
  Headers h;
  h.add("X-Twilio-Signature", "sig");
  h.add("authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  h.add("Accept", "a");
  h.add("accept", "b");
  auto r = Request::make(Method::Get, "/", h, {}, {boost::asio::ip::make_address("127.0.0.1"), 4242});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("x-twilio-signature"), "sig");
  EXPECT_EQ(r->header("ACCEPT"), "a");
  EXPECT_FALSE(r->header("Missing"));
  ASSERT_TRUE(r->basic_auth());
  EXPECT_EQ(r->basic_auth()->user, "Aladdin");
  EXPECT_EQ(r->basic_auth()->password, "open sesame");
  EXPECT_EQ(r->remote().port, 4242);
  EXPECT_EQ(r->remote().address.to_string(), "127.0.0.1");

  Headers bad;
  bad.add("Authorization", "Basic !!!");
  r = Request::make(Method::Get, "/", bad);
  ASSERT_TRUE(r);  // malformed credentials are "no credentials", not a 400
  EXPECT_FALSE(r->basic_auth());
}

TEST(Headers, SetReplacesAndRemove) {
  Headers h;
  h.add("A", "1");
  h.add("a", "2");
  h.add("B", "3");
  h.set("A", "x");
  EXPECT_EQ(h.get("a"), "x");
  EXPECT_EQ(h.size(), 2u);
  h.remove("b");
  EXPECT_FALSE(h.contains("B"));
  EXPECT_EQ(h.size(), 1u);
}

}  // namespace
}  // namespace callwire::http
