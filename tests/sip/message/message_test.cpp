#include "sip/message/message.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "sip/message/errc.hpp"
#include "sip/message/name_addr.hpp"
#include "test_util.hpp"

namespace callwire::sip {
namespace {

using test::crlf;
using test::request;

bool inside(std::string_view outer, std::string_view inner) {
  return inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size();
}

TEST(Message, ParsesTypicalInviteEagerFields) {
  std::string bytes = test::typical_invite();
  auto m = Message::parse(bytes);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_TRUE(m->is_request());
  EXPECT_EQ(m->method(), Method::Invite);
  EXPECT_EQ(m->method_token(), "INVITE");
  EXPECT_EQ(m->request_uri(), "sip:+15551234567@sip.example.com;transport=udp");
  EXPECT_EQ(m->call_id(), "3848276298220188511@atlanta.example.com");
  EXPECT_EQ(m->cseq().number, 1u);
  EXPECT_EQ(m->cseq().method, Method::Invite);
  EXPECT_EQ(m->from_tag(), "9fxced76sl");
  EXPECT_EQ(m->to_tag(), "");
  EXPECT_EQ(m->max_forwards(), 70u);
  EXPECT_EQ(m->top_via().host, "192.0.2.101");
  EXPECT_EQ(m->top_via().port, 5060);
  EXPECT_EQ(m->top_via().branch(), "z9hG4bK74bf9a8c1e2d");
  EXPECT_TRUE(m->top_via().has_rport());
  EXPECT_EQ(m->headers().size(), 15u);
  EXPECT_TRUE(m->body().starts_with("v=0\r\n"));
  EXPECT_TRUE(m->body().ends_with("a=sendrecv\r\n"));
  EXPECT_EQ(m->header(HeaderId::UserAgent), "ExamplePhone/4.2.1");
  EXPECT_EQ(m->header("user-agent"), "ExamplePhone/4.2.1");
  EXPECT_EQ(m->header("P-Asserted-Identity"), "\"Alice Liddell\" <sip:alice@atlanta.example.com>");
  EXPECT_EQ(m->values(HeaderId::Allow).size(), 9u);
  EXPECT_EQ(m->values(HeaderId::Supported), (std::vector<std::string_view>{"replaces", "timer", "100rel"}));
  EXPECT_TRUE(m->has(HeaderId::Contact));
  EXPECT_FALSE(m->has(HeaderId::Route));
  EXPECT_EQ(m->header(HeaderId::Route), "");
}

// The header loop looks names up its own way (the usual name inside the
// line's first 16 bytes); it must find what header_id() finds, for every
// known name in any case, compact forms and near misses.
TEST(Message, HeaderLoopFindsTheIdsHeaderIdFinds) {
  std::vector<std::string> names;
  for (int i = 1; i <= static_cast<int>(HeaderId::WwwAuthenticate); ++i) {
    auto id = static_cast<HeaderId>(i);
    if (id == HeaderId::Via || id == HeaderId::From || id == HeaderId::To || id == HeaderId::CallId ||
        id == HeaderId::CSeq || id == HeaderId::MaxForwards || id == HeaderId::ContentLength ||
        id == HeaderId::ContentType)
      continue;  // parsed eagerly; the request has them already
    std::string name(header_name(id)), up = name, low = name;
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (char& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    names.insert(names.end(), {name, up, low});
  }
  for (const char* n : {"k", "m", "n", "z", "X-Foo", "Vias", "Vi", "Call-IDs", "Content-Lengt", "Contact-",
                        "WWW-Authenticatex", "P-Asserted-Identity-Extra", "Fro", "ToX", "Allow_Events",
                        "Accept-Encodinh", "Session-Expire"})
    names.emplace_back(n);
  std::string extra;
  for (const std::string& n : names) extra += n + ": x\n";
  std::string bytes = request("OPTIONS", extra);
  ParseLimits limits;
  limits.max_headers = 1000;
  auto m = Message::parse(bytes, limits);
  ASSERT_TRUE(m) << m.error().detail;
  std::size_t seen = 0;
  for (const Header& h : m->headers()) {
    EXPECT_EQ(h.id, header_id(h.name)) << h.name;
    seen += h.value == "x";
  }
  EXPECT_EQ(seen, names.size());
}

// Names of 16 bytes or more, and whitespace before the colon, leave the
// loop's usual case; they must come out the same.
TEST(Message, LongNamesAndWhitespaceBeforeTheColon) {
  std::string bytes = request("OPTIONS",
                              "P-Asserted-Identity: <sip:a@example.com>\n"
                              "P-Asserted-Identity : <sip:b@example.com>\n"
                              "Session-Expires\t: 90\n"
                              "Via :SIP/2.0/UDP second.example.com\n"
                              "X-Exactly-16Byte: 16\n"
                              "X-Exactly-31-Bytes-Long-Header1:31\n"
                              "X-A-Header-Name-Of-Thirty-Bytes: 30\n"
                              "X-A-Header-Name-Of-Thirty-Two-Bytes: 32\n"
                              "Content-Disposition:session\n");
  auto m = Message::parse(bytes);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->values(HeaderId::PAssertedIdentity),
            (std::vector<std::string_view>{"<sip:a@example.com>", "<sip:b@example.com>"}));
  EXPECT_EQ(m->header(HeaderId::SessionExpires), "90");
  EXPECT_EQ(m->values(HeaderId::Via).back(), "SIP/2.0/UDP second.example.com");
  EXPECT_EQ(m->header("x-a-header-name-of-thirty-bytes"), "30");
  EXPECT_EQ(m->header("X-Exactly-16Byte"), "16");
  EXPECT_EQ(m->header("X-Exactly-31-Bytes-Long-Header1"), "31");
  EXPECT_EQ(m->header("X-A-Header-Name-Of-Thirty-Two-Bytes"), "32");
  EXPECT_EQ(m->header(HeaderId::ContentDisposition), "session");
  for (const Header& h : m->headers()) EXPECT_EQ(h.id, header_id(h.name)) << h.name;
}

TEST(Message, ViewsPointIntoOwnedCopyThatSurvivesMoves) {
  std::string bytes = test::typical_invite();
  auto parsed = Message::parse(bytes);
  ASSERT_TRUE(parsed);
  Message m = std::move(*parsed);
  std::string_view owned = m.bytes();
  EXPECT_NE(owned.data(), bytes.data());
  EXPECT_EQ(owned, bytes);
  bytes.assign(bytes.size(), 'x');  // the input may die; the message must not care
  for (const Header& h : m.headers()) {
    EXPECT_TRUE(inside(owned, h.name));
    EXPECT_TRUE(inside(owned, h.value));
  }
  EXPECT_TRUE(inside(owned, m.call_id()));
  EXPECT_TRUE(inside(owned, m.top_via().branch()));
  EXPECT_TRUE(inside(owned, m.body()));
  Message moved = std::move(m);
  EXPECT_EQ(moved.bytes().data(), owned.data());
  EXPECT_EQ(moved.call_id(), "3848276298220188511@atlanta.example.com");
}

TEST(Message, UnfoldsContinuationLinesInPlace) {
  std::string bytes = request("OPTIONS",
                              "Subject: first part\r\n  second part\r\n\tthird\r\n"
                              "cseq-like: a\r\n b\r\n");
  auto m = Message::parse(bytes);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->header(HeaderId::Subject), "first part    second part  \tthird");  // HT kept
  EXPECT_EQ(m->header("cseq-like"), "a   b");
  EXPECT_EQ(m->bytes().size(), bytes.size());
}

TEST(Message, FoldedMandatoryHeaders) {
  std::string bytes = crlf(
      "INVITE sip:bob@example.com SIP/2.0\n"
      "TO :\n sip:bob@example.com ;   tag    = 1918181833n\n"
      "from   : \"J R \\\\\\\"\"  <sip:j@example.com>\n  ;\n  tag = 98asjd8\n"
      "cseq: 0009\n  INVITE\n"
      "Via  : SIP  /   2.0\n /UDP\n 192.0.2.2;branch=390skdjuw\n"
      "i: abc@def\n"
      "l: 0\n\n");
  auto m = Message::parse(bytes);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->to_tag(), "1918181833n");
  EXPECT_EQ(m->from_tag(), "98asjd8");
  EXPECT_EQ(m->cseq().number, 9u);
  EXPECT_EQ(m->cseq().method_token, "INVITE");
  EXPECT_EQ(m->top_via().transport, "UDP");
  EXPECT_EQ(m->top_via().host, "192.0.2.2");
  EXPECT_EQ(m->call_id(), "abc@def");
  EXPECT_EQ(m->headers()[0].name, "TO");
}

TEST(Message, AcceptsBareLineFeeds) {
  std::string bytes =
      "OPTIONS sip:bob@example.com SIP/2.0\n"
      "Via: SIP/2.0/TCP h.example.com;branch=z9hG4bKx\n"
      "From: <sip:a@example.com>;tag=1\n"
      "To: <sip:bob@example.com>\n"
      "Call-ID: lf-only\n"
      "CSeq: 2 OPTIONS\n"
      "Content-Length: 3\n"
      "\n"
      "abc";
  auto m = Message::parse(bytes);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->call_id(), "lf-only");
  EXPECT_EQ(m->body(), "abc");
}

TEST(Message, IgnoresLeadingCrlf) {
  auto m = Message::parse("\r\n\r\n" + request("OPTIONS"));
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->method(), Method::Options);
}

TEST(Message, ParsesResponses) {
  auto ok = Message::parse(test::typical_ok());
  ASSERT_TRUE(ok) << ok.error().detail;
  EXPECT_TRUE(ok->is_response());
  EXPECT_EQ(ok->status(), 200);
  EXPECT_EQ(ok->reason_phrase(), "OK");
  EXPECT_EQ(ok->to_tag(), "8321234356");
  EXPECT_EQ(ok->top_via().received(), "192.0.2.101");
  EXPECT_EQ(ok->top_via().rport(), 5060);
  EXPECT_EQ(ok->body(), "");

  std::string tail = crlf(
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa\nFrom: <sip:a@example.com>;tag=1\n"
      "To: <sip:b@example.com>\nCall-ID: r1\nCSeq: 5 INVITE\nContent-Length: 0\n\n");
  struct Case {
    std::string line;
    int status;
    std::string_view reason;
  } cases[] = {
      {"SIP/2.0 100 \r\n", 100, ""},
      {"SIP/2.0 183\r\n", 183, ""},
      {"SIP/2.0 699 Whatever you say\r\n", 699, "Whatever you say"},
      {"SIP/2.0 200 = 2**3 * 5**2 \xd0\xbd\xd0\xbe\r\n", 200, "= 2**3 * 5**2 \xd0\xbd\xd0\xbe"},
      {"sip/2.0 486 Busy Here\r\n", 486, "Busy Here"},
  };
  for (const auto& c : cases) {
    auto m = Message::parse(c.line + tail);
    ASSERT_TRUE(m) << c.line << m.error().detail;
    EXPECT_EQ(m->status(), c.status);
    EXPECT_EQ(m->reason_phrase(), c.reason);
    EXPECT_EQ(m->cseq().method, Method::Invite);  // no request line to compare with
  }
}

// A response's CSeq names any method; the usual "N METHOD" and the forms
// with more whitespace must read the same, and a bad one still fails.
TEST(Message, ResponseCSeqForms) {
  auto with_cseq = [](std::string_view cseq) {
    return crlf("SIP/2.0 200 OK\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKa\nFrom: <sip:a@example.com>;tag=1\n"
                "To: <sip:b@example.com>;tag=2\nCall-ID: r1\nCSeq: " +
                std::string(cseq) + "\nContent-Length: 0\n\n");
  };
  struct Case {
    std::string_view cseq;
    std::uint32_t number;
    Method method;
    std::string_view token;
  } cases[] = {
      {"4711 INVITE", 4711, Method::Invite, "INVITE"},
      {"1 BYE", 1, Method::Bye, "BYE"},
      {"22 FOO-bar.1", 22, Method::Unknown, "FOO-bar.1"},
      {"3  OPTIONS", 3, Method::Options, "OPTIONS"},
      {"3\tCANCEL", 3, Method::Cancel, "CANCEL"},
      {"2147483647 INFO", 2147483647u, Method::Info, "INFO"},
  };
  for (const auto& c : cases) {
    auto m = Message::parse(with_cseq(c.cseq));
    ASSERT_TRUE(m) << c.cseq << ": " << m.error().detail;
    EXPECT_EQ(m->cseq().number, c.number) << c.cseq;
    EXPECT_EQ(m->cseq().method, c.method) << c.cseq;
    EXPECT_EQ(m->cseq().method_token, c.token) << c.cseq;
  }
  for (std::string_view bad : {"1 INV@TE", "1 ", "INVITE", "2147483648 INVITE", "1 INVITE x"}) {
    auto m = Message::parse(with_cseq(bad));
    ASSERT_FALSE(m) << bad;
    EXPECT_EQ(m.error().code, make_error_code(Errc::BadCSeq)) << bad;
  }
}

TEST(Message, DatagramBodyFollowsContentLength) {
  // Longer than Content-Length: truncated (RFC 3261 §18.3).
  std::string bytes = request("MESSAGE", "Content-Length: 5\r\n", "") + "hellothere";
  auto m = Message::parse(bytes);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->body(), "hello");
  EXPECT_EQ(m->bytes().size(), bytes.size() - 5);
  // No Content-Length: the rest of the datagram.
  std::string no_cl = crlf(
      "MESSAGE sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@example.com>;tag=1\n"
      "To: <sip:b@example.com>\nCall-ID: x\nCSeq: 1 MESSAGE\n\n") + "whole rest";
  auto m2 = Message::parse(no_cl);
  ASSERT_TRUE(m2) << m2.error().detail;
  EXPECT_EQ(m2->body(), "whole rest");
  // Identical duplicate Content-Length is not a conflict.
  auto m3 = Message::parse(request("MESSAGE", "Content-Length: 2\r\nl: 2\r\n", "") + "hi");
  ASSERT_TRUE(m3) << m3.error().detail;
  EXPECT_EQ(m3->body(), "hi");
}

TEST(Message, ScalarFields) {
  auto m = Message::parse(crlf("INFO sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                               "From: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>;tag=2\n"
                               "Call-ID: x\nCSeq: 7 INFO\nMax-Forwards: 0068\nMax-Forwards: 0068\nl: 0\n\n"));
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->max_forwards(), 68u);
  auto z = Message::parse(crlf("BYE sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                               "From: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>;tag=2\n"
                               "Call-ID: x\nCSeq: 0000002147483647 BYE\nMax-Forwards: 0\nl: 0\n\n"));
  ASSERT_TRUE(z) << z.error().detail;
  EXPECT_EQ(z->cseq().number, 2147483647u);
  EXPECT_EQ(z->max_forwards(), 0u);
  auto none = Message::parse(crlf("BYE sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                                  "From: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>;tag=2\n"
                                  "Call-ID: x\nCSeq: 1 BYE\nl: 0\n\n"));
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->max_forwards());
}

// The usual ";tag=token" has a shortcut; every other params form takes the
// general scan, and both must find the same tag and reject the same values.
TEST(Message, FromTagForms) {
  auto tag_of = [](std::string_view params) -> std::optional<std::string> {
    std::string bytes = crlf("BYE sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@example.com>" +
                             std::string(params) + "\nTo: <sip:b@example.com>\nCall-ID: x\nCSeq: 1 BYE\nl: 0\n\n");
    auto m = Message::parse(bytes);
    if (!m) return std::nullopt;
    return std::string(m->from_tag());
  };
  EXPECT_EQ(tag_of(";tag=9fxced76sl"), "9fxced76sl");
  EXPECT_EQ(tag_of(";TaG=Ab-1.!%*_+`'~"), "Ab-1.!%*_+`'~");
  EXPECT_EQ(tag_of(";tag=1;x=2"), "1");
  EXPECT_EQ(tag_of(";x=2;tag=1"), "1");
  EXPECT_EQ(tag_of(" ; tag = 1"), "1");
  EXPECT_EQ(tag_of(";tagx=1"), "");
  EXPECT_EQ(tag_of(""), "");
  EXPECT_FALSE(tag_of(";tag=a:b"));   // plain value, but not a token
  EXPECT_FALSE(tag_of(";tag=\"q\""));  // quoted: not a token either
  EXPECT_FALSE(tag_of(";tag="));
  EXPECT_FALSE(tag_of(";tag=a b"));
  EXPECT_FALSE(tag_of(";tag=a\x01"));
}

TEST(Message, FromAndToUrisAreParsedLazily) {
  // The eager pass checks the name-addr structure and the tags; a URI whose
  // host is malformed is found by parse_name_addr when someone needs it.
  std::string bytes = request("OPTIONS");
  bytes.replace(bytes.find("<sip:alice@atlanta.example.com>"), 31, "<sip:alice@atlanta..example.com>");
  auto m = Message::parse(bytes);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->from_tag(), "1928301774");
  auto from = parse_name_addr(m->header(HeaderId::From));
  ASSERT_FALSE(from);
  EXPECT_NE(from.error().detail.find("Bad host"), std::string::npos) << from.error().detail;
}

TEST(Message, UnknownMethodsKeepTheirToken) {
  auto m = Message::parse(request("FOOBAR", "X-Unknown-Header: some; value, here\r\n"));
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->method(), Method::Unknown);
  EXPECT_EQ(m->method_token(), "FOOBAR");
  EXPECT_EQ(m->cseq().method, Method::Unknown);
  EXPECT_EQ(m->header("x-unknown-header"), "some; value, here");
}

TEST(Message, MultipleViaHeadersAndValues) {
  auto m = Message::parse(request("OPTIONS",
                                  "Via: SIP/2.0/TCP proxy2.example.com;branch=z9hG4bK2, "
                                  "SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bK3\r\n"
                                  "v: SIP/2.0/UDP proxy4.example.com;branch=z9hG4bK4\r\n"
                                  "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
                                  "Route: \"Quoted, comma\" <sip:p3.example.com;lr>\r\n"));
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->top_via().host, "pc33.atlanta.example.com");
  auto vias = m->values(HeaderId::Via);
  ASSERT_EQ(vias.size(), 4u);
  EXPECT_EQ(vias[2], "SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bK3");
  auto routes = m->values(HeaderId::Route);
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[2], "\"Quoted, comma\" <sip:p3.example.com;lr>");
}

TEST(Message, TopViaIsFirstViaParmOfFirstViaHeader) {
  std::string bytes = crlf(
      "SIP/2.0 180 Ringing\n"
      "Via: SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bKv6;received=2001:db8::9;rport=5071,"
      " SIP/2.0/UDP other.example.com\n"
      "From: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>;tag=2\nCall-ID: v6\nCSeq: 1 INVITE\nl: 0\n\n");
  auto m = Message::parse(bytes);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_TRUE(m->top_via().host_is_ipv6);
  EXPECT_EQ(m->top_via().host, "2001:db8::1");
  EXPECT_EQ(m->top_via().port, 5070);
  EXPECT_EQ(m->top_via().received(), "2001:db8::9");
  EXPECT_EQ(m->top_via().rport(), 5071);
}

struct ErrorCase {
  const char* name;
  std::string bytes;
  Errc code;
  const char* detail;  // a substring the detail must contain
};

class MessageErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(MessageErrors, FailWithPreciseError) {
  const auto& c = GetParam();
  ParseLimits limits;
  limits.max_headers = 20;
  limits.max_line_length = 200;
  limits.max_message_size = 2000;
  auto m = Message::parse(c.bytes, limits);
  ASSERT_FALSE(m) << c.name;
  EXPECT_EQ(m.error().code, make_error_code(c.code)) << c.name << ": " << m.error().detail;
  EXPECT_NE(m.error().detail.find(c.detail), std::string::npos) << c.name << ": " << m.error().detail;
}

std::string with(std::string_view from, std::string_view to) {
  std::string s = request("OPTIONS");
  auto pos = s.find(from);
  return s.replace(pos, from.size(), to);
}

std::string many_headers(int n) {
  std::string extra;
  for (int i = 0; i < n; ++i) extra += "X-H" + std::to_string(i) + ": v\r\n";
  return request("OPTIONS", extra);
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, MessageErrors,
    ::testing::Values(
        ErrorCase{"empty", "", Errc::BadStartLine, "Empty message"},
        ErrorCase{"only crlf", "\r\n\r\n", Errc::BadStartLine, "Empty message"},
        ErrorCase{"no line end", "OPTIONS sip:a@b SIP/2.0", Errc::BadStartLine, "not terminated"},
        ErrorCase{"double SP", with("OPTIONS sip:", "OPTIONS  sip:"), Errc::BadStartLine, "Extra whitespace"},
        ErrorCase{"trailing SP", with("SIP/2.0\r\n", "SIP/2.0 \r\n"), Errc::BadStartLine, "Extra whitespace"},
        ErrorCase{"lowercase garbage", "hello world\r\n\r\n", Errc::BadStartLine, "Request line without a SIP version"},
        ErrorCase{"version 7", with("SIP/2.0\r\nVia", "SIP/7.0\r\nVia"), Errc::VersionNotSupported, "SIP/7.0"},
        ErrorCase{"bad version", with("SIP/2.0\r\nVia", "SIP/2\r\nVia"), Errc::BadStartLine, "Bad SIP version"},
        ErrorCase{"status 99", "SIP/2.0 99 Low\r\n\r\n", Errc::BadStartLine, "three digits"},
        ErrorCase{"status 1000", "SIP/2.0 1000 High\r\n\r\n", Errc::BadStartLine, "three digits"},
        ErrorCase{"status 700", "SIP/2.0 700 High\r\n\r\n", Errc::BadStartLine, "outside 100-699"},
        ErrorCase{"response version", "SIP/3.0 200 OK\r\n\r\n", Errc::VersionNotSupported, "SIP/3.0"},
        ErrorCase{"ruri in <>", with("sip:bob@biloxi.example.com SIP", "<sip:bob@biloxi.example.com> SIP"),
                  Errc::BadUri, "Request-URI"},
        ErrorCase{"ruri headers", with("sip:bob@biloxi.example.com SIP", "sip:bob@biloxi.example.com?Subject=x SIP"),
                  Errc::BadUri, "must not contain headers"},
        ErrorCase{"missing call-id", with("Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n", ""),
                  Errc::MissingHeader, "Missing Call-ID header"},
        ErrorCase{"missing via", with("Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n", ""),
                  Errc::MissingHeader, "Missing Via header"},
        ErrorCase{"missing from and to",
                  with("To: Bob <sip:bob@biloxi.example.com>\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n", ""),
                  Errc::MissingHeader, "Missing From and To headers"},
        ErrorCase{"cseq mismatch", with("CSeq: 314159 OPTIONS", "CSeq: 314159 INVITE"), Errc::BadCSeq,
                  "CSeq method INVITE does not match request method OPTIONS"},
        ErrorCase{"cseq overlarge", with("CSeq: 314159", "CSeq: 2147483648"), Errc::BadCSeq, "larger than 2^31-1"},
        ErrorCase{"cseq 2^64", with("CSeq: 314159", "CSeq: 36893488147419103232"), Errc::BadCSeq, "larger"},
        ErrorCase{"cseq no method", with("CSeq: 314159 OPTIONS", "CSeq: 314159"), Errc::BadCSeq, "method"},
        ErrorCase{"cseq no number", with("CSeq: 314159 OPTIONS", "CSeq: OPTIONS"), Errc::BadCSeq, "sequence number"},
        ErrorCase{"two call-ids", with("CSeq:", "Call-ID: other\r\nCSeq:"), Errc::BadHeaderValue, "Conflicting Call-ID"},
        ErrorCase{"two cseqs", with("Max-Forwards", "CSeq: 1 OPTIONS\r\nMax-Forwards"), Errc::BadCSeq, "Conflicting CSeq"},
        ErrorCase{"two to", with("Max-Forwards", "t: <sip:carol@example.com>\r\nMax-Forwards"), Errc::BadHeaderValue,
                  "Conflicting To"},
        ErrorCase{"two from", with("Max-Forwards", "f: <sip:carol@example.com>;tag=9\r\nMax-Forwards"), Errc::BadHeaderValue,
                  "Conflicting From"},
        ErrorCase{"two max-forwards", with("Max-Forwards: 70", "Max-Forwards: 70\r\nMax-Forwards: 69"),
                  Errc::BadHeaderValue, "Conflicting Max-Forwards"},
        ErrorCase{"two content-lengths", with("Content-Length: 0", "Content-Length: 0\r\nl: 4"), Errc::BadContentLength,
                  "Conflicting Content-Length"},
        ErrorCase{"cl larger than body", with("Content-Length: 0", "Content-Length: 10"), Errc::BadContentLength,
                  "Content-Length 10 is larger than the body (0 bytes)"},
        ErrorCase{"negative cl", with("Content-Length: 0", "Content-Length: -1"), Errc::BadContentLength, "\"-1\""},
        ErrorCase{"huge cl", with("Content-Length: 0", "Content-Length: 99999999999999999999"), Errc::BadContentLength,
                  "larger than"},
        ErrorCase{"max-forwards 300", with("Max-Forwards: 70", "Max-Forwards: 300"), Errc::BadHeaderValue,
                  "Max-Forwards value 300 is larger than 255"},
        ErrorCase{"max-forwards text", with("Max-Forwards: 70", "Max-Forwards: seventy"), Errc::BadHeaderValue,
                  "Bad Max-Forwards value"},
        ErrorCase{"no colon", with("Max-Forwards: 70", "Max-Forwards 70"), Errc::BadHeader, "no colon"},
        ErrorCase{"long name, no colon", with("Max-Forwards: 70", "Proxy-Authorization-Extended 70"), Errc::BadHeader,
                  "Header \"Proxy-Authorization-Extended\" has no colon"},
        ErrorCase{"long name, colon on the next line", with("Max-Forwards: 70", "Proxy-Authorization-X\r\nA: 70"),
                  Errc::BadHeader, "has no colon"},
        ErrorCase{"bad header name", with("Max-Forwards: 70", "Max[Forwards]: 70"), Errc::BadHeader, "no colon"},
        ErrorCase{"empty header name", with("Max-Forwards: 70", ": 70"), Errc::BadHeader, "Bad header name"},
        ErrorCase{"leading ws header", with("SIP/2.0\r\nVia", "SIP/2.0\r\n Via"), Errc::BadHeader, "starts with whitespace"},
        ErrorCase{"bare cr", with("Max-Forwards: 70", "Max-Forwards: 70\rX: y"), Errc::BadHeader, "Bare CR"},
        ErrorCase{"unterminated headers", crlf("OPTIONS sip:a@example.com SIP/2.0\nVia: SIP/2.0/UDP h\n"), Errc::BadHeader,
                  "without the empty line"},
        ErrorCase{"via no sent-by", with("SIP/2.0/UDP pc33.atlanta.example.com;", "SIP/2.0/UDP ;"), Errc::BadVia,
                  "sent-by"},
        ErrorCase{"via empty params", with("branch=z9hG4bK776asdhds", "branch=z9hG4bK776asdhds;;"), Errc::BadVia,
                  "empty parameter name"},
        ErrorCase{"via bad port", with("pc33.atlanta.example.com;", "pc33.atlanta.example.com:70000;"), Errc::BadVia,
                  "bad port"},
        ErrorCase{"via received without value", with("branch=z9hG4bK776asdhds", "branch=z9hG4bK776asdhds;received"),
                  Errc::BadVia, "received is not an IP address"},
        ErrorCase{"via ttl without value", with("branch=z9hG4bK776asdhds", "branch=z9hG4bK776asdhds;ttl"), Errc::BadVia,
                  "bad ttl"},
        ErrorCase{"via bad ipv6", with("pc33.atlanta.example.com;", "[2001:db8::1;"), Errc::BadVia, "IPv6"},
        ErrorCase{"via transport then space", with("SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n",
                                                    "SIP/2.0/UDP \r\n"),
                  Errc::BadVia, "Bad Via (missing sent-by): \"SIP/2.0/UDP\""},
        ErrorCase{"empty via", with("Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds", "Via:"),
                  Errc::BadVia, "Empty Via"},
        ErrorCase{"to unterminated quote", with("To: Bob <", "To: \"Bob <"), Errc::BadHeaderValue, "unterminated"},
        ErrorCase{"to spaces in <>", with("To: Bob <sip:bob@biloxi.example.com>", "To: Bob < sip:bob@biloxi.example.com >"),
                  Errc::BadHeaderValue, "whitespace inside <>"},
        ErrorCase{"from display comma", with("From: Alice <", "From: Liddell, Alice <"), Errc::BadHeaderValue,
                  "display name"},
        ErrorCase{"from junk after uri", with(";tag=1928301774", ";tag=1928301774 junk"), Errc::BadHeaderValue,
                  "expected ';'"},
        ErrorCase{"to two values", with("To: Bob <sip:bob@biloxi.example.com>", "To: <sip:a@example.com>, <sip:b@example.com>"),
                  Errc::BadHeaderValue, "To"},
        ErrorCase{"from bad uri chars", with("<sip:alice@atlanta.example.com>", "<sip:alice@atlanta.exa{mple.com>"),
                  Errc::BadHeaderValue, "Bad URI in From header"},
        ErrorCase{"to without scheme", with("To: Bob <sip:bob@biloxi.example.com>", "To: bob"), Errc::BadHeaderValue,
                  "Bad URI in To header"},
        ErrorCase{"call-id space", with("Call-ID: a84b4c76e66710@", "Call-ID: a84b 4c76e66710@"), Errc::BadHeaderValue,
                  "Call-ID"},
        ErrorCase{"empty call-id", with("Call-ID: a84b4c76e66710@pc33.atlanta.example.com", "Call-ID:"),
                  Errc::BadHeaderValue, "Empty Call-ID"},
        ErrorCase{"too many headers", many_headers(20), Errc::TooManyHeaders, "Too many headers (more than 20)"},
        ErrorCase{"line too long", request("OPTIONS", "Subject: " + std::string(300, 'a') + "\r\n"), Errc::LineTooLong,
                  "longer than the line limit (200 bytes)"},
        ErrorCase{"start line too long", "OPTIONS sip:" + std::string(300, 'a') + "@b SIP/2.0\r\n\r\n", Errc::LineTooLong,
                  "Start line"},
        ErrorCase{"message too large", request("MESSAGE", "", std::string(2000, 'b')), Errc::MessageTooLarge,
                  "larger than the limit (2000 bytes)"}),
    [](const ::testing::TestParamInfo<ErrorCase>& i) {
      std::string n = i.param.name;
      for (char& c : n)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

TEST(Errc, StatusAndCategory) {
  EXPECT_EQ(status_for(Error{make_error_code(Errc::BadCSeq)}), 400);
  EXPECT_EQ(status_for(Error{make_error_code(Errc::VersionNotSupported)}), 505);
  EXPECT_EQ(status_for(Error{make_error_code(Errc::MessageTooLarge)}), 513);
  EXPECT_EQ(status_for(Error{std::make_error_code(std::errc::io_error)}), 400);
  EXPECT_STREQ(sip_category().name(), "sip");
  std::error_code ec = Errc::BadVia;  // is_error_code_enum
  EXPECT_EQ(ec.category(), sip_category());
  EXPECT_FALSE(ec.message().empty());
  EXPECT_EQ(Error{ec}.what(), ec.message());
}

TEST(Method, NamesRoundTrip) {
  for (int i = 1; i <= static_cast<int>(Method::Publish); ++i) {
    auto m = static_cast<Method>(i);
    EXPECT_EQ(parse_method(method_name(m)), m);
  }
  EXPECT_EQ(parse_method("invite"), Method::Unknown);  // case-sensitive
  EXPECT_EQ(parse_method("INVITEX"), Method::Unknown);
  EXPECT_EQ(method_name(Method::Unknown), "");
}

}  // namespace
}  // namespace callwire::sip
