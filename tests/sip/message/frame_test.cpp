#include <gtest/gtest.h>

#include "sip/message/errc.hpp"
#include "sip/message/message.hpp"
#include "sip/message/message_framer.hpp"
#include "test_util.hpp"

namespace callwire::sip {
namespace {

using test::crlf;

bool incomplete(const Result<Frame>& f) { return !f && f.error().code == make_error_code(Errc::Incomplete); }

TEST(FrameStream, CompleteMessageWithBody) {
  std::string msg = test::typical_invite();
  auto f = frame_stream(msg + "INVITE next");
  ASSERT_TRUE(f) << f.error().what();
  EXPECT_EQ(f->skip, 0u);
  EXPECT_EQ(f->size, msg.size());
}

TEST(FrameStream, IncompleteUntilTheLastBodyByte) {
  std::string msg = test::typical_invite();
  for (std::size_t n = 0; n < msg.size(); ++n) EXPECT_TRUE(incomplete(frame_stream(msg.substr(0, n)))) << n;
  EXPECT_TRUE(frame_stream(msg));
}

TEST(FrameStream, SkipsKeepAlives) {
  std::string msg = test::request("OPTIONS");
  auto f = frame_stream("\r\n\r\n\n" + msg);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->skip, 5u);
  EXPECT_EQ(f->size, msg.size());
  EXPECT_TRUE(incomplete(frame_stream("\r\n\r\n")));
  EXPECT_TRUE(incomplete(frame_stream("\r\n\r")));
  EXPECT_EQ(keepalive_prefix("\r\n\r\nOPTIONS"), 4u);
  EXPECT_EQ(keepalive_prefix("\r\n\r"), 2u);
  EXPECT_EQ(keepalive_prefix("OPTIONS"), 0u);
}

TEST(FrameStream, BareLineFeedsAndFoldedContentLength) {
  std::string lf = "OPTIONS sip:a@example.com SIP/2.0\nVia: SIP/2.0/TCP h\nContent-Length: 3\n\nabcNEXT";
  auto f = frame_stream(lf);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->size, lf.size() - 4);
  std::string folded = crlf("OPTIONS sip:a@example.com SIP/2.0\nContent-Length:\n   2\nX: y\n\n") + "hiXX";
  auto g = frame_stream(folded);
  ASSERT_TRUE(g) << g.error().what();
  EXPECT_EQ(g->size, folded.size() - 2);
  std::string compact = crlf("OPTIONS sip:a@example.com SIP/2.0\nL : 1\n\n") + "z";
  ASSERT_TRUE(frame_stream(compact));
  EXPECT_EQ(frame_stream(compact)->size, compact.size());
}

TEST(FrameStream, Errors) {
  auto code = [](std::string_view bytes, const ParseLimits& l = {}) {
    auto f = frame_stream(bytes, l);
    EXPECT_FALSE(f) << bytes;
    return f ? Errc{} : static_cast<Errc>(f.error().code.value());
  };
  EXPECT_EQ(code(crlf("OPTIONS sip:a@b SIP/2.0\nVia: x\n\n")), Errc::BadContentLength);  // mandatory on streams
  EXPECT_EQ(code(crlf("OPTIONS sip:a@b SIP/2.0\nContent-Length: 1\nl: 2\n\n")), Errc::BadContentLength);
  EXPECT_EQ(code(crlf("OPTIONS sip:a@b SIP/2.0\nContent-Length: -1\n\n")), Errc::BadContentLength);
  EXPECT_EQ(code(crlf("OPTIONS sip:a@b SIP/2.0\nContent-Length: 99999999999999\n\n")), Errc::BadContentLength);
  ParseLimits l;
  l.max_message_size = 1000;
  l.max_line_length = 100;
  EXPECT_EQ(code(crlf("OPTIONS sip:a@b SIP/2.0\nContent-Length: 2000\n\n"), l), Errc::MessageTooLarge);
  EXPECT_EQ(code("OPTIONS sip:a@b SIP/2.0\r\nSubject: " + std::string(200, 'x'), l), Errc::LineTooLong);
  EXPECT_EQ(code("OPTIONS sip:a@b SIP/2.0\r\nSubject: " + std::string(200, 'x') + "\r\n", l), Errc::LineTooLong);
  std::string endless = "OPTIONS sip:a@b SIP/2.0\r\n";
  while (endless.size() < 1100) endless += "X-Pad: 0123456789\r\n";
  EXPECT_EQ(code(endless, l), Errc::MessageTooLarge);
  // Identical duplicates are fine.
  EXPECT_TRUE(frame_stream(crlf("OPTIONS sip:a@b SIP/2.0\nContent-Length: 0\nl: 0\n\n")));
}

// Several messages back to back, delivered split at every byte boundary:
// each must come out whole and identical, however the stream was cut.
TEST(FrameStream, GrindEverySplitPoint) {
  std::vector<std::string> msgs = {
      test::typical_invite(),
      "\r\n\r\n" + test::request("OPTIONS"),
      test::typical_ok(),
      test::request("MESSAGE", "Content-Type: text/plain\r\n", "body with\r\n\r\nblank lines"),
      crlf("BYE sip:bob@example.com SIP/2.0\nVia: SIP/2.0/TCP h.example.com;branch=z9hG4bKb\n"
           "From: <sip:a@example.com>;tag=1\nTo: <sip:bob@example.com>;tag=2\nCall-ID: g\n"
           "CSeq: 3 BYE\nl:\n 0\n\n"),
  };
  std::string stream;
  for (const auto& m : msgs) stream += m;

  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    std::string buffer;
    std::vector<std::string> out;
    auto drain = [&]() {
      while (true) {
        auto f = frame_stream(buffer);
        if (!f) {
          ASSERT_TRUE(incomplete(f)) << "cut " << cut << ": " << f.error().what();
          return;
        }
        out.push_back(buffer.substr(f->skip, f->size));
        buffer.erase(0, f->skip + f->size);
      }
    };
    buffer.append(stream, 0, cut);
    drain();
    buffer.append(stream, cut);
    drain();
    ASSERT_EQ(out.size(), msgs.size()) << "cut " << cut;
    for (std::size_t i = 0; i < msgs.size(); ++i) {
      std::string expected = msgs[i].substr(keepalive_prefix(msgs[i]));
      ASSERT_EQ(out[i], expected) << "cut " << cut << " message " << i;
      auto m = Message::parse(out[i]);
      ASSERT_TRUE(m) << "cut " << cut << " message " << i << ": " << m.error().detail;
    }
    EXPECT_EQ(buffer, "");
  }
}

// Byte by byte, as the slowest peer would send it.
TEST(FrameStream, ByteAtATime) {
  std::string stream = test::typical_invite() + test::typical_ok() + "\r\n\r\n" + test::request("OPTIONS");
  std::string buffer;
  int messages = 0;
  for (char c : stream) {
    buffer += c;
    auto f = frame_stream(buffer);
    if (!f) {
      ASSERT_TRUE(incomplete(f));
      continue;
    }
    ASSERT_TRUE(Message::parse(std::string_view(buffer).substr(f->skip, f->size)));
    buffer.erase(0, f->skip + f->size);
    ++messages;
  }
  EXPECT_EQ(messages, 3);
}

}  // namespace
}  // namespace callwire::sip

namespace callwire::sip {
namespace {

// The resumable framer answers exactly as frame_stream does, call by call,
// whatever the stream's cut points.
TEST(MessageFramer, AgreesWithFrameStreamByteByByte) {
  std::string stream = "\r\n\r\n" + test::typical_invite() + test::typical_ok() + "\r\n" +
                       crlf("OPTIONS sip:a@example.com SIP/2.0\nContent-Length:\n 2\nl: 2\n\nhi") +
                       crlf("OPTIONS sip:a@example.com SIP/2.0\nContent-Length: 1\nl: 2\n\n");  // ends in an error
  ParseLimits limits;
  MessageFramer framer(limits);
  std::string buffer;
  int frames = 0;
  bool failed = false;
  for (char c : stream) {
    buffer += c;
    auto a = framer.next(buffer);
    auto b = frame_stream(buffer, limits);
    ASSERT_EQ(a.has_value(), b.has_value()) << buffer.size();
    if (!a) {
      ASSERT_EQ(a.error().code, b.error().code);
      ASSERT_EQ(a.error().detail, b.error().detail);
      if (!incomplete(a)) {
        failed = true;
        break;
      }
      continue;
    }
    ASSERT_EQ(a->skip, b->skip);
    ASSERT_EQ(a->size, b->size);
    buffer.erase(0, a->skip + a->size);
    framer.reset();
    ++frames;
  }
  EXPECT_EQ(frames, 3);
  EXPECT_TRUE(failed);
  auto again = framer.next(buffer + "more");  // errors stick until reset()
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, make_error_code(Errc::BadContentLength));
}

TEST(MessageFramer, ErrorsAndLimitsMatchFrameStream) {
  ParseLimits l;
  l.max_message_size = 1000;
  l.max_line_length = 100;
  std::string endless = "OPTIONS sip:a@b SIP/2.0\r\n";
  while (endless.size() < 1100) endless += "X-Pad: 0123456789\r\n";
  for (std::string bytes : {"OPTIONS sip:a@b SIP/2.0\r\nSubject: " + std::string(200, 'x'),
                            crlf("OPTIONS sip:a@b SIP/2.0\nContent-Length: 2000\n\n"), endless,
                            crlf("OPTIONS sip:a@b SIP/2.0\nVia: x\n\n"), std::string(50, '\n') + "\r"}) {
    MessageFramer framer(l);
    for (std::size_t n = 0; n <= bytes.size(); ++n) {
      std::string_view part = std::string_view(bytes).substr(0, n);
      auto a = framer.next(part);
      auto b = frame_stream(part, l);
      ASSERT_EQ(a.has_value(), b.has_value()) << n;
      if (!a) {
        ASSERT_EQ(a.error().code, b.error().code) << n << ": " << b.error().what();
        if (!incomplete(a)) break;
      }
    }
  }
}

// A peer trickling a maximal header block one byte at a time: the work is
// linear in its size (frame_stream on the growing buffer would redo all of
// it on every byte, about size^2 / 2).
TEST(MessageFramer, TrickledHeadersCostLinearWork) {
  std::string stream = "OPTIONS sip:a@example.com SIP/2.0\r\n";
  while (stream.size() < 60000) stream += "X-Filler: 0123456789abcdef0123456789abcdef\r\n";
  stream += "Content-Length: 0\r\n\r\n";
  MessageFramer framer;
  std::string buffer;
  std::size_t calls = 0;
  for (char c : stream) {
    buffer += c;
    ++calls;
    auto f = framer.next(buffer);
    if (f) {
      EXPECT_EQ(f->size, stream.size());
      break;
    }
    ASSERT_TRUE(incomplete(f)) << f.error().what();
  }
  EXPECT_EQ(calls, stream.size());
  EXPECT_LE(framer.work(), 3 * stream.size() + 2 * calls);
}

}  // namespace
}  // namespace callwire::sip
