// The executor against a recording CallControl: the order of SIP-facing
// actions each document produces (contract 8.4).
#include "twiml/executor.hpp"
#include "recording_call.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace callwire::twiml {
namespace {

using testing::Log;
using testing::RecordingCall;
using testing::Running;

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
  EXPECT_EQ(run("<Response><Enqueue>q</Enqueue><Hangup/></Response>", c), (Log{"answer", "alert 12200", "bye"}));
  EXPECT_NE(c.messages.at(0).find("<Enqueue>"), std::string::npos);
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


// --- <Gather> ------------------------------------------------------------------

// Runs `xml` and keeps the executor, for tests that press keys and fire timers.
constexpr const char* kDoc = "https://app.example.com/voice/start?x=1";

TEST(Gather, PromptsThenTimeoutFallsThroughToTheNextVerb) {
  Running r("<Response><Gather><Say>Press</Say></Gather><Say>Bye</Say></Response>");
  EXPECT_EQ(r.call.log, (Log{"answer", "collect", "say Press|||1", "wait 5000"}));
  r.call.fire();
  EXPECT_EQ(r.tail(4), (Log{"collect off", "say Bye|||1", "bye"}));
}

TEST(Gather, FinishOnKeyDefaultHashPostsDigitsToTheCurrentDocument) {
  Running r("<Response><Gather/><Hangup/></Response>");
  EXPECT_EQ(r.call.log, (Log{"answer", "collect", "wait 5000"}));
  r.call.press('1');
  r.call.press('2');
  r.call.press('#');
  EXPECT_EQ(r.tail(3), (Log{"wait 5000", "wait 5000", "collect off", std::string("fetch POST ") + kDoc + " Digits=12"}));
  EXPECT_TRUE(r.ex->finished());
}

TEST(Gather, NumDigitsEndsAtTheCountWithRelativeActionAndGet) {
  Running r("<Response><Gather numDigits=\"3\" action=\"/menu\" method=\"get\"/></Response>");
  r.call.press('1');
  r.call.press('2');
  r.call.press('3');
  EXPECT_EQ(r.call.log.back(), "fetch GET https://app.example.com/menu Digits=123");
}

TEST(Gather, FirstKeyStopsThePromptsAndCounts) {
  Running r("<Response><Gather numDigits=\"2\"><Say>a</Say><Play>b.wav</Play></Gather></Response>", false);
  EXPECT_EQ(r.call.log, (Log{"answer", "collect", "say a|||1"}));
  r.call.press('5');
  EXPECT_EQ(r.tail(3), (Log{"stop", "wait 5000"}));
  // The interrupted <Say> reports: the <Play> must not start.
  ASSERT_EQ(r.call.stale_media.size(), 1u);
  r.call.stale_media[0](MediaEnd::Interrupted);
  EXPECT_EQ(r.call.log.size(), 5u);
  r.call.press('6');
  EXPECT_EQ(r.call.log.back(), std::string("fetch POST ") + kDoc + " Digits=56");
}

TEST(Gather, PromptsPlayInOrderWhenNotInterrupted) {
  Running r("<Response><Gather><Say>a</Say><Pause length=\"2\"/><Play>b.wav</Play></Gather></Response>", false);
  EXPECT_EQ(r.call.log.back(), "say a|||1");
  auto done = std::move(r.call.pending_media);
  done(MediaEnd::Done);
  EXPECT_EQ(r.call.log.back(), "wait 2000");
  r.call.fire();
  EXPECT_EQ(r.call.log.back(), "play https://app.example.com/voice/b.wav|1");
  done = std::move(r.call.pending_media);
  done(MediaEnd::Done);
  EXPECT_EQ(r.call.log.back(), "wait 5000");  // the timeout starts after the prompts
}

TEST(Gather, KeyDuringANestedPauseStopsItsTimer) {
  Running r("<Response><Gather timeout=\"3\"><Pause length=\"4\"/><Say>late</Say></Gather></Response>");
  EXPECT_EQ(r.call.log.back(), "wait 4000");
  auto pause_timer = std::move(r.call.pending);
  r.call.pending = nullptr;
  r.call.press('7');
  EXPECT_EQ(r.call.log.back(), "wait 3000");
  pause_timer();  // stale: no <Say late>
  EXPECT_EQ(r.call.log.back(), "wait 3000");
  r.call.fire();
  EXPECT_EQ(r.call.log.back(), std::string("fetch POST ") + kDoc + " Digits=7");
}

TEST(Gather, TimeoutRestartsAfterEachKey) {
  Running r("<Response><Gather timeout=\"2\"/></Response>");
  auto first = std::move(r.call.pending);
  r.call.pending = nullptr;
  r.call.press('4');
  first();  // the timer armed before the key is stale
  EXPECT_EQ(r.call.log.back(), "wait 2000");
  r.call.fire();
  EXPECT_EQ(r.call.log.back(), std::string("fetch POST ") + kDoc + " Digits=4");
}

TEST(Gather, EmptyFinishOnKeyCollectsHashAsADigit) {
  Running r("<Response><Gather finishOnKey=\"\" numDigits=\"2\"/></Response>");
  r.call.press('#');
  r.call.press('1');
  EXPECT_EQ(r.call.log.back(), std::string("fetch POST ") + kDoc + " Digits=#1");
  Running s("<Response><Gather finishOnKey=\"*\"/></Response>");
  s.call.press('#');
  s.call.press('*');
  EXPECT_EQ(s.call.log.back(), std::string("fetch POST ") + kDoc + " Digits=#");
}

TEST(Gather, OnlyTheFinishKeyIsAnEmptyResult) {
  Running r("<Response><Gather/><Say>next</Say></Response>");
  r.call.press('#');
  EXPECT_EQ(r.tail(3), (Log{"collect off", "say next|||1", "bye"}));
}

TEST(Gather, ActionOnEmptyResultPostsEmptyDigits) {
  Running r("<Response><Gather actionOnEmptyResult=\"true\" action=\"done\"/><Hangup/></Response>");
  r.call.fire();
  EXPECT_EQ(r.call.log.back(), "fetch POST https://app.example.com/voice/done Digits=");
}

TEST(Gather, SpeechOnlyWarnsCollectsNothingAndEndsAsATimeout) {
  Running r("<Response><Gather input=\"speech\" partialResultCallback=\"/p\" language=\"fr-FR\" "
            "speechTimeout=\"auto\" hints=\"a,b\"><Say>Speak</Say></Gather><Say>after</Say></Response>");
  EXPECT_EQ(r.call.log, (Log{"answer", "alert 12200", "say Speak|||1", "wait 5000"}));
  EXPECT_NE(r.call.messages.at(0).find("speech recognition is not available"), std::string::npos);
  r.call.fire();
  EXPECT_EQ(r.tail(4), (Log{"collect off", "say after|||1", "bye"}));
}

TEST(Gather, DtmfSpeechCollectsKeys) {
  Running r("<Response><Gather input=\"dtmf speech\" numDigits=\"1\"/></Response>");
  EXPECT_EQ(r.call.log, (Log{"answer", "alert 12200", "collect", "wait 5000"}));
  r.call.press('9');
  EXPECT_EQ(r.call.log.back(), std::string("fetch POST ") + kDoc + " Digits=9");
}

TEST(Gather, BadValuesWarnAndUseTheDefaults) {
  Running r("<Response><Gather method=\"PUT\" timeout=\"x\" finishOnKey=\"ab\" numDigits=\"0\" "
            "actionOnEmptyResult=\"maybe\" input=\"video\" colour=\"red\" partialResultCallbackMethod=\"PATCH\"/>"
            "</Response>");
  EXPECT_EQ(r.call.log, (Log{"answer", "alert 12200", "alert 12200", "alert 12200", "alert 12200", "alert 12200",
                             "alert 12200", "alert 12200", "alert 12200", "collect", "wait 5000"}));
  r.call.press('1');
  r.call.press('2');
  r.call.press('#');
  EXPECT_EQ(r.call.log.back(), std::string("fetch POST ") + kDoc + " Digits=12");
}

TEST(Gather, KeysAfterTheExecutorIsGoneDoNothing) {
  auto r = std::make_unique<Running>("<Response><Gather/></Response>");
  auto keys = r->call.digits;
  auto timer = r->call.pending;
  std::size_t before = r->call.log.size();
  r->ex.reset();
  keys('1');
  timer();
  EXPECT_EQ(r->call.log.size(), before);
}

// --- <Record> ------------------------------------------------------------------

TEST(Record, DefaultsThenActionWithTheRecording) {
  Running r("<Response><Record/><Hangup/></Response>");
  EXPECT_EQ(r.call.log, (Log{"answer", "collect",
                             std::string("record max=3600000 silence=5000 trim=1 beep=1 action=POST ") + kDoc}));
  ASSERT_TRUE(r.call.recording);
  r.call.recording(RecordResult{false, true, "RE1", "https://api/Recordings/RE1", 3});
  EXPECT_EQ(r.tail(3), (Log{"collect off", std::string("fetch POST ") + kDoc +
                                               " RecordingUrl=https://api/Recordings/RE1 RecordingDuration=3 "
                                               "RecordingSid=RE1"}));
  EXPECT_TRUE(r.ex->finished());
}

TEST(Record, FinishKeyStopsTheRecordingAndIsSentAsDigits) {
  Running r("<Response><Record finishOnKey=\"*#\"/></Response>");
  r.call.press('5');  // not a finish key
  EXPECT_EQ(r.call.log.back().rfind("record ", 0), 0u);
  r.call.press('#');
  EXPECT_EQ(r.call.log.back(), "stop recording");
  r.call.press('*');  // already ending
  EXPECT_EQ(r.call.log.back(), "stop recording");
  r.call.recording(RecordResult{false, true, "RE2", "u", 1});
  EXPECT_EQ(r.call.log.back(), std::string("fetch POST ") + kDoc + " RecordingUrl=u RecordingDuration=1 "
                                                                   "RecordingSid=RE2 Digits=#");
}

TEST(Record, AttributesReachTheCall) {
  Running r("<Response><Record timeout=\"0\" maxLength=\"20\" playBeep=\"false\" trim=\"do-not-trim\" "
            "action=\"vm\" method=\"GET\" finishOnKey=\"\" recordingStatusCallback=\"/rs\" "
            "recordingStatusCallbackMethod=\"get\" recordingStatusCallbackEvent=\"in-progress completed absent\"/>"
            "</Response>");
  EXPECT_EQ(r.call.log, (Log{"answer", "record max=20000 silence=none trim=0 beep=0 action=GET "
                                       "https://app.example.com/voice/vm cb=GET https://app.example.com/rs "
                                       "events=in-progress,completed,absent,"}));
  r.call.recording(RecordResult{false, true, "RE3", "u", 7});
  EXPECT_EQ(r.call.log.back(), "fetch GET https://app.example.com/voice/vm RecordingUrl=u RecordingDuration=7 "
                               "RecordingSid=RE3");
}

TEST(Record, TimeoutSetsTheSilenceLimit) {
  Running r("<Response><Record timeout=\"3\" finishOnKey=\"\"/></Response>");
  EXPECT_EQ(r.call.log.back(), std::string("record max=3600000 silence=3000 trim=1 beep=1 action=POST ") + kDoc);
}

TEST(Record, EmptyOrFailedRecordingGoesOnWithTheNextVerb) {
  Running r("<Response><Record/><Say>nothing heard</Say></Response>");
  r.call.recording(RecordResult{false, false, "RE4", "u", 0});
  EXPECT_EQ(r.tail(3), (Log{"collect off", "say nothing heard|||1", "bye"}));
  Running f("<Response><Record/><Hangup/></Response>");
  f.call.recording(RecordResult{true, false, "", "", 0});
  EXPECT_EQ(f.tail(3), (Log{"collect off", "bye"}));
}

TEST(Record, BadValuesWarnAndUseTheDefaults) {
  Running r("<Response><Record timeout=\"-1\" maxLength=\"0\" finishOnKey=\"x\" playBeep=\"yes\" trim=\"cut\" "
            "method=\"PUT\" recordingStatusCallback=\"/rs\" recordingStatusCallbackMethod=\"PUT\" "
            "recordingStatusCallbackEvent=\"bogus\" transcribe=\"true\" transcribeCallback=\"/t\" foo=\"1\"/>"
            "</Response>");
  Log want{"answer"};
  for (int i = 0; i < 11; ++i) want.push_back("alert 12200");  // one per bad attribute
  want.push_back("collect");
  want.push_back("record max=3600000 silence=5000 trim=1 beep=1 action=POST " + std::string(kDoc) +
                 " cb=POST https://app.example.com/rs events=completed,");
  EXPECT_EQ(r.call.log, want);
  r.call.press('9');  // the default finish keys
  EXPECT_EQ(r.call.log.back(), "stop recording");
}

TEST(Record, ResultAfterTheExecutorIsGoneDoesNothing) {
  auto r = std::make_unique<Running>("<Response><Record/></Response>");
  auto done = r->call.recording;
  std::size_t before = r->call.log.size();
  r->ex.reset();
  done(RecordResult{false, true, "RE5", "u", 1});
  EXPECT_EQ(r->call.log.size(), before);
}

}  // namespace
}  // namespace callwire::twiml
