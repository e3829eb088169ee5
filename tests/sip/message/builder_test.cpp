#include "sip/message/builder.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace callwire::sip {
namespace {

using test::crlf;

Message parse_ok(const std::string& bytes) {
  auto m = Message::parse(bytes);
  EXPECT_TRUE(m) << (m ? "" : m.error().detail) << "\n" << bytes;
  return std::move(*m);
}

const char* kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK1, SIP/2.0/TCP client.example.com;branch=z9hG4bK0\n"
    "v: SIP/2.0/UDP first.example.com;branch=z9hG4bKa;received=192.0.2.7\n"
    "Max-Forwards: 69\n"
    "f: \"Alice\" <sip:alice@atlanta.example.com>;tag=88\n"
    "t: Bob <sip:bob@biloxi.example.com>\n"
    "i: cid-1@atlanta\n"
    "CSeq: 7 INVITE\n"
    "Record-Route: <sip:proxy.example.com;lr>\n"
    "Content-Length: 0\n\n";

TEST(Builder, ResponseToCopiesViasInOrderAndDialogHeaders) {
  Message req = parse_ok(crlf(kInvite));
  std::string out = Builder::response_to(req, 180, {}, "bobtag").build();
  EXPECT_EQ(out, crlf("SIP/2.0 180 Ringing\n"
                      "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK1, SIP/2.0/TCP client.example.com;branch=z9hG4bK0\n"
                      "Via: SIP/2.0/UDP first.example.com;branch=z9hG4bKa;received=192.0.2.7\n"
                      "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=88\n"
                      "To: Bob <sip:bob@biloxi.example.com>;tag=bobtag\n"
                      "Call-ID: cid-1@atlanta\n"
                      "CSeq: 7 INVITE\n"
                      "Content-Length: 0\n\n"));
  Message back = parse_ok(out);
  EXPECT_EQ(back.status(), 180);
  EXPECT_EQ(back.to_tag(), "bobtag");
  EXPECT_EQ(back.from_tag(), "88");
  EXPECT_EQ(back.call_id(), req.call_id());
  EXPECT_EQ(back.top_via().branch(), "z9hG4bK1");
  EXPECT_EQ(back.values(HeaderId::Via).size(), 3u);
}

TEST(Builder, ToTagRules) {
  Message req = parse_ok(crlf(kInvite));
  // Never on 100 Trying.
  Message trying = parse_ok(Builder::response_to(req, 100, {}, "bobtag").build());
  EXPECT_EQ(trying.to_tag(), "");
  EXPECT_EQ(trying.reason_phrase(), "Trying");
  // No tag given: none added.
  EXPECT_EQ(parse_ok(Builder::response_to(req, 486).build()).to_tag(), "");
  // The request's To already has a tag (in-dialog): kept, not replaced.
  std::string in_dialog = crlf(kInvite);
  in_dialog.replace(in_dialog.find("t: Bob <sip:bob@biloxi.example.com>"), 35, "t: Bob <sip:bob@biloxi.example.com>;tag=old");
  Message re = parse_ok(in_dialog);
  Message ok = parse_ok(Builder::response_to(re, 200, "Fine", "new").build());
  EXPECT_EQ(ok.to_tag(), "old");
  EXPECT_EQ(ok.reason_phrase(), "Fine");
}

// response_to_tag() names the tag response_to() writes: the request's own,
// else the given one, never on a 100.
TEST(Builder, ResponseToTagIsTheTagTheResponseCarries) {
  Message fresh = parse_ok(crlf(kInvite));
  std::string in_dialog = crlf(kInvite);
  in_dialog.replace(in_dialog.find("t: Bob <sip:bob@biloxi.example.com>"), 35, "t: Bob <sip:bob@biloxi.example.com>;tag=old");
  Message re = parse_ok(in_dialog);
  for (const Message* req : {&fresh, &re}) {
    for (int status : {100, 180, 200, 486}) {
      for (std::string_view tag : {std::string_view{}, std::string_view{"bobtag"}}) {
        const std::string_view expected = req == &re ? std::string_view{"old"} : status == 100 ? std::string_view{} : tag;
        Message sent = parse_ok(Builder::response_to(*req, status, {}, tag).build());
        EXPECT_EQ(sent.to_tag(), expected) << status << " " << tag;
        EXPECT_EQ(Builder::response_to_tag(*req, status, tag), expected) << status << " " << tag;
      }
    }
  }
}

TEST(Builder, ResponseToWithReceivedTopVia) {
  Message req = parse_ok(crlf(kInvite));
  std::string out =
      Builder::response_to(req, 200, {}, "t", "SIP/2.0/UDP proxy.example.com;branch=z9hG4bK1;received=10.0.0.1").build();
  Message back = parse_ok(out);
  auto vias = back.values(HeaderId::Via);
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(vias[0], "SIP/2.0/UDP proxy.example.com;branch=z9hG4bK1;received=10.0.0.1");
  EXPECT_EQ(vias[1], "SIP/2.0/TCP client.example.com;branch=z9hG4bK0");
  EXPECT_EQ(back.top_via().received(), "10.0.0.1");
}

TEST(Builder, RequestWithBodyAlwaysHasContentLength) {
  std::string out = Builder::request("MESSAGE", "sip:bob@example.com")
                        .header(HeaderId::Via, "SIP/2.0/UDP h.example.com;branch=z9hG4bKm")
                        .header("From", "<sip:a@example.com>;tag=1")
                        .header(HeaderId::To, "<sip:bob@example.com>")
                        .header(HeaderId::CallId, "m1")
                        .header("CSeq", "1 MESSAGE")
                        .header("Content-Length", "999")  // ignored: build() computes it
                        .header(HeaderId::ContentLength, "999")
                        .header("X-Evil", "a\r\nInjected: yes")
                        .body("text/plain", "hello")
                        .build();
  Message m = parse_ok(out);
  EXPECT_EQ(m.method(), Method::Message);
  EXPECT_EQ(m.body(), "hello");
  EXPECT_EQ(m.header(HeaderId::ContentType), "text/plain");
  EXPECT_EQ(m.values(HeaderId::ContentLength), std::vector<std::string_view>{"5"});
  EXPECT_EQ(m.header("X-Evil"), "a  Injected: yes");
  EXPECT_EQ(m.header("Injected"), "");
  EXPECT_TRUE(out.ends_with("\r\n\r\nhello"));
}

TEST(Builder, ResponseDefaultAndCustomReason) {
  EXPECT_TRUE(Builder::response(404).build().starts_with("SIP/2.0 404 Not Found\r\n"));
  EXPECT_TRUE(Builder::response(404, "Nobody\r\nHere").build().starts_with("SIP/2.0 404 Nobody  Here\r\n"));
  EXPECT_TRUE(Builder::response(299).build().starts_with("SIP/2.0 299 Unknown\r\n"));
  EXPECT_TRUE(Builder::response(200).build().ends_with("Content-Length: 0\r\n\r\n"));
}

TEST(Builder, EveryCrOrLfOfAValueBecomesASpaceWhateverItsPlace) {
  // Values of 1 to 80 bytes with a CR or LF at each place: the cleaning loop's
  // vector steps and its tail must both catch it.
  for (std::size_t size = 1; size <= 80; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      for (char bad : {'\r', '\n'}) {
        std::string value(size, 'v');
        value[at] = bad;
        std::string out = Builder::response(200).header("X-Long", value).build();
        std::string expected = value;
        expected[at] = ' ';
        EXPECT_NE(out.find("X-Long: " + expected + "\r\n"), std::string::npos) << size << " " << at;
        EXPECT_EQ(std::count(out.begin(), out.end(), '\r'), 4) << size << " " << at;
      }
    }
  }
}

TEST(ReasonPhrase, KnowsRfc3261AndLaterCodes) {
  for (int code : {100, 180, 181, 182, 183, 199, 200, 202, 204, 300, 301, 302, 305, 380, 400, 401, 402, 403, 404, 405,
                   406, 407, 408, 410, 412, 413, 414, 415, 416, 417, 420, 421, 422, 423, 424, 428, 429, 430, 433, 436,
                   437, 438, 439, 440, 470, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 491, 493, 494, 500, 501,
                   502, 503, 504, 505, 513, 580, 600, 603, 604, 606, 607, 608})
    EXPECT_NE(reason_phrase(code), "Unknown") << code;
  EXPECT_EQ(reason_phrase(481), "Call/Transaction Does Not Exist");
  EXPECT_EQ(reason_phrase(607), "Unwanted");
  EXPECT_EQ(reason_phrase(1), "Unknown");
}

}  // namespace
}  // namespace callwire::sip
