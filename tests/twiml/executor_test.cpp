// The executor against a recording CallControl: the order of SIP-facing
// actions each document produces (contract 8.4).
#include "twiml/executor.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace callwire::twiml {
namespace {

class RecordingCall final : public CallControl {
 public:
  bool answered() const override { return answered_; }
  void answer() override {
    if (!answered_) log.push_back("answer");
    answered_ = true;
  }
  void reject(int status, std::string_view call_status) override {
    log.push_back("reject " + std::to_string(status) + " " + std::string(call_status));
  }
  void hangup() override { log.push_back(answered_ ? "bye" : "answer+bye"); }
  void fetch(std::string url, std::string method) override { log.push_back("fetch " + method + " " + url); }
  void after(std::chrono::milliseconds d, std::function<void()> then) override {
    log.push_back("wait " + std::to_string(d.count()));
    pending = std::move(then);
  }
  void alert(int code, AlertLevel, std::string message) override {
    log.push_back("alert " + std::to_string(code));
    messages.push_back(std::move(message));
  }
  // Logs the pieces as "text text [break 1s] ..." with SSML attributes in braces.
  void say(std::vector<SpeechPiece> pieces, std::string voice, std::string language, unsigned loop,
           MediaDone done) override {
    std::string text;
    for (const auto& p : pieces) {
      if (!text.empty()) text += ' ';
      if (p.is_break) {
        text += "[break " + p.time + p.strength + "]";
        continue;
      }
      text += p.text;
      std::string attrs = p.emphasis + p.rate + p.pitch + p.volume + p.say_as;
      if (!attrs.empty()) text += "{" + attrs + "}";
    }
    log.push_back("say " + text + "|" + voice + "|" + language + "|" + std::to_string(loop));
    media(std::move(done));
  }
  void play(std::string url, unsigned loop, MediaDone done) override {
    log.push_back("play " + url + "|" + std::to_string(loop));
    media(std::move(done));
  }
  void play_digits(std::string digits, MediaDone done) override {
    log.push_back("digits " + digits);
    media(std::move(done));
  }
  void stop_media() override { log.push_back("stop"); }
  // Media ends at once, inside the call (inline_media), or later (pending_media).
  void media(MediaDone done) {
    if (inline_media) {
      done(MediaEnd::Done);
    } else {
      pending_media = std::move(done);
    }
  }
  std::vector<std::string> log;
  std::vector<std::string> messages;
  std::function<void()> pending;
  MediaDone pending_media;
  bool inline_media = true;
  bool answered_ = false;
};

std::vector<std::string> run(const std::string& xml, RecordingCall& call, ExecutorConfig config = {}) {
  auto doc = parse_document(xml);
  EXPECT_TRUE(doc) << doc.error().what();
  Executor ex(call, std::move(*doc), "https://app.example.com/voice/start?x=1", config);
  ex.run();
  if (call.pending) {
    auto then = std::move(call.pending);
    call.pending = nullptr;
    then();
  }
  return call.log;
}

using Log = std::vector<std::string>;

TEST(Executor, RejectBusyIs486) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Reject reason=\"busy\"/><Hangup/></Response>", c), (Log{"reject 486 busy"}));
}

TEST(Executor, RejectDefaultIs404OrConfigured603) {
  RecordingCall a;
  EXPECT_EQ(run("<Response><Reject/></Response>", a), (Log{"reject 404 no-answer"}));
  RecordingCall b;
  EXPECT_EQ(run("<Response><Reject reason=\"rejected\"/></Response>", b, ExecutorConfig{603}),
            (Log{"reject 603 no-answer"}));
}

TEST(Executor, HangupFirstAnswersThenEnds) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Hangup/><Reject/></Response>", c), (Log{"answer+bye"}));
}

TEST(Executor, EndOfDocumentHangsUp) {
  RecordingCall c;
  EXPECT_EQ(run("<Response/>", c), (Log{"answer+bye"}));
}

TEST(Executor, RedirectResolvesRelativeUrlAndStopsThisDocument) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Redirect>next?step=2</Redirect><Hangup/></Response>", c),
            (Log{"fetch POST https://app.example.com/voice/next?step=2"}));
  RecordingCall g;
  EXPECT_EQ(run("<Response><Redirect method=\"get\">/other</Redirect></Response>", g),
            (Log{"fetch GET https://app.example.com/other"}));
}

TEST(Executor, RedirectWithBadMethodIs13710) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Redirect method=\"PUT\">/x</Redirect></Response>", c), (Log{"alert 13710", "answer+bye"}));
}

TEST(Executor, PauseFirstKeepsRingingThenContinues) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Pause length=\"3\"/><Reject reason=\"busy\"/></Response>", c),
            (Log{"wait 3000", "reject 486 busy"}));
}

TEST(Executor, BadPauseLengthIs13910AndPausesOneSecond) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Pause length=\"abc\"/><Hangup/></Response>", c),
            (Log{"alert 13910", "wait 1000", "answer+bye"}));
}

TEST(Executor, VerbsWithoutMediaSupportAnswerWarnAndAreSkipped) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Record/><Hangup/></Response>", c), (Log{"answer", "alert 12200", "bye"}));
  EXPECT_NE(c.messages.at(0).find("<Record>"), std::string::npos);
}

TEST(Executor, SayAnswersSpeaksThenContinues) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Say voice=\"alice\" language=\"en-GB\" loop=\"2\">Hello there</Say><Hangup/></Response>", c),
            (Log{"answer", "say Hello there|alice|en-GB|2", "bye"}));
}

TEST(Executor, SayWaitsForPlaybackToEnd) {
  RecordingCall c;
  c.inline_media = false;
  auto doc = parse_document("<Response><Say>One</Say><Say loop=\"0\">Two</Say></Response>");
  ASSERT_TRUE(doc);
  Executor ex(c, std::move(*doc), "https://app.example.com/voice");
  ex.run();
  EXPECT_EQ(c.log, (Log{"answer", "say One|||1"}));
  ASSERT_TRUE(c.pending_media);
  auto done = std::move(c.pending_media);
  done(MediaEnd::Done);
  EXPECT_EQ(c.log.back(), "say Two|||0");
  EXPECT_FALSE(ex.finished());
  done = std::move(c.pending_media);
  done(MediaEnd::Interrupted);  // interrupted media goes on too
  EXPECT_EQ(c.log.back(), "bye");
  EXPECT_TRUE(ex.finished());
}

TEST(Executor, MediaEndingAfterTheExecutorIsGoneDoesNothing) {
  RecordingCall c;
  c.inline_media = false;
  {
    auto doc = parse_document("<Response><Say>One</Say><Hangup/></Response>");
    ASSERT_TRUE(doc);
    Executor ex(c, std::move(*doc), "https://app.example.com/voice");
    ex.run();
  }
  c.pending_media(MediaEnd::Done);
  EXPECT_EQ(c.log, (Log{"answer", "say One|||1"}));
}

TEST(Executor, SayTextIncludesSsmlChildren) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Say>Hi <emphasis>you</emphasis></Say></Response>", c),
            (Log{"answer", "say Hi you{moderate}|||1", "bye"}));
}

TEST(Executor, SaySsmlPiecesKeepDocumentOrderAndAttributes) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Say voice=\"Polly.Joanna\">One <break time=\"1s\"/> two "
                "<prosody rate=\"slow\">three <emphasis level=\"strong\">four</emphasis></prosody> "
                "<say-as interpret-as=\"digits\">123</say-as> <sub alias=\"World Wide Web\">WWW</sub> end"
                "</Say></Response>", c),
            (Log{"answer",
                 "say One [break 1s] two three{slow} four{strongslow} 123{digits} World Wide Web end|Polly.Joanna||1",
                 "bye"}));
}

TEST(Executor, SayBadLoopIs13510AndEmptyTextIs13520) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Say loop=\"x\">a</Say><Say/></Response>", c),
            (Log{"answer", "alert 13510", "say a|||1", "alert 13520", "bye"}));
}

TEST(Executor, PlayResolvesTheUrlAndLoops) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Play loop=\"3\">/audio/x.wav</Play><Play loop=\"-1\">y.mp3</Play></Response>", c),
            (Log{"answer", "play https://app.example.com/audio/x.wav|3", "alert 13410",
                 "play https://app.example.com/voice/y.mp3|1", "bye"}));
}

TEST(Executor, PlayDigitsSendsDtmfAndRefusesOtherCharacters) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Play digits=\"12w#\"/><Play digits=\"9x\"/></Response>", c),
            (Log{"answer", "digits 12w#", "alert 13420", "bye"}));
}

TEST(Executor, RejectAfterAnswerEndsTheCall) {
  RecordingCall c;
  EXPECT_EQ(run("<Response><Play>x.wav</Play><Reject/></Response>", c),
            (Log{"answer", "play https://app.example.com/voice/x.wav|1", "bye"}));
}

}  // namespace
}  // namespace callwire::twiml
