#include <gtest/gtest.h>

#include "sip/message/builder.hpp"
#include "sip/message/errc.hpp"
#include "test_util.hpp"

namespace callwire::sip {
namespace {

using test::crlf;

Error parse_error(const std::string& bytes, const ParseLimits& limits = {}) {
  auto m = Message::parse(bytes, limits);
  EXPECT_FALSE(m) << bytes;
  return m ? Error{} : m.error();
}

TEST(ErrorResponse, BadCSeqGets400WithWarningAndReason) {
  std::string bytes = crlf(
      "OPTIONS sip:bob@example.com SIP/2.0\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
      "Via: SIP/2.0/UDP b.example.com;branch=z9hG4bK0\n"
      "From: <sip:alice@example.com>;tag=f1\n"
      "To: <sip:bob@example.com>\n"
      "Call-ID: e1\n"
      "CSeq: 1 INVITE\n"
      "Content-Length: 0\n\n");
  Error err = parse_error(bytes);
  auto out = error_response(bytes, err);
  ASSERT_TRUE(out);
  auto m = Message::parse(*out);
  ASSERT_TRUE(m) << m.error().detail << "\n" << *out;
  EXPECT_EQ(m->status(), 400);
  EXPECT_EQ(m->values(HeaderId::Via), (std::vector<std::string_view>{"SIP/2.0/UDP a.example.com;branch=z9hG4bK1",
                                                                     "SIP/2.0/UDP b.example.com;branch=z9hG4bK0"}));
  EXPECT_EQ(m->from_tag(), "f1");
  EXPECT_FALSE(m->to_tag().empty());
  EXPECT_EQ(m->call_id(), "e1");
  EXPECT_EQ(m->header(HeaderId::CSeq), "1 INVITE");
  EXPECT_EQ(m->header(HeaderId::Warning),
            "399 callwire \"CSeq method INVITE does not match request method OPTIONS\"");
  EXPECT_EQ(m->header(HeaderId::Reason),
            "SIP;cause=400;text=\"CSeq method INVITE does not match request method OPTIONS\"");
  // Retransmissions get the same To tag (it is derived, not random).
  EXPECT_EQ(*error_response(bytes, err), *out);
}

TEST(ErrorResponse, VersionAndSizeStatuses) {
  std::string v7 = crlf(
      "OPTIONS sip:bob@example.com SIP/7.0\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
      "From: <sip:alice@example.com>;tag=f1\nTo: <sip:bob@example.com>;tag=t1\nCall-ID: e2\nCSeq: 1 OPTIONS\n\n");
  auto out = error_response(v7, parse_error(v7));
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->starts_with("SIP/2.0 505 Version Not Supported\r\n")) << *out;
  EXPECT_NE(out->find("To: <sip:bob@example.com>;tag=t1\r\n"), std::string::npos) << *out;

  std::string big = test::request("MESSAGE", "", std::string(3000, 'x'));
  ParseLimits small;
  small.max_message_size = 1000;
  auto too_big = error_response(big, parse_error(big, small));
  ASSERT_TRUE(too_big);
  EXPECT_TRUE(too_big->starts_with("SIP/2.0 513 Message Too Large\r\n")) << *too_big;
  EXPECT_TRUE(Message::parse(*too_big));
}

TEST(ErrorResponse, FoldedAndCompactHeadersAreFound) {
  std::string bytes = crlf(
      "INVITE sip:bob@example.com SIP/2.0\n"
      "v: SIP/2.0/UDP a.example.com\n ;branch=z9hG4bK1\n"
      "f: <sip:alice@example.com>;tag=f1\n"
      "t: \"Bob\n <sip:bob@example.com>\n"  // unterminated quote: the reason it fails
      "i: e3\n"
      "CSeq: 5 INVITE\n\n");
  Error err = parse_error(bytes);
  auto out = error_response(bytes, err);
  ASSERT_TRUE(out);
  EXPECT_NE(out->find("Via: SIP/2.0/UDP a.example.com ;branch=z9hG4bK1\r\n"), std::string::npos) << *out;
  EXPECT_NE(out->find("To: \"Bob <sip:bob@example.com>\r\n"), std::string::npos) << *out;  // no tag added to garbage
  EXPECT_NE(out->find("Call-ID: e3\r\n"), std::string::npos);
}

TEST(ErrorResponse, QuotesTheDetailSafely) {
  std::string bytes = test::request("OPTIONS");
  Error err{make_error_code(Errc::BadHeaderValue), "bad \"thing\" \\ here\r\nX: y"};
  auto out = error_response(bytes, err);
  ASSERT_TRUE(out);
  auto m = Message::parse(*out);
  ASSERT_TRUE(m) << *out;
  EXPECT_EQ(m->header(HeaderId::Warning), "399 callwire \"bad \\\"thing\\\" \\\\ here  X: y\"");
  EXPECT_EQ(m->header("X"), "");
}

TEST(ErrorResponse, NothingForResponsesAcksOrMissingHeaders) {
  Error err{make_error_code(Errc::BadHeader), "x"};
  EXPECT_FALSE(error_response(test::typical_ok(), err));
  EXPECT_FALSE(error_response(test::request("ACK"), err));
  std::string ack_cseq = test::request("OPTIONS");
  ack_cseq.replace(ack_cseq.find("314159 OPTIONS"), 14, "314159 ACK");
  EXPECT_FALSE(error_response(ack_cseq, err));
  for (const char* drop : {"Via:", "From:", "To:", "Call-ID:", "CSeq:"}) {
    std::string bytes = test::request("OPTIONS");
    auto pos = bytes.find(drop);
    bytes.erase(pos, bytes.find("\r\n", pos) + 2 - pos);
    EXPECT_FALSE(error_response(bytes, err)) << drop;
  }
  EXPECT_FALSE(error_response("", err));
  EXPECT_FALSE(error_response("\r\n\r\n", err));
  EXPECT_FALSE(error_response(std::string("\0\xff\x01 garbage", 12), err));
  EXPECT_FALSE(error_response("INVITE", err));
}

TEST(ErrorResponse, HugeValuesAreNotEchoed) {
  std::string bytes = test::request("OPTIONS", "Via: SIP/2.0/UDP " + std::string(9000, 'a') + "\r\n");
  EXPECT_FALSE(error_response(bytes, Error{make_error_code(Errc::LineTooLong), "x"}));
}

}  // namespace
}  // namespace callwire::sip
