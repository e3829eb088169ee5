// Stack::invite / Stack::cancel over the in-memory transport and the test
// clock: the INVITE's shape, provisionals and early dialogs, the ACK of each
// 2xx, failures, digest retries, CANCEL, forks, timer B, and the UAC dialog
// afterwards (BYE either way, Record-Route).
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <map>
#include <string>
#include <vector>

#include "core/manual_timers.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/name_addr.hpp"
#include "sip/stack/stack.hpp"
#include "support/loop_transport.hpp"

namespace callwire::sip {
namespace {

using namespace std::chrono_literals;

class Sessions final : public SessionHandler {
 public:
  void on_invite(Stack&, InviteId, const Message&, const Source&) override {}
  void on_invite_cancelled(Stack&, InviteId) override {}
  void on_dialog_ended(Stack&, const Dialog& d, TerminationReason why) override {
    ended.emplace_back(d.id(), why);
  }
  bool on_dialog_request(Stack&, TxId, Dialog& d, const Message& request) override {
    requests.emplace_back(request.method_token());
    return false;
  }
  std::vector<std::pair<DialogId, TerminationReason>> ended;
  std::vector<std::string> requests;
};

class FakeResolver final : public NameResolver {
 public:
  void resolve(std::string host, Done done) override {
    hosts.push_back(std::move(host));
    pending.push_back(std::move(done));
  }
  std::vector<std::string> hosts;
  std::vector<Done> pending;
};

struct Events {
  std::vector<int> provisional;
  std::vector<std::pair<int, DialogId>> answered;
  std::vector<std::pair<int, bool>> failed;  // status, had a response
};

std::string md5_hex(std::string_view s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), md, &len, EVP_md5(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    out += buf;
  }
  return out;
}

// name=value / name="value" pairs of a credentials header (test's own reading).
std::map<std::string, std::string> auth_params(std::string_view v) {
  std::map<std::string, std::string> out;
  v.remove_prefix(v.find(' ') + 1);
  while (!v.empty()) {
    while (!v.empty() && (v.front() == ' ' || v.front() == ',')) v.remove_prefix(1);
    auto eq = v.find('=');
    if (eq == std::string_view::npos) break;
    std::string name(v.substr(0, eq));
    v.remove_prefix(eq + 1);
    std::string value;
    if (!v.empty() && v.front() == '"') {
      auto end = v.find('"', 1);
      value = std::string(v.substr(1, end - 1));
      v.remove_prefix(end + 1);
    } else {
      auto end = v.find(',');
      value = std::string(v.substr(0, end));
      v.remove_prefix(end == std::string_view::npos ? v.size() : end);
    }
    out[name] = value;
  }
  return out;
}

class OutgoingTest : public ::testing::Test {
 protected:
  OutgoingTest() : transport_(&timers_), stack_(StackConfig{{}, "callwire-test"}, transport_, timers_, admission_, sessions_) {
    peer_.protocol = Protocol::Udp;
    peer_.remote_address = boost::asio::ip::make_address("203.0.113.5");
    peer_.remote_port = 5080;
  }

  static OutgoingInvite spec() {
    OutgoingInvite s;
    s.request_uri = "sip:+14155551234@203.0.113.5:5080";
    s.from_uri = "sip:+15550001111@callwire.test";
    s.from_display = "Alice";
    s.to_uri = "sip:+14155551234@203.0.113.5";
    s.call_id = "out-1@callwire.test";
    s.headers = {{"X-Custom", "v1"}, {"P-Asserted-Identity", "<sip:+15550001111@callwire.test>"}};
    s.content_type = "application/sdp";
    s.body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    return s;
  }
  OutgoingEvents events() {
    OutgoingEvents e;
    e.on_provisional = [this](const Message& r) { ev_.provisional.push_back(r.status()); };
    e.on_answered = [this](const Message& r, const DialogId& d) { ev_.answered.emplace_back(r.status(), d); };
    e.on_failed = [this](int status, const Message* r) { ev_.failed.emplace_back(status, r != nullptr); };
    return e;
  }
  OutgoingId start(OutgoingInvite s = spec()) {
    auto id = stack_.invite(std::move(s), events());
    EXPECT_TRUE(id) << id.error().what();
    return id.value_or(0);
  }

  Message sent(std::size_t n) {
    auto m = Message::parse(transport_.sent.at(n).bytes);
    EXPECT_TRUE(m);
    return std::move(*m);
  }
  Message last() { return sent(transport_.sent.size() - 1); }
  std::vector<std::string> methods() {
    std::vector<std::string> out;
    for (auto& s : transport_.sent) {
      auto m = Message::parse(s.bytes);
      out.emplace_back(m && m->is_request() ? std::string(m->method_token()) : std::to_string(m->status()));
    }
    return out;
  }
  // The far end answers `request` (a copy of what we sent).
  void answer(const Message& request, int status, std::string_view to_tag,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto b = Builder::response_to(request, status, {}, to_tag);
    for (auto& [n, v] : headers) b.header(n, v);
    if (status > 100 && status < 300 && request.method() == Method::Invite)
      b.header(HeaderId::Contact, "<sip:far@203.0.113.9:5090>");
    feed(b.build());
  }
  void feed(const std::string& bytes) {
    auto m = Message::parse(bytes);
    ASSERT_TRUE(m) << m.error().what();
    stack_.receive(std::move(*m), peer_);
  }

  ManualTimers timers_;
  test::LoopTransport transport_;
  AdmitAll admission_;
  Sessions sessions_;
  Source peer_;
  Stack stack_;
  Events ev_;
};

TEST_F(OutgoingTest, InviteShape) {
  start();
  ASSERT_EQ(transport_.sent.size(), 1u);
  const auto& route = transport_.sent[0].route;
  EXPECT_EQ(route.address.to_string(), "203.0.113.5");
  EXPECT_EQ(route.port, 5080);
  EXPECT_EQ(route.protocol, Protocol::Udp);
  auto inv = sent(0);
  EXPECT_EQ(inv.method(), Method::Invite);
  EXPECT_EQ(inv.request_uri(), "sip:+14155551234@203.0.113.5:5080");
  EXPECT_TRUE(inv.top_via().text.starts_with("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK")) << inv.top_via().text;
  EXPECT_NE(inv.top_via().text.find(";rport"), std::string_view::npos);
  EXPECT_EQ(inv.max_forwards(), 70u);
  EXPECT_FALSE(inv.from_tag().empty());
  EXPECT_TRUE(inv.header(HeaderId::From).starts_with("\"Alice\" <sip:+15550001111@callwire.test>;tag="));
  EXPECT_TRUE(inv.to_tag().empty());
  EXPECT_EQ(inv.header(HeaderId::To), "<sip:+14155551234@203.0.113.5>");
  EXPECT_EQ(inv.call_id(), "out-1@callwire.test");
  EXPECT_EQ(inv.cseq().number, 1u);
  EXPECT_EQ(inv.cseq().method, Method::Invite);
  EXPECT_EQ(inv.header(HeaderId::Contact), "<sip:192.0.2.1:5060>");
  EXPECT_FALSE(inv.header(HeaderId::Allow).empty());
  EXPECT_EQ(inv.header(HeaderId::UserAgent), "callwire-test");
  EXPECT_EQ(inv.header("X-Custom"), "v1");
  EXPECT_EQ(inv.header("P-Asserted-Identity"), "<sip:+15550001111@callwire.test>");
  EXPECT_EQ(inv.header(HeaderId::ContentType), "application/sdp");
  EXPECT_EQ(inv.header(HeaderId::ContentLength), std::to_string(spec().body.size()));
  EXPECT_EQ(inv.body(), spec().body);
  EXPECT_FALSE(inv.has(HeaderId::Route));
  EXPECT_TRUE(ev_.failed.empty() && ev_.answered.empty());
  EXPECT_EQ(stack_.pending_outgoing(), 1u);
}

TEST_F(OutgoingTest, NextHopTakesTheRequestWithoutRouteHeader) {
  auto s = spec();
  s.next_hop = "sip:10.0.0.1:5070;transport=tcp";
  start(s);
  ASSERT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(transport_.sent[0].route.address.to_string(), "10.0.0.1");
  EXPECT_EQ(transport_.sent[0].route.port, 5070);
  EXPECT_EQ(transport_.sent[0].route.protocol, Protocol::Tcp);
  auto inv = sent(0);
  EXPECT_EQ(inv.request_uri(), s.request_uri);
  EXPECT_TRUE(inv.top_via().text.starts_with("SIP/2.0/TCP "));
  EXPECT_EQ(inv.header(HeaderId::Contact), "<sip:192.0.2.1:5060;transport=tcp>");
  EXPECT_FALSE(inv.has(HeaderId::Route));
}

TEST_F(OutgoingTest, LargeRequestMovesToTcp) {
  auto s = spec();
  s.body.append(1400, 'a');
  start(s);
  ASSERT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(transport_.sent[0].route.protocol, Protocol::Tcp);
  EXPECT_TRUE(sent(0).top_via().text.starts_with("SIP/2.0/TCP "));
}

TEST_F(OutgoingTest, UnusableInvitesAreRefused) {
  auto s = spec();
  s.request_uri = "sip:bob@203.0.113.5?Subject=hi";
  EXPECT_FALSE(stack_.invite(s, events()));
  s = spec();
  s.headers.emplace_back("Call-ID", "x");
  EXPECT_FALSE(stack_.invite(s, events()));
  s = spec();
  s.request_uri = "http://example.com";
  EXPECT_FALSE(stack_.invite(s, events()));
  s = spec();
  s.call_id.clear();
  EXPECT_FALSE(stack_.invite(s, events()));
  EXPECT_TRUE(transport_.sent.empty());
  EXPECT_EQ(stack_.pending_outgoing(), 0u);
}

TEST_F(OutgoingTest, ProvisionalMakesEarlyDialogAnd2xxIsAckedOnce) {
  start();
  auto inv = sent(0);
  answer(inv, 100, {});
  answer(inv, 180, "far1");
  EXPECT_EQ(ev_.provisional, (std::vector<int>{180}));
  auto* early = stack_.dialogs().table().find(DialogIdView(inv.call_id(), inv.from_tag(), "far1"));
  ASSERT_NE(early, nullptr);
  EXPECT_EQ(early->state(), DialogState::Early);
  EXPECT_EQ(early->role(), DialogRole::Uac);

  answer(inv, 200, "far1");
  ASSERT_EQ(ev_.answered.size(), 1u);
  EXPECT_EQ(ev_.answered[0].first, 200);
  EXPECT_EQ(ev_.answered[0].second.remote_tag, "far1");
  ASSERT_EQ(methods(), (std::vector<std::string>{"INVITE", "ACK"}));
  auto ack = sent(1);
  EXPECT_EQ(ack.request_uri(), "sip:far@203.0.113.9:5090");  // the 2xx's Contact
  EXPECT_EQ(ack.cseq().number, 1u);
  EXPECT_NE(ack.top_via().branch(), inv.top_via().branch());
  EXPECT_EQ(ack.to_tag(), "far1");
  EXPECT_EQ(transport_.sent[1].route.address.to_string(), "203.0.113.9");
  EXPECT_EQ(transport_.sent[1].route.port, 5090);
  EXPECT_EQ(stack_.dialogs().table().find(ev_.answered[0].second)->state(), DialogState::Confirmed);

  answer(inv, 200, "far1");  // retransmitted 2xx: the same ACK again, no second event
  ASSERT_EQ(methods(), (std::vector<std::string>{"INVITE", "ACK", "ACK"}));
  EXPECT_EQ(transport_.sent[2].bytes, transport_.sent[1].bytes);
  EXPECT_EQ(ev_.answered.size(), 1u);
  EXPECT_TRUE(ev_.failed.empty());
  // After timer M the call is forgotten; a late 2xx retransmission is still ACKed by the dialog.
  timers_.advance(33s);
  EXPECT_EQ(stack_.pending_outgoing(), 0u);
  answer(inv, 200, "far1");
  EXPECT_EQ(methods().back(), "ACK");
  EXPECT_EQ(ev_.answered.size(), 1u);
}

TEST_F(OutgoingTest, FailureIsAckedByTheTransaction) {
  start();
  auto inv = sent(0);
  answer(inv, 180, "far1");
  answer(inv, 486, "far1");
  ASSERT_EQ(methods(), (std::vector<std::string>{"INVITE", "ACK"}));
  auto ack = sent(1);
  EXPECT_EQ(ack.top_via().branch(), inv.top_via().branch());  // §17.1.1.3: the transaction's ACK
  ASSERT_EQ(ev_.failed.size(), 1u);
  EXPECT_EQ(ev_.failed[0], std::make_pair(486, true));
  EXPECT_EQ(stack_.pending_outgoing(), 0u);
  EXPECT_EQ(stack_.dialogs().table().size(), 0u);  // the early dialog ended with it
  EXPECT_TRUE(sessions_.ended.empty());            // and the app never heard of it
}

TEST_F(OutgoingTest, ProxyChallengeIsAnsweredOnceWithCorrectDigest) {
  auto s = spec();
  s.login = DigestLogin{"trunkuser", "s3cret"};
  start(s);
  auto inv = sent(0);
  answer(inv, 407, "px", {{"Proxy-Authenticate", "Digest realm=\"carrier.example\", nonce=\"n-1\", qop=\"auth\", opaque=\"op\""}});
  ASSERT_EQ(methods(), (std::vector<std::string>{"INVITE", "ACK", "INVITE"}));
  auto retry = sent(2);
  EXPECT_EQ(retry.cseq().number, 2u);
  EXPECT_EQ(retry.call_id(), inv.call_id());
  EXPECT_EQ(retry.from_tag(), inv.from_tag());
  EXPECT_TRUE(retry.to_tag().empty());
  EXPECT_NE(retry.top_via().branch(), inv.top_via().branch());
  EXPECT_EQ(retry.body(), inv.body());
  EXPECT_FALSE(retry.has(HeaderId::Authorization));
  auto p = auth_params(retry.header(HeaderId::ProxyAuthorization));
  EXPECT_EQ(p["username"], "trunkuser");
  EXPECT_EQ(p["realm"], "carrier.example");
  EXPECT_EQ(p["nonce"], "n-1");
  EXPECT_EQ(p["uri"], s.request_uri);
  EXPECT_EQ(p["qop"], "auth");
  EXPECT_EQ(p["nc"], "00000001");
  EXPECT_EQ(p["opaque"], "op");
  ASSERT_FALSE(p["cnonce"].empty());
  std::string ha1 = md5_hex("trunkuser:carrier.example:s3cret");
  std::string ha2 = md5_hex("INVITE:" + s.request_uri);
  EXPECT_EQ(p["response"], md5_hex(ha1 + ":n-1:00000001:" + p["cnonce"] + ":auth:" + ha2));
  EXPECT_TRUE(ev_.failed.empty());

  answer(retry, 200, "far1");
  ASSERT_EQ(ev_.answered.size(), 1u);
  EXPECT_EQ(last().method(), Method::Ack);
  EXPECT_EQ(last().cseq().number, 2u);
}

TEST_F(OutgoingTest, WwwAuthenticateWithoutQopAndSha256Preferred) {
  auto s = spec();
  s.login = DigestLogin{"u", "p"};
  start(s);
  auto inv = sent(0);
  answer(inv, 401, "uas", {{"WWW-Authenticate", "Digest realm=\"r\", nonce=\"n\", algorithm=MD5"},
                           {"WWW-Authenticate", "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256"}});
  auto retry = last();
  ASSERT_EQ(retry.method(), Method::Invite);
  auto p = auth_params(retry.header(HeaderId::Authorization));
  EXPECT_EQ(p["algorithm"], "SHA-256");
  EXPECT_EQ(p.count("qop"), 0u);
  EXPECT_EQ(p["response"].size(), 64u);
}

TEST_F(OutgoingTest, SecondChallengeWithSameNonceFails) {
  auto s = spec();
  s.login = DigestLogin{"u", "wrong"};
  start(s);
  std::pair<std::string, std::string> challenge{"Proxy-Authenticate", "Digest realm=\"r\", nonce=\"same\""};
  answer(sent(0), 407, "px", {challenge});
  answer(last(), 407, "px", {challenge});
  ASSERT_EQ(ev_.failed.size(), 1u);
  EXPECT_EQ(ev_.failed[0], std::make_pair(407, true));
  EXPECT_EQ(methods(), (std::vector<std::string>{"INVITE", "ACK", "INVITE", "ACK"}));
}

TEST_F(OutgoingTest, StaleNonceIsRetriedAndNoLoginFailsAtOnce) {
  auto s = spec();
  s.login = DigestLogin{"u", "p"};
  start(s);
  answer(sent(0), 401, "x", {{"WWW-Authenticate", "Digest realm=\"r\", nonce=\"a\""}});
  answer(last(), 401, "x", {{"WWW-Authenticate", "Digest realm=\"r\", nonce=\"a\", stale=true"}});
  EXPECT_EQ(last().cseq().number, 3u);
  EXPECT_TRUE(ev_.failed.empty());

  auto other = spec();
  other.call_id = "out-2@callwire.test";
  start(other);
  answer(last(), 401, "y", {{"WWW-Authenticate", "Digest realm=\"r\", nonce=\"b\""}});
  ASSERT_EQ(ev_.failed.size(), 1u);
  EXPECT_EQ(ev_.failed[0].first, 401);
}

TEST_F(OutgoingTest, CancelWaitsForProvisionalThen487) {
  auto id = start();
  auto inv = sent(0);
  ASSERT_TRUE(stack_.cancel(id));
  EXPECT_EQ(methods(), (std::vector<std::string>{"INVITE"}));  // §9.1: not before a provisional
  EXPECT_TRUE(ev_.failed.empty());                             // nothing inside cancel()
  answer(inv, 180, "far1");
  ASSERT_EQ(methods(), (std::vector<std::string>{"INVITE", "CANCEL"}));
  auto cancel = sent(1);
  EXPECT_EQ(cancel.top_via().branch(), inv.top_via().branch());
  EXPECT_EQ(cancel.cseq().number, 1u);
  EXPECT_EQ(cancel.cseq().method, Method::Cancel);
  EXPECT_TRUE(ev_.provisional.empty());  // a cancelled call hears no more ringing
  answer(cancel, 200, "far1");
  answer(inv, 487, "far1");
  EXPECT_EQ(methods().back(), "ACK");
  ASSERT_EQ(ev_.failed.size(), 1u);
  EXPECT_EQ(ev_.failed[0], std::make_pair(487, true));
  EXPECT_FALSE(stack_.cancel(id));
}

TEST_F(OutgoingTest, TwoHundredAfterCancelIsAckedAndHungUp) {
  auto id = start();
  auto inv = sent(0);
  answer(inv, 180, "far1");
  ASSERT_TRUE(stack_.cancel(id));
  answer(inv, 200, "far1");
  ASSERT_EQ(methods(), (std::vector<std::string>{"INVITE", "CANCEL", "ACK", "BYE"}));
  EXPECT_TRUE(ev_.answered.empty());
  ASSERT_EQ(ev_.failed.size(), 1u);
  EXPECT_EQ(ev_.failed[0], std::make_pair(487, false));
  auto bye = sent(3);
  EXPECT_EQ(bye.request_uri(), "sip:far@203.0.113.9:5090");
  EXPECT_EQ(bye.to_tag(), "far1");
  EXPECT_TRUE(sessions_.ended.empty());
}

TEST_F(OutgoingTest, SecondForkIsAckedAndHungUp) {
  start();
  auto inv = sent(0);
  answer(inv, 180, "fork2");
  answer(inv, 183, "fork3");
  EXPECT_EQ(stack_.dialogs().table().size(), 2u);  // two early dialogs
  answer(inv, 200, "fork1");
  answer(inv, 200, "fork2");
  ASSERT_EQ(methods(), (std::vector<std::string>{"INVITE", "ACK", "ACK", "BYE"}));
  EXPECT_EQ(sent(2).to_tag(), "fork2");
  EXPECT_EQ(sent(3).to_tag(), "fork2");
  ASSERT_EQ(ev_.answered.size(), 1u);
  EXPECT_EQ(ev_.answered[0].second.remote_tag, "fork1");
  EXPECT_NE(stack_.dialogs().table().find(ev_.answered[0].second), nullptr);
  EXPECT_EQ(stack_.dialogs().table().size(), 1u);  // fork3's early dialog ended with the answer
  answer(inv, 180, "fork4");                       // a late provisional: cleaned up with the call
  timers_.advance(33s);
  EXPECT_EQ(stack_.dialogs().table().size(), 1u);
  EXPECT_EQ(stack_.pending_outgoing(), 0u);
  EXPECT_TRUE(sessions_.ended.empty());
}

TEST_F(OutgoingTest, TimerBFailsWith408) {
  start();
  timers_.advance(31s);
  EXPECT_TRUE(ev_.failed.empty());
  timers_.advance(2s);
  ASSERT_EQ(ev_.failed.size(), 1u);
  EXPECT_EQ(ev_.failed[0], std::make_pair(408, false));
  EXPECT_EQ(stack_.pending_outgoing(), 0u);
}

TEST_F(OutgoingTest, CancelledCallWithoutFinalGivesUpAfter64T1) {
  auto id = start();
  answer(sent(0), 180, "far1");
  ASSERT_TRUE(stack_.cancel(id));
  timers_.advance(33s);
  ASSERT_EQ(ev_.failed.size(), 1u);
  EXPECT_EQ(ev_.failed[0], std::make_pair(487, false));
}

TEST_F(OutgoingTest, TransportErrorFailsWith503Later) {
  transport_.fail_all = true;
  start();
  EXPECT_TRUE(ev_.failed.empty());  // never inside invite()
  timers_.advance(0ms);
  ASSERT_EQ(ev_.failed.size(), 1u);
  EXPECT_EQ(ev_.failed[0], std::make_pair(503, false));
}

TEST_F(OutgoingTest, HostNamesGoThroughTheResolver) {
  auto s = spec();
  s.request_uri = "sip:bob@pbx.example.com;transport=tcp";
  start(s);  // no resolver set: 503, later
  EXPECT_TRUE(ev_.failed.empty());
  timers_.advance(0ms);
  ASSERT_EQ(ev_.failed.size(), 1u);
  EXPECT_EQ(ev_.failed[0].first, 503);

  FakeResolver resolver;
  stack_.set_resolver(&resolver);
  start(s);
  ASSERT_EQ(resolver.hosts, (std::vector<std::string>{"pbx.example.com"}));
  EXPECT_TRUE(transport_.sent.empty());
  resolver.pending[0](std::vector<boost::asio::ip::address>{boost::asio::ip::make_address("198.51.100.20")});
  ASSERT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(transport_.sent[0].route.address.to_string(), "198.51.100.20");
  EXPECT_EQ(transport_.sent[0].route.port, 5060);
  EXPECT_EQ(transport_.sent[0].route.protocol, Protocol::Tcp);

  start(s);
  resolver.pending[1](std::unexpected(Error{std::make_error_code(std::errc::host_unreachable), "NXDOMAIN"}));
  ASSERT_EQ(ev_.failed.size(), 2u);
  EXPECT_EQ(ev_.failed[1].first, 503);

  auto id = start(s);  // cancelled while resolving
  ASSERT_TRUE(stack_.cancel(id));
  resolver.pending[2](std::vector<boost::asio::ip::address>{boost::asio::ip::make_address("198.51.100.20")});
  timers_.advance(0ms);
  EXPECT_EQ(transport_.sent.size(), 1u);
  ASSERT_EQ(ev_.failed.size(), 3u);
  EXPECT_EQ(ev_.failed[2].first, 487);
}

TEST_F(OutgoingTest, TlsNameAndHostNameTargetsFollowTheDialog) {
  FakeResolver resolver;
  stack_.set_resolver(&resolver);
  auto s = spec();
  s.request_uri = "sip:bob@pbx.example.com;transport=tls";
  start(s);
  resolver.pending[0](std::vector<boost::asio::ip::address>{boost::asio::ip::make_address("198.51.100.20")});
  ASSERT_EQ(transport_.sent.size(), 1u);
  EXPECT_EQ(transport_.sent[0].route.protocol, Protocol::Tls);
  EXPECT_EQ(transport_.sent[0].route.port, 5061);
  EXPECT_EQ(transport_.sent[0].route.server_name, "pbx.example.com");
  auto inv = sent(0);
  auto ok = Builder::response_to(inv, 200, {}, "far1");
  ok.header(HeaderId::Contact, "<sip:bob@198.51.100.20:5061;transport=tls>");
  feed(ok.build());
  ASSERT_EQ(ev_.answered.size(), 1u);
  EXPECT_EQ(transport_.sent.back().route.server_name, "pbx.example.com");  // the ACK
  ASSERT_TRUE(stack_.hangup(ev_.answered[0].second));
  EXPECT_EQ(last().method(), Method::Bye);
  EXPECT_EQ(transport_.sent.back().route.server_name, "pbx.example.com");
  EXPECT_EQ(transport_.sent.back().route.address.to_string(), "198.51.100.20");

  // A Contact naming a host: ACK and BYE go where the INVITE went.
  auto other = spec();
  other.call_id = "out-2@callwire.test";
  start(other);
  auto inv2 = last();
  auto ok2 = Builder::response_to(inv2, 200, {}, "far2");
  ok2.header(HeaderId::Contact, "<sip:bob@gw.carrier.example>");
  feed(ok2.build());
  ASSERT_EQ(ev_.answered.size(), 2u);
  EXPECT_EQ(last().method(), Method::Ack);
  EXPECT_EQ(last().request_uri(), "sip:bob@gw.carrier.example");
  EXPECT_EQ(transport_.sent.back().route.address.to_string(), "203.0.113.5");
  EXPECT_EQ(transport_.sent.back().route.port, 5080);
  ASSERT_TRUE(stack_.hangup(ev_.answered[1].second));
  EXPECT_EQ(last().method(), Method::Bye);
  EXPECT_EQ(transport_.sent.back().route.address.to_string(), "203.0.113.5");
}

TEST_F(OutgoingTest, CancelAfterAuthRetryCancelsTheCurrentInvite) {
  auto s = spec();
  s.login = DigestLogin{"u", "p"};
  auto id = start(s);
  answer(sent(0), 407, "px", {{"Proxy-Authenticate", "Digest realm=\"r\", nonce=\"n\""}});
  auto retry = last();
  answer(retry, 183, "far1");
  ASSERT_TRUE(stack_.cancel(id));
  auto cancel = last();
  ASSERT_EQ(cancel.method(), Method::Cancel);
  EXPECT_EQ(cancel.top_via().branch(), retry.top_via().branch());
  EXPECT_EQ(cancel.cseq().number, 2u);
  EXPECT_EQ(cancel.header(HeaderId::ProxyAuthorization), "");  // built from the INVITE's copy rules
}

TEST_F(OutgoingTest, HangupFollowsReversedRecordRouteAndByeFromFarEndEnds) {
  start();
  auto inv = sent(0);
  answer(inv, 200, "far1",
         {{"Record-Route", "<sip:198.51.100.1;lr>"}, {"Record-Route", "<sip:198.51.100.2:5070;lr>"}});
  ASSERT_EQ(ev_.answered.size(), 1u);
  DialogId id = ev_.answered[0].second;
  auto ack = last();
  ASSERT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.request_uri(), "sip:far@203.0.113.9:5090");
  auto routes = ack.values(HeaderId::Route);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0], "<sip:198.51.100.2:5070;lr>");
  EXPECT_EQ(routes[1], "<sip:198.51.100.1;lr>");
  EXPECT_EQ(transport_.sent.back().route.address.to_string(), "198.51.100.2");
  EXPECT_EQ(transport_.sent.back().route.port, 5070);

  ASSERT_TRUE(stack_.hangup(id));
  auto bye = last();
  ASSERT_EQ(bye.method(), Method::Bye);
  EXPECT_EQ(bye.request_uri(), "sip:far@203.0.113.9:5090");
  EXPECT_EQ(bye.cseq().number, 2u);
  EXPECT_EQ(bye.from_tag(), inv.from_tag());
  EXPECT_EQ(bye.to_tag(), "far1");
  routes = bye.values(HeaderId::Route);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0], "<sip:198.51.100.2:5070;lr>");
  EXPECT_EQ(transport_.sent.back().route.address.to_string(), "198.51.100.2");
  ASSERT_EQ(sessions_.ended.size(), 1u);
  EXPECT_EQ(sessions_.ended[0].second, TerminationReason::Local);
}

TEST_F(OutgoingTest, InDialogRequestsFromTheFarEndReachTheSessionHandler) {
  start();
  auto inv = sent(0);
  answer(inv, 200, "far1");
  ASSERT_EQ(ev_.answered.size(), 1u);
  auto in_dialog = [&](std::string_view method, int cseq) {
    std::string m = std::string(method) + " sip:192.0.2.1:5060 SIP/2.0\r\n";
    m += "Via: SIP/2.0/UDP 203.0.113.9:5090;branch=z9hG4bK-far-" + std::string(method) + "\r\n";
    m += "Max-Forwards: 70\r\nFrom: <sip:+14155551234@203.0.113.5>;tag=far1\r\n";
    m += "To: \"Alice\" <sip:+15550001111@callwire.test>;tag=" + std::string(inv.from_tag()) + "\r\n";
    m += "Call-ID: out-1@callwire.test\r\nCSeq: " + std::to_string(cseq) + " " + std::string(method) + "\r\n";
    m += "Content-Length: 0\r\n\r\n";
    feed(m);
  };
  in_dialog("INFO", 1);
  EXPECT_EQ(sessions_.requests, (std::vector<std::string>{"INFO"}));
  EXPECT_EQ(last().status(), 200);
  in_dialog("INVITE", 2);  // a re-INVITE the handler leaves to the stack: 488, the call stays
  EXPECT_EQ(sessions_.requests, (std::vector<std::string>{"INFO", "INVITE"}));
  EXPECT_EQ(last().status(), 488);
  EXPECT_EQ(last().to_tag(), inv.from_tag());
  EXPECT_TRUE(sessions_.ended.empty());
  in_dialog("BYE", 3);
  EXPECT_EQ(last().status(), 200);
  ASSERT_EQ(sessions_.ended.size(), 1u);
  EXPECT_EQ(sessions_.ended[0].first, ev_.answered[0].second);
  EXPECT_EQ(sessions_.ended[0].second, TerminationReason::ByeReceived);
}

TEST_F(OutgoingTest, RequestsInTheDialogReInviteAndInfo) {
  start();
  answer(sent(0), 200, "far1", {{"Record-Route", "<sip:198.51.100.1;lr>"}});
  ASSERT_EQ(ev_.answered.size(), 1u);
  DialogId id = ev_.answered[0].second;
  std::vector<int> done;
  auto record = [&](int status, const Message*) { done.push_back(status); };

  MessageParts info;
  info.content_type = "application/dtmf-relay";
  info.body = "Signal=5\r\nDuration=160\r\n";
  ASSERT_TRUE(stack_.request_in_dialog(id, "INFO", info, record));
  auto sent_info = last();
  EXPECT_EQ(sent_info.method(), Method::Info);
  EXPECT_EQ(sent_info.request_uri(), "sip:far@203.0.113.9:5090");
  EXPECT_EQ(sent_info.header(HeaderId::Route), "<sip:198.51.100.1;lr>");
  EXPECT_EQ(sent_info.cseq().number, 2u);
  EXPECT_EQ(sent_info.body(), info.body);
  EXPECT_EQ(transport_.sent.back().route.address.to_string(), "198.51.100.1");
  EXPECT_TRUE(done.empty());  // never inside the call
  answer(sent_info, 200, {});
  EXPECT_EQ(done, (std::vector<int>{200}));

  MessageParts offer;
  offer.content_type = "application/sdp";
  offer.body = "v=0\r\n";
  ASSERT_TRUE(stack_.request_in_dialog(id, "INVITE", offer, record));
  auto reinvite = last();
  EXPECT_EQ(reinvite.cseq().number, 3u);
  EXPECT_FALSE(reinvite.header(HeaderId::Contact).empty());
  auto overlap = stack_.request_in_dialog(id, "INVITE", offer, record);
  ASSERT_FALSE(overlap);
  EXPECT_EQ(overlap.error().code, make_error_code(StackErrc::InvitePending));
  answer(reinvite, 200, {});
  auto ack = last();
  ASSERT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.cseq().number, 3u);
  answer(reinvite, 200, {});  // retransmitted: ACKed again, reported once
  EXPECT_EQ(last().method(), Method::Ack);
  EXPECT_EQ(done, (std::vector<int>{200, 200}));
  EXPECT_FALSE(stack_.request_in_dialog(id, "BYE", {}, record));

  ASSERT_TRUE(stack_.request_in_dialog(id, "INVITE", offer, record));  // the pending mark was cleared
  answer(last(), 488, {});
  EXPECT_EQ(done, (std::vector<int>{200, 200, 488}));
  EXPECT_NE(stack_.dialogs().table().find(id), nullptr);  // a refused re-INVITE keeps the call

  ASSERT_TRUE(stack_.request_in_dialog(id, "OPTIONS", {}, record));
  answer(last(), 481, {});
  EXPECT_EQ(done.back(), 481);
  EXPECT_EQ(stack_.dialogs().table().find(id), nullptr);
  ASSERT_EQ(sessions_.ended.size(), 1u);
  EXPECT_EQ(sessions_.ended[0].second, TerminationReason::NoDialogAtPeer);
}

TEST_F(OutgoingTest, RequestInTheDialogTimesOut) {
  start();
  answer(sent(0), 200, "far1");
  DialogId id = ev_.answered.at(0).second;
  int status = 0;
  ASSERT_TRUE(stack_.request_in_dialog(id, "INFO", {}, [&](int s, const Message* r) {
    status = s;
    EXPECT_EQ(r, nullptr);
  }));
  timers_.advance(33s);
  EXPECT_EQ(status, 408);
  EXPECT_EQ(stack_.dialogs().table().find(id), nullptr);
  ASSERT_EQ(sessions_.ended.size(), 1u);
  EXPECT_EQ(sessions_.ended[0].second, TerminationReason::RequestTimeout);
}

}  // namespace
}  // namespace callwire::sip
