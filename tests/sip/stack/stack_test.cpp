// The per-worker Stack end to end over an in-memory transport and the test
// clock: admission, the Via fix-up, the sanity gate, built-in answers, and
// the INVITE life cycle through transactions and dialogs.
#include "sip/stack/stack.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/loop_transport.hpp"
#include "core/manual_timers.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/errc.hpp"

namespace callwire::sip {
namespace {

using namespace std::chrono_literals;

std::string invite(std::string_view user = "alice", std::string_view branch = "z9hG4bK-inv1",
                   std::string_view extra = "", std::string_view via_params = "") {
  std::string m = "INVITE sip:" + std::string(user) + "@demo.sip.localhost SIP/2.0\r\n";
  m += "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=" + std::string(branch) + std::string(via_params) + "\r\n";
  m += "Max-Forwards: 70\r\n"
       "From: <sip:pbx@198.51.100.7>;tag=caller1\r\n"
       "To: <sip:" + std::string(user) + "@demo.sip.localhost>\r\n"
       "Call-ID: call-1@198.51.100.7\r\n"
       "CSeq: 1 INVITE\r\n"
       "Contact: <sip:pbx@198.51.100.7:5062>\r\n";
  m += extra;
  m += "Content-Length: 0\r\n\r\n";
  return m;
}

std::string request(std::string_view method, std::string_view extra = "", std::string_view branch = "") {
  std::string m = std::string(method) + " sip:demo.sip.localhost SIP/2.0\r\n";
  m += "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-" + std::string(method) + std::string(branch) + "\r\n";
  m += "Max-Forwards: 70\r\nFrom: <sip:pbx@198.51.100.7>;tag=f1\r\nTo: <sip:demo.sip.localhost>\r\n"
       "Call-ID: req-1@198.51.100.7\r\nCSeq: 7 " + std::string(method) + "\r\n";
  m += extra;
  m += "Content-Length: 0\r\n\r\n";
  return m;
}

class RecordingSessions final : public SessionHandler {
 public:
  void on_invite(Stack& stack, InviteId id, const Message& invite, const Source&) override {
    invites.push_back(id);
    if (answer_with) (void)stack.respond(id, answer_with);
  }
  void on_invite_cancelled(Stack&, InviteId id) override { cancelled.push_back(id); }
  void on_dialog_confirmed(Stack&, const Dialog& d) override { confirmed.push_back(d.id()); }
  void on_dialog_ended(Stack&, const Dialog& d, TerminationReason why) override { ended.push_back(why); }
  bool on_dialog_request(Stack& stack, TxId tx, Dialog&, const Message& request) override {
    if (in_dialog_status == 0) return false;
    MessageParts parts;
    if (in_dialog_status < 300) {
      parts.content_type = "application/sdp";
      parts.body = "v=0\r\n";
    }
    last_in_dialog = stack.respond_in_dialog(tx, request, in_dialog_status,
                                             in_dialog_status >= 300 ? "No common codec" : "", parts);
    return true;
  }

  int answer_with = 0;
  int in_dialog_status = 0;  // 0: let the stack answer in-dialog requests
  Status last_in_dialog;
  std::vector<InviteId> invites, cancelled;
  std::vector<DialogId> confirmed;
  std::vector<TerminationReason> ended;
};

class ScriptedAdmission final : public AdmissionHook {
 public:
  Admission admit(const Source&, const Message* m) override {
    ++calls;
    saw_unparsed = saw_unparsed || m == nullptr;
    return verdict;
  }
  Admission verdict = Admission::accept();
  int calls = 0;
  bool saw_unparsed = false;
};

class StackTest : public ::testing::Test {
 protected:
  StackTest() : stack_(config(), transport_, timers_, admission_, sessions_) {
    src_.protocol = Protocol::Udp;
    src_.remote_address = boost::asio::ip::make_address("198.51.100.7");
    src_.remote_port = 5062;
  }
  static StackConfig config() {
    StackConfig c;
    c.server = "callwire-test";
    return c;
  }

  void feed(const std::string& bytes) {
    auto m = Message::parse(bytes);
    ASSERT_TRUE(m) << m.error().what();
    stack_.receive(std::move(*m), src_);
  }
  // The n-th message sent, parsed.
  Message sent(std::size_t n) {
    EXPECT_LT(n, transport_.sent.size());
    auto m = Message::parse(transport_.sent.at(n).bytes);
    EXPECT_TRUE(m);
    return std::move(*m);
  }
  std::vector<int> statuses() {
    std::vector<int> out;
    for (auto& s : transport_.sent) {
      auto m = Message::parse(s.bytes);
      out.push_back(m && m->is_response() ? m->status() : 0);
    }
    return out;
  }

  test::LoopTransport transport_;
  ManualTimers timers_;
  ScriptedAdmission admission_;
  RecordingSessions sessions_;
  Source src_;
  Stack stack_;
};

TEST_F(StackTest, OptionsAnsweredWithCapabilities) {
  feed(request("OPTIONS"));
  ASSERT_EQ(statuses(), (std::vector<int>{200}));
  auto ok = sent(0);
  EXPECT_EQ(ok.header(HeaderId::Allow), "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE");
  EXPECT_EQ(ok.header(HeaderId::Accept), "application/sdp");
  EXPECT_TRUE(ok.has(HeaderId::Supported));
  EXPECT_EQ(ok.header(HeaderId::Server), "callwire-test");
  EXPECT_FALSE(ok.to_tag().empty());
  EXPECT_EQ(ok.cseq().number, 7u);
}

TEST_F(StackTest, DeferredAdmissionHoldsTheRequestUntilResumed) {
  Admission::Resume resume;
  admission_.verdict = Admission::defer([&](Admission::Resume r) { resume = std::move(r); });
  feed(request("OPTIONS"));
  EXPECT_TRUE(transport_.sent.empty());  // nothing until the policy decides
  ASSERT_TRUE(resume);
  EXPECT_EQ(stack_.counters().admission_deferred, 1u);
  resume(Admission::accept());
  EXPECT_EQ(statuses(), (std::vector<int>{200}));
}

TEST_F(StackTest, DeferredAdmissionCanStillDropOrReject) {
  std::vector<Admission::Resume> resumes;
  admission_.verdict = Admission::defer([&](Admission::Resume r) { resumes.push_back(std::move(r)); });
  feed(request("OPTIONS"));
  feed(request("OPTIONS", "", "second"));
  ASSERT_EQ(resumes.size(), 2u);
  resumes[0](Admission::drop());
  EXPECT_TRUE(transport_.sent.empty());
  EXPECT_EQ(stack_.counters().admission_drops, 1u);
  resumes[1](Admission::reject(403, "Forbidden"));
  EXPECT_EQ(statuses(), (std::vector<int>{403}));
}

TEST_F(StackTest, UnsupportedMethodGets405WithAllow) {
  feed(request("SUBSCRIBE", "Event: presence\r\n"));
  ASSERT_EQ(statuses(), (std::vector<int>{405}));
  auto r = sent(0);
  EXPECT_FALSE(r.header(HeaderId::Allow).empty());
  EXPECT_NE(r.header(HeaderId::Reason).find("SUBSCRIBE is not supported"), std::string_view::npos);
}

TEST_F(StackTest, AdmissionDropSendsNothingNotEvenTrying) {
  admission_.verdict = Admission::drop();
  feed(invite());
  EXPECT_TRUE(transport_.sent.empty());
  EXPECT_TRUE(sessions_.invites.empty());
  EXPECT_EQ(stack_.counters().admission_drops, 1u);
  EXPECT_EQ(stack_.transactions().size(), 0u);
}

TEST_F(StackTest, AdmissionRejectAnswersWithItsStatusAndHeaders) {
  admission_.verdict = Admission::reject(403, "Forbidden");
  admission_.verdict.headers = {{"X-Twilio-Error", "32201 Authentication failure - source IP Address not in ACL"}};
  feed(invite());
  ASSERT_EQ(statuses(), (std::vector<int>{403}));
  EXPECT_EQ(sent(0).header("X-Twilio-Error"), "32201 Authentication failure - source IP Address not in ACL");
}

TEST_F(StackTest, ParseErrorsSeeAdmissionThenGet400WithReason) {
  std::string bad = invite();
  bad.replace(bad.find("CSeq: 1 INVITE"), 14, "CSeq: 1 BYE");
  auto parsed = Message::parse(bad);
  ASSERT_FALSE(parsed);
  stack_.receive_invalid(bad, parsed.error(), src_);
  EXPECT_TRUE(admission_.saw_unparsed);
  ASSERT_EQ(statuses(), (std::vector<int>{400}));
  EXPECT_FALSE(sent(0).header(HeaderId::Reason).empty());
}

TEST_F(StackTest, ParseErrorDroppedByAdmissionGetsNothing) {
  admission_.verdict = Admission::drop();
  stack_.receive_invalid("garbage\r\n\r\n", Error{make_error_code(Errc::BadStartLine), "bad"}, src_);
  EXPECT_TRUE(transport_.sent.empty());
}

TEST_F(StackTest, SanityGateRefusesMissingBranchUnknownSchemeAndRequiredExtensions) {
  std::string no_branch = request("OPTIONS");
  no_branch.replace(no_branch.find(";branch=z9hG4bK-OPTIONS"), 23, "");
  feed(no_branch);
  std::string mailto = request("OPTIONS");
  mailto.replace(mailto.find("sip:demo.sip.localhost SIP/2.0"), 22, "mailto:a@demo.example");
  feed(mailto);
  feed(request("OPTIONS", "Require: 100rel, foo\r\n"));
  ASSERT_EQ(statuses(), (std::vector<int>{400, 416, 420}));
  EXPECT_EQ(sent(2).header(HeaderId::Unsupported), "100rel, foo");
  EXPECT_NE(sent(0).header(HeaderId::Reason).find("branch"), std::string_view::npos);
}

TEST_F(StackTest, RequireTimerIsSupportedOtherExtensionsAreNot) {
  feed(request("OPTIONS", "Require: timer\r\n"));
  feed(request("OPTIONS", "Require: timer, 100rel\r\n").replace(0, 0, ""));
  ASSERT_EQ(statuses().size(), 2u);
  EXPECT_EQ(statuses()[0], 200);
  EXPECT_EQ(sent(0).header(HeaderId::Supported), "timer");
  EXPECT_EQ(statuses()[1], 420);
  EXPECT_EQ(sent(1).header(HeaderId::Unsupported), "100rel");
}

TEST_F(StackTest, ResponsesCarryReceivedAndRport) {
  src_.remote_address = boost::asio::ip::make_address("203.0.113.9");
  src_.remote_port = 40123;
  feed(request("OPTIONS", "").replace(0, 0, ""));  // Via says 198.51.100.7 without rport
  std::string with_rport = request("OPTIONS");
  with_rport.replace(with_rport.find("z9hG4bK-OPTIONS"), 15, "z9hG4bK-rp;rport");
  feed(with_rport);
  ASSERT_EQ(transport_.sent.size(), 2u);
  auto plain = sent(0);
  EXPECT_EQ(plain.top_via().received(), "203.0.113.9");
  auto rp = sent(1);
  EXPECT_EQ(rp.top_via().received(), "203.0.113.9");
  ASSERT_TRUE(rp.top_via().rport());
  EXPECT_EQ(*rp.top_via().rport(), 40123);
  // RFC 3581: with rport the response goes to the packet's source port.
  EXPECT_EQ(transport_.sent[1].route.port, 40123);
  EXPECT_EQ(transport_.sent[1].route.address.to_string(), "203.0.113.9");
}

TEST_F(StackTest, InviteAnsweredAtOnceGetsNoTrying) {
  sessions_.answer_with = 486;
  feed(invite());
  // The handler answered within the dispatch: a 100 would be redundant.
  ASSERT_EQ(statuses(), (std::vector<int>{486}));
  EXPECT_EQ(sessions_.invites.size(), 1u);
  EXPECT_EQ(stack_.pending_invites(), 0u);
  // The transaction layer retransmits the 486 until the ACK (timer G).
  timers_.advance(500ms);
  EXPECT_EQ(statuses().back(), 486);
}

TEST_F(StackTest, CancelGets200AndInviteGets487) {
  feed(invite());
  ASSERT_EQ(sessions_.invites.size(), 1u);
  EXPECT_FALSE(stack_.dialog_of(sessions_.invites[0]));  // no provisional with a tag yet
  ASSERT_TRUE(stack_.respond(sessions_.invites[0], 180));
  auto early = stack_.dialog_of(sessions_.invites[0]);
  ASSERT_TRUE(early);
  std::string cancel = invite();
  cancel.replace(0, 6, "CANCEL");
  cancel.replace(cancel.find("CSeq: 1 INVITE"), 14, "CSeq: 1 CANCEL");
  feed(cancel);
  ASSERT_EQ(statuses(), (std::vector<int>{100, 180, 200, 487}));
  EXPECT_EQ(sent(2).cseq().method, Method::Cancel);
  EXPECT_EQ(sent(3).cseq().method, Method::Invite);
  EXPECT_EQ(sent(3).to_tag(), sent(1).to_tag());  // the tag of the early dialog
  EXPECT_EQ(early->local_tag, sent(1).to_tag());
  EXPECT_EQ(sessions_.cancelled, sessions_.invites);
  EXPECT_EQ(stack_.pending_invites(), 0u);
  EXPECT_EQ(stack_.dialogs().table().size(), 0u);
  EXPECT_FALSE(stack_.respond(sessions_.invites[0], 200));  // too late
}

TEST_F(StackTest, AnsweredInviteRetransmits2xxUntilAckThenByeEndsIt) {
  feed(invite());
  MessageParts sdp;
  sdp.content_type = "application/sdp";
  sdp.body = "v=0\r\n";
  ASSERT_TRUE(stack_.respond(sessions_.invites[0], 200, {}, sdp));
  ASSERT_EQ(statuses(), (std::vector<int>{100, 200}));
  auto ok = sent(1);
  EXPECT_FALSE(ok.header(HeaderId::Contact).empty());
  EXPECT_EQ(ok.body(), "v=0\r\n");
  timers_.advance(500ms);  // T1: first retransmission of the 2xx
  EXPECT_EQ(statuses(), (std::vector<int>{100, 200, 200}));

  std::string ack = "ACK sip:alice@demo.sip.localhost SIP/2.0\r\n"
                    "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-ack1\r\n"
                    "Max-Forwards: 70\r\nFrom: <sip:pbx@198.51.100.7>;tag=caller1\r\n"
                    "To: <sip:alice@demo.sip.localhost>;tag=" + std::string(ok.to_tag()) + "\r\n"
                    "Call-ID: call-1@198.51.100.7\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
  feed(ack);
  EXPECT_EQ(sessions_.confirmed.size(), 1u);
  timers_.advance(10s);
  EXPECT_EQ(transport_.sent.size(), 3u);  // no more 2xx after the ACK

  std::string bye = ack;
  bye.replace(0, 3, "BYE");
  bye.replace(bye.find("z9hG4bK-ack1"), 12, "z9hG4bK-bye1");
  bye.replace(bye.find("CSeq: 1 ACK"), 11, "CSeq: 2 BYE");
  feed(bye);
  EXPECT_EQ(statuses().back(), 200);
  ASSERT_EQ(sessions_.ended.size(), 1u);
  EXPECT_EQ(sessions_.ended[0], TerminationReason::ByeReceived);
  EXPECT_EQ(stack_.dialogs().table().size(), 0u);
}

TEST_F(StackTest, MissingAckEndsTheCallWithBye) {
  feed(invite());
  ASSERT_TRUE(stack_.respond(sessions_.invites[0], 200));
  timers_.advance(32s + 1ms);  // 64*T1 without ACK
  auto& last = transport_.sent.back();
  auto bye = Message::parse(last.bytes);
  ASSERT_TRUE(bye);
  EXPECT_EQ(bye->method(), Method::Bye);
  EXPECT_EQ(last.route.address.to_string(), "198.51.100.7");
  EXPECT_EQ(last.route.port, 5062);  // the caller's Contact
  ASSERT_FALSE(sessions_.ended.empty());
}

TEST_F(StackTest, HangupSendsByeInTheDialog) {
  feed(invite());
  ASSERT_TRUE(stack_.respond(sessions_.invites[0], 200));
  auto ok = sent(1);
  DialogId id{"call-1@198.51.100.7", std::string(ok.to_tag()), "caller1"};
  ASSERT_TRUE(stack_.hangup(id));
  auto bye = sent(transport_.sent.size() - 1);
  EXPECT_EQ(bye.method(), Method::Bye);
  EXPECT_EQ(bye.request_uri(), "sip:pbx@198.51.100.7:5062");
  EXPECT_EQ(bye.from_tag(), ok.to_tag());
  EXPECT_EQ(bye.to_tag(), "caller1");
  EXPECT_FALSE(stack_.hangup(id));  // already gone
}

TEST_F(StackTest, InDialogInfoAnsweredAndUnknownDialogGets481) {
  feed(invite());
  ASSERT_TRUE(stack_.respond(sessions_.invites[0], 200));
  auto tag = std::string(sent(1).to_tag());
  auto in_dialog = [&](std::string_view method, std::string_view to_tag, int cseq) {
    return std::string(method) + " sip:alice@demo.sip.localhost SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-" + std::string(method) + std::to_string(cseq) + "\r\n"
           "Max-Forwards: 70\r\nFrom: <sip:pbx@198.51.100.7>;tag=caller1\r\n"
           "To: <sip:alice@demo.sip.localhost>;tag=" + std::string(to_tag) + "\r\n"
           "Call-ID: call-1@198.51.100.7\r\nCSeq: " + std::to_string(cseq) + " " + std::string(method) + "\r\n"
           "Content-Length: 0\r\n\r\n";
  };
  feed(in_dialog("INFO", tag, 2));
  feed(in_dialog("INFO", "not-a-tag", 3));
  auto st = statuses();
  ASSERT_GE(st.size(), 4u);
  EXPECT_EQ(st[st.size() - 2], 200);
  EXPECT_EQ(st.back(), 481);
}

TEST_F(StackTest, ByeOutsideDialogGets481) {
  feed(request("BYE"));
  EXPECT_EQ(statuses(), (std::vector<int>{481}));
}

}  // namespace
}  // namespace callwire::sip

namespace callwire::sip {
namespace {

std::string in_dialog(std::string_view method, std::string_view to_tag, int cseq, std::string_view branch) {
  return std::string(method) + " sip:alice@demo.sip.localhost SIP/2.0\r\n"
         "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=" + std::string(branch) + "\r\n"
         "Max-Forwards: 70\r\nFrom: <sip:pbx@198.51.100.7>;tag=caller1\r\n"
         "To: <sip:alice@demo.sip.localhost>;tag=" + std::string(to_tag) + "\r\n"
         "Call-ID: call-1@198.51.100.7\r\nCSeq: " + std::to_string(cseq) + " " + std::string(method) + "\r\n"
         "Contact: <sip:pbx@198.51.100.7:5062>\r\nContent-Length: 0\r\n\r\n";
}

TEST_F(StackTest, ReInviteWithoutHandlerGets488) {
  feed(invite());
  ASSERT_TRUE(stack_.respond(sessions_.invites[0], 200));
  auto tag = std::string(sent(1).to_tag());
  feed(in_dialog("ACK", tag, 1, "z9hG4bK-ack1"));
  feed(in_dialog("INVITE", tag, 2, "z9hG4bK-re2"));
  EXPECT_EQ(statuses().back(), 488);
}

TEST_F(StackTest, ReInvite2xxIsRetransmittedUntilItsAck) {
  feed(invite());
  ASSERT_TRUE(stack_.respond(sessions_.invites[0], 200));
  auto tag = std::string(sent(1).to_tag());
  feed(in_dialog("ACK", tag, 1, "z9hG4bK-ack1"));
  ASSERT_EQ(sessions_.confirmed.size(), 1u);

  sessions_.in_dialog_status = 200;
  std::size_t before = transport_.sent.size();
  feed(in_dialog("INVITE", tag, 2, "z9hG4bK-re2"));
  ASSERT_TRUE(sessions_.last_in_dialog) << sessions_.last_in_dialog.error().what();
  ASSERT_EQ(transport_.sent.size(), before + 1);
  auto ok = sent(before);
  EXPECT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.cseq().number, 2u);
  EXPECT_EQ(ok.to_tag(), tag);
  EXPECT_FALSE(ok.header(HeaderId::Contact).empty());  // a target refresh
  EXPECT_EQ(ok.body(), "v=0\r\n");

  timers_.advance(500ms);  // T1: the dialog resends it, the transaction does not
  ASSERT_EQ(transport_.sent.size(), before + 2);
  EXPECT_EQ(sent(before + 1).cseq().number, 2u);
  EXPECT_EQ(transport_.sent.back().route.port, 5062);

  feed(in_dialog("ACK", tag, 1, "z9hG4bK-ack1b"));  // an old ACK does not stop it
  EXPECT_EQ(sessions_.confirmed.size(), 1u);
  feed(in_dialog("ACK", tag, 2, "z9hG4bK-ack2"));
  EXPECT_EQ(sessions_.confirmed.size(), 2u);  // delivered to on_dialog_ack
  std::size_t after_ack = transport_.sent.size();
  timers_.advance(40s);
  EXPECT_EQ(transport_.sent.size(), after_ack);  // no more 2xx, no BYE
  EXPECT_TRUE(sessions_.ended.empty());
}

TEST_F(StackTest, ReInviteRefusedWithReasonKeepsTheCall) {
  feed(invite());
  ASSERT_TRUE(stack_.respond(sessions_.invites[0], 200));
  auto tag = std::string(sent(1).to_tag());
  feed(in_dialog("ACK", tag, 1, "z9hG4bK-ack1"));
  sessions_.in_dialog_status = 488;
  feed(in_dialog("INVITE", tag, 2, "z9hG4bK-re2"));
  auto refused = sent(transport_.sent.size() - 1);
  EXPECT_EQ(refused.status(), 488);
  EXPECT_NE(refused.header(HeaderId::Reason).find("cause=488"), std::string_view::npos);
  // The transaction absorbs the ACK for the 488; the dialog stays.
  timers_.advance(40s);
  EXPECT_TRUE(sessions_.ended.empty());
  EXPECT_EQ(stack_.dialogs().table().size(), 1u);
}

}  // namespace
}  // namespace callwire::sip
