// <Dial> in the executor: what it asks of the call and what it does with
// the result (contract 10.6).
#include <gtest/gtest.h>

#include "recording_call.hpp"
#include "twiml/executor.hpp"

namespace callwire::twiml {
namespace {

using testing::Log;
using testing::Running;
using testing::RecordingCall;

TEST(Dial, BareNumberAnswersDialsAndContinuesWithoutAction) {
  Running r("<Response><Dial>+14155551234</Dial><Say>After</Say></Response>");
  EXPECT_EQ(r.call.log, (Log{"answer", "dial timeout=30 limit=14400 number:+14155551234"}));
  DialResult res;
  res.status = "completed";
  res.bridged = true;
  r.call.dialed(res);
  EXPECT_EQ(r.tail(2), (Log{"say After|||1", "bye"}));
}

TEST(Dial, ActionGetsTheResultAndEndsThisDocument) {
  Running r("<Response><Dial action=\"/after\" method=\"GET\" timeout=\"12\" timeLimit=\"60\" callerId=\"+15005550006\">"
            "<Sip username=\"u\" password=\"p\">sip:bob@127.0.0.1:5070</Sip></Dial><Say>Never</Say></Response>");
  EXPECT_EQ(r.call.log.at(1), "dial timeout=12 limit=60 callerId=+15005550006 action=GET https://app.example.com/after "
                              "sip:sip:bob@127.0.0.1:5070/login=u:p");
  DialResult res;
  res.status = "busy";
  res.call_sid = "CA1";
  res.sip_call_id = "abc@h";
  res.sip_response_code = 486;
  res.sip_headers = {{"X-Reason", "lunch"}};
  r.call.dialed(res);
  EXPECT_EQ(r.call.log.back(),
            "fetch GET https://app.example.com/after DialCallStatus=busy DialCallSid=CA1 DialBridged=false "
            "DialSipCallId=abc@h DialSipResponseCode=486 DialSipHeader_X-Reason=lunch");
}

TEST(Dial, CompletedCallReportsItsDuration) {
  DialResult res;
  res.status = "completed";
  res.bridged = true;
  res.duration = 42;
  res.call_sid = "CA2";
  auto p = dial_action_params(res);
  EXPECT_EQ(p, (ActionParams{{"DialCallStatus", "completed"}, {"DialCallSid", "CA2"}, {"DialCallDuration", "42"},
                             {"DialBridged", "true"}}));
}

TEST(Dial, AnswerOnBridgeLeavesTheCallUnanswered) {
  Running r("<Response><Dial answerOnBridge=\"true\" hangupOnStar=\"true\"><Number>+442071234567</Number></Dial></Response>");
  EXPECT_EQ(r.call.log, (Log{"dial timeout=30 limit=14400 answerOnBridge hangupOnStar number:+442071234567"}));
}

TEST(Dial, NounsRingTogetherWithTheirAttributes) {
  Running r("<Response><Dial sequential=\"true\"><Number sendDigits=\"1w2\" byoc=\"BY1\" statusCallback=\"/cb\" "
            "statusCallbackEvent=\"initiated ringing answered completed\">+14155550001</Number>"
            "<Sip>sip:a@example.com</Sip></Dial></Response>");
  EXPECT_EQ(r.call.log.at(1),
            "dial timeout=30 limit=14400 sequential number:+14155550001/digits=1w2/byoc=BY1/cb=POST "
            "https://app.example.com/cb events=initiated,ringing,answered,completed, sip:sip:a@example.com");
}

TEST(Dial, UnsupportedNounsWarnAndAreSkipped) {
  Running r("<Response><Dial><Client>alice</Client><Number>+14155550001</Number></Dial></Response>");
  EXPECT_EQ(r.call.log, (Log{"alert 12200", "answer", "dial timeout=30 limit=14400 number:+14155550001"}));
  EXPECT_NE(r.call.messages.at(0).find("<Client>"), std::string::npos);
}

TEST(Dial, NothingToRingFailsAtOnce) {
  Running a("<Response><Dial><Conference>room</Conference></Dial><Say>Next</Say></Response>");
  EXPECT_EQ(a.call.log, (Log{"alert 12200", "answer", "say Next|||1", "bye"}));
  Running b("<Response><Dial action=\"/a\"><Queue>q</Queue></Dial></Response>");
  EXPECT_EQ(b.call.log.back(), "fetch POST https://app.example.com/a DialCallStatus=failed DialBridged=false");
}

TEST(Dial, BadCallerIdIs13214AndDialsNothing) {
  Running r("<Response><Dial callerId=\"not a number\">+14155550001</Dial><Hangup/></Response>");
  EXPECT_EQ(r.call.log, (Log{"alert 13214", "answer", "bye"}));
  Running sip("<Response><Dial callerId=\"alice.smith\"><Sip>sip:b@example.com</Sip></Dial></Response>");
  EXPECT_EQ(sip.call.log.at(1), "dial timeout=30 limit=14400 callerId=alice.smith sip:sip:b@example.com");
}

TEST(Dial, TimeoutIsClampedAndBadValuesWarn) {
  Running low("<Response><Dial timeout=\"1\">+14155550001</Dial></Response>");
  EXPECT_EQ(low.call.log.at(1), "dial timeout=5 limit=14400 number:+14155550001");
  Running high("<Response><Dial timeout=\"9999\">+14155550001</Dial></Response>");
  EXPECT_EQ(high.call.log.at(1), "dial timeout=600 limit=14400 number:+14155550001");
  Running bad("<Response><Dial timeout=\"x\" timeLimit=\"0\" record=\"always\" foo=\"1\">+14155550001</Dial></Response>");
  EXPECT_EQ(bad.call.log, (Log{"alert 12200", "alert 13212", "alert 13216", "alert 12200", "answer",
                               "dial timeout=30 limit=14400 number:+14155550001"}));
}

TEST(Dial, RecordModesTrimAndRecordingCallbacks) {
  struct Case {
    const char* record;
    DialRequest::Record want;
  };
  for (auto [attr, want] : {Case{"do-not-record", DialRequest::Record::None}, Case{"false", DialRequest::Record::None},
                            Case{"true", DialRequest::Record::Mono},
                            Case{"record-from-answer", DialRequest::Record::Mono},
                            Case{"record-from-ringing", DialRequest::Record::Mono},
                            Case{"record-from-answer-dual", DialRequest::Record::Dual},
                            Case{"record-from-ringing-dual", DialRequest::Record::Dual}}) {
    Running r(std::string("<Response><Dial record=\"") + attr + "\">+14155550001</Dial></Response>");
    ASSERT_TRUE(r.call.last_dial) << attr;
    EXPECT_EQ(r.call.last_dial->record, want) << attr;
    EXPECT_FALSE(r.call.last_dial->record_trim_silence) << attr;  // Dial's default: do-not-trim
    EXPECT_EQ(r.call.log.front(), "answer") << attr;  // no warning
  }
  Running r("<Response><Dial record=\"record-from-answer-dual\" trim=\"trim-silence\" "
            "recordingStatusCallback=\"/rec\" recordingStatusCallbackMethod=\"GET\" "
            "recordingStatusCallbackEvent=\"in-progress completed,bogus\">+14155550001</Dial></Response>");
  ASSERT_TRUE(r.call.last_dial);
  const auto& d = *r.call.last_dial;
  EXPECT_EQ(d.record, DialRequest::Record::Dual);
  EXPECT_TRUE(d.record_trim_silence);
  EXPECT_EQ(d.recording_status_callback, "https://app.example.com/rec");
  EXPECT_EQ(d.recording_status_callback_method, "GET");
  EXPECT_EQ(d.recording_status_events, (std::vector<std::string>{"in-progress", "completed"}));
  EXPECT_EQ(r.call.log.front(), "alert 12200");  // the bogus event
  Running bad("<Response><Dial record=\"maybe\" trim=\"cut\" recordingTrack=\"inbound\">+14155550001</Dial></Response>");
  ASSERT_TRUE(bad.call.last_dial);
  EXPECT_EQ(bad.call.last_dial->record, DialRequest::Record::None);
  EXPECT_FALSE(bad.call.last_dial->record_trim_silence);
  EXPECT_EQ(bad.call.log, (Log{"alert 12200", "alert 12200", "alert 12200", "answer",
                               "dial timeout=30 limit=14400 number:+14155550001"}));
}

TEST(Dial, RecordingParamsGoToTheAction) {
  Running r("<Response><Dial action=\"/after\" record=\"true\">+14155550001</Dial></Response>");
  DialResult res;
  res.status = "completed";
  res.call_sid = "CA2";
  res.bridged = true;
  res.duration = 7;
  res.recording_sid = "RE1";
  res.recording_url = "http://h/2010-04-01/Accounts/AC1/Recordings/RE1";
  res.recording_duration = 6;
  r.call.dialed(res);
  EXPECT_EQ(r.call.log.back(), "fetch POST https://app.example.com/after DialCallStatus=completed DialCallSid=CA2 "
                               "DialCallDuration=7 DialBridged=true RecordingUrl=http://h/2010-04-01/Accounts/AC1/"
                               "Recordings/RE1 RecordingSid=RE1 RecordingDuration=6");
  // Nothing recorded: no recording params.
  DialResult none;
  auto p = dial_action_params(none);
  EXPECT_EQ(std::count_if(p.begin(), p.end(), [](const auto& kv) { return kv.first.starts_with("Recording"); }), 0);
}

TEST(Dial, CallerHangupLeavesTheActionToTheCall) {
  Running r("<Response><Dial action=\"/after\">+14155550001</Dial></Response>");
  std::size_t before = r.call.log.size();
  DialResult res;
  res.caller_hung_up = true;
  r.call.dialed(res);
  EXPECT_EQ(r.call.log.size(), before);
}

TEST(Dial, ResultAfterTheExecutorIsGoneDoesNothing) {
  auto r = std::make_unique<Running>("<Response><Dial>+14155550001</Dial></Response>");
  auto done = r->call.dialed;
  std::size_t before = r->call.log.size();
  r->ex.reset();
  done(DialResult{});
  EXPECT_EQ(r->call.log.size(), before);
}

TEST(Dial, ScreeningUrlAndMethodResolveAgainstTheDocument) {
  Running r("<Response><Dial><Number url=\"screen?who=bob\" method=\"get\">+14155550001</Number>"
            "<Sip url=\"https://other.example.com/s\">sip:a@example.com</Sip><Number>+14155550002</Number>"
            "</Dial></Response>");
  EXPECT_EQ(r.call.log, (Log{"answer", "dial timeout=30 limit=14400 number:+14155550001 sip:sip:a@example.com "
                                       "number:+14155550002"}));
  ASSERT_TRUE(r.call.last_dial);
  const auto& t = r.call.last_dial->targets;
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].screen_url, "https://app.example.com/voice/screen?who=bob");
  EXPECT_EQ(t[0].screen_method, "GET");
  EXPECT_EQ(t[1].screen_url, "https://other.example.com/s");
  EXPECT_EQ(t[1].screen_method, "POST");
  EXPECT_EQ(t[2].screen_url, "");
}

TEST(Dial, ScreeningMethodOtherThanGetOrPostWarnsAndPosts) {
  Running r("<Response><Dial><Sip url=\"/s\" method=\"PUT\">sip:a@example.com</Sip></Dial></Response>");
  EXPECT_EQ(r.call.log.at(0), "alert 12200");
  EXPECT_NE(r.call.messages.at(0).find("method"), std::string::npos);
  ASSERT_TRUE(r.call.last_dial);
  EXPECT_EQ(r.call.last_dial->targets.at(0).screen_url, "https://app.example.com/s");
  EXPECT_EQ(r.call.last_dial->targets.at(0).screen_method, "POST");
}

TEST(Dial, EmptyScreeningUrlMeansNoScreening) {
  Running r("<Response><Dial><Number url=\"\">+14155550001</Number></Dial></Response>");
  ASSERT_TRUE(r.call.last_dial);
  EXPECT_EQ(r.call.last_dial->targets.at(0).screen_url, "");
  EXPECT_EQ(r.call.log, (Log{"answer", "dial timeout=30 limit=14400 number:+14155550001"}));
}

// The log of `xml` run against a call that tells the end of a document from <Hangup>.
Log run_screening(const std::string& xml) {
  RecordingCall call;
  call.log_document_end = true;
  auto doc = parse_document(xml);
  EXPECT_TRUE(doc);
  Executor ex(call, std::move(*doc), "https://app.example.com/s");
  ex.run();
  EXPECT_TRUE(ex.finished());
  return call.log;
}

TEST(Executor, RunningOffTheEndIsToldApartFromHangup) {
  EXPECT_EQ(run_screening("<Response><Say>Hi</Say></Response>"), (Log{"answer", "say Hi|||1", "end of document"}));
  EXPECT_EQ(run_screening("<Response><Say>Hi</Say><Hangup/></Response>"), (Log{"answer", "say Hi|||1", "bye"}));
  EXPECT_EQ(run_screening("<Response></Response>"), (Log{"end of document"}));
}

}  // namespace
}  // namespace callwire::twiml
