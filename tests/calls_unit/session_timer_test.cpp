// RFC 4028 session timers: header reading, the §7/§9 negotiation tables,
// the headers we write, and the per-dialog timer on a hand-driven clock.
#include "calls/session_timer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/manual_timers.hpp"

namespace callwire::calls {
namespace {

using std::chrono::seconds;

sip::Message message(std::string extra, bool response = false) {
  std::string text = response ? "SIP/2.0 200 OK\r\n" : "INVITE sip:a@example.com SIP/2.0\r\n";
  text +=
      "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\n"
      "From: <sip:b@example.com>;tag=1\r\n"
      "To: <sip:a@example.com>\r\n"
      "Call-ID: st@test\r\n"
      "CSeq: 1 INVITE\r\n";
  text += extra;
  text += "Content-Length: 0\r\n\r\n";
  auto parsed = sip::Message::parse(text);
  EXPECT_TRUE(parsed) << text;
  return std::move(*parsed);
}

SessionTimerHeaders read(std::string extra, bool response = false) {
  auto m = message(std::move(extra), response);
  return read_session_timer(m);
}

std::string header(const HeaderList& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (n == name) return v;
  return "<none>";
}

TEST(SessionTimerHeaders, ReadsEveryField) {
  auto h = read("Session-Expires: 1800 ; refresher=UAS\r\nMin-SE: 120\r\nSupported: replaces, timer\r\n"
                "Allow: INVITE, ACK, BYE, UPDATE\r\n");
  ASSERT_TRUE(h.session_expires);
  EXPECT_EQ(*h.session_expires, seconds{1800});
  EXPECT_EQ(h.refresher, Refresher::Uas);
  EXPECT_EQ(h.min_se, seconds{120});
  EXPECT_TRUE(h.supported);
  EXPECT_FALSE(h.required);
  EXPECT_TRUE(h.allows_update);
}

TEST(SessionTimerHeaders, CompactFormAndRequire) {
  auto h = read("x: 90;refresher=uac\r\nk: timer\r\nRequire: timer\r\nAllow: INVITE, BYE\r\n");
  EXPECT_EQ(h.session_expires, seconds{90});
  EXPECT_EQ(h.refresher, Refresher::Uac);
  EXPECT_TRUE(h.supported);
  EXPECT_TRUE(h.required);
  EXPECT_FALSE(h.allows_update);
}

TEST(SessionTimerHeaders, UnusableValuesAreAbsent) {
  EXPECT_FALSE(read("Session-Expires: soon\r\n").session_expires);
  EXPECT_FALSE(read("Session-Expires: -5\r\n").session_expires);
  EXPECT_FALSE(read("Session-Expires: 0\r\n").session_expires);
  EXPECT_FALSE(read("Session-Expires: 99999999999\r\n").session_expires);
  EXPECT_FALSE(read("Session-Expires: 1800;refresher=proxy\r\n").refresher);
  EXPECT_FALSE(read("Min-SE: x\r\n").min_se);
  EXPECT_FALSE(read("Supported: timers\r\n").supported);
  auto none = read("");
  EXPECT_FALSE(none.session_expires);
  EXPECT_FALSE(none.supported);
}

TEST(SessionTimerUas, TooSmallAnswers422WithOurMinSe) {
  SessionTimerConfig config;  // Min-SE 90
  EXPECT_EQ(too_small(read("Session-Expires: 60\r\n"), config), seconds{90});
  EXPECT_EQ(too_small(read("Session-Expires: 89;refresher=uac\r\nSupported: timer\r\n"), config), seconds{90});
  EXPECT_FALSE(too_small(read("Session-Expires: 90\r\n"), config));
  EXPECT_FALSE(too_small(read(""), config));
  config.min_se = seconds{2};
  EXPECT_FALSE(too_small(read("Session-Expires: 4\r\n"), config));
  EXPECT_EQ(too_small(read("Session-Expires: 1\r\n"), config), seconds{2});
  config.enabled = false;
  EXPECT_FALSE(too_small(read("Session-Expires: 1\r\n"), config));
}

// RFC 4028 §9, UAS behaviour: UAC supports? × Session-Expires in request? ×
// refresher → Session-Expires in the response, its refresher, who refreshes.
TEST(SessionTimerUas, NegotiationTable) {
  struct Row {
    std::string request;
    bool has_timer;
    std::string session_expires;  // in our 2xx
    std::string require;
    bool we_refresh;
  };
  const Row rows[] = {
      {"", false, "<none>", "<none>", false},                                     // no / no
      {"Supported: timer\r\n", false, "<none>", "<none>", false},                 // yes / no: we add none
      {"Session-Expires: 1800\r\n", true, "1800;refresher=uas", "<none>", true},  // no / yes: proxy asked
      {"Session-Expires: 1800;refresher=uac\r\n", true, "1800;refresher=uas", "<none>", true},
      {"Supported: timer\r\nSession-Expires: 600\r\n", true, "600;refresher=uac", "timer", false},
      {"Supported: timer\r\nSession-Expires: 600;refresher=uac\r\n", true, "600;refresher=uac", "timer", false},
      {"Supported: timer\r\nSession-Expires: 600;refresher=uas\r\n", true, "600;refresher=uas", "timer", true},
      {"Require: timer\r\nx: 300;refresher=uas\r\n", true, "300;refresher=uas", "timer", true},
  };
  SessionTimerConfig config;
  for (const auto& row : rows) {
    auto out = negotiate_uas(read(row.request), config);
    ASSERT_EQ(out.terms.has_value(), row.has_timer) << row.request;
    EXPECT_EQ(header(out.headers, "Session-Expires"), row.session_expires) << row.request;
    EXPECT_EQ(header(out.headers, "Require"), row.require) << row.request;
    if (out.terms) {
      EXPECT_EQ(out.terms->we_refresh, row.we_refresh) << row.request;
      EXPECT_EQ(out.terms->interval.count(), std::stoi(row.session_expires)) << row.request;
    }
  }
  config.enabled = false;
  EXPECT_FALSE(negotiate_uas(read("Supported: timer\r\nSession-Expires: 600\r\n"), config).terms);
}

// RFC 4028 §7.2, UAC behaviour on the 2xx.
TEST(SessionTimerUac, NegotiationTable) {
  struct Row {
    std::string response;
    bool has_timer;
    bool we_refresh;
    int interval;
  };
  const Row rows[] = {
      {"", false, false, 0},                                                       // UAS without timers
      {"Supported: timer\r\n", false, false, 0},                                   // no Session-Expires: no expiry
      {"Session-Expires: 1800;refresher=uac\r\n", true, true, 1800},               // a proxy added it for us
      {"Require: timer\r\nSession-Expires: 1800;refresher=uac\r\n", true, true, 1800},
      {"Require: timer\r\nSession-Expires: 900;refresher=uas\r\n", true, false, 900},
      {"Require: timer\r\nx: 4;refresher=uac\r\n", true, true, 4},
      {"Require: timer\r\nSession-Expires: 1800\r\n", true, true, 1800},
  };
  for (const auto& row : rows) {
    auto terms = negotiate_uac(read(row.response, true));
    ASSERT_EQ(terms.has_value(), row.has_timer) << row.response;
    if (!terms) continue;
    EXPECT_EQ(terms->we_refresh, row.we_refresh) << row.response;
    EXPECT_EQ(terms->interval, seconds{row.interval}) << row.response;
  }
}

TEST(SessionTimerUac, HeadersWeSend) {
  SessionTimerConfig config;
  auto invite = uac_invite_headers(config);
  EXPECT_EQ(header(invite, "Supported"), "<none>");  // the stack writes sip::kSupported on every INVITE
  EXPECT_EQ(header(invite, "Session-Expires"), "1800");
  EXPECT_EQ(header(invite, "Min-SE"), "90");
  // After a 422 asking for more, never below our own Min-SE.
  EXPECT_EQ(header(uac_invite_headers(config, seconds{3600}), "Session-Expires"), "3600");
  EXPECT_EQ(header(uac_invite_headers(config, seconds{30}), "Session-Expires"), "90");

  SessionTerms terms{seconds{600}, true, true};
  auto refresh = refresh_headers(terms, config);
  EXPECT_EQ(header(refresh, "Session-Expires"), "600;refresher=uac");
  EXPECT_EQ(header(refresh, "Supported"), "timer");
  EXPECT_EQ(header(refresh, "Min-SE"), "90");
  EXPECT_EQ(header(refresh_headers(SessionTerms{seconds{4}, true, true}, config), "Min-SE"), "4");

  config.enabled = false;
  EXPECT_TRUE(uac_invite_headers(config).empty());
}

TEST(SessionTimerClock, Delays) {
  EXPECT_EQ(SessionTimer::refresh_delay(seconds{1800}), Millis{900000});
  EXPECT_EQ(SessionTimer::expiry_delay(seconds{1800}), Millis{1768000});  // 32 s before the end
  EXPECT_EQ(SessionTimer::expiry_delay(seconds{90}), Millis{60000});      // a third before the end
  EXPECT_EQ(SessionTimer::expiry_delay(seconds{4}), Millis{2667});
  EXPECT_EQ(SessionTimer::refresh_delay(seconds{4}), Millis{2000});
}

struct Fired {
  int refreshes = 0;
  int expiries = 0;
};

TEST(SessionTimerClock, WeRefreshAtHalf) {
  ManualTimers clock;
  Fired fired;
  SessionTimer timer(clock, {[&] { ++fired.refreshes; }, [&] { ++fired.expiries; }});
  timer.start(SessionTerms{seconds{90}, true, true});
  clock.advance(Millis{44999});
  EXPECT_EQ(fired.refreshes, 0);
  clock.advance(Millis{1});
  EXPECT_EQ(fired.refreshes, 1);
  // The refresh is answered 2 s later: the timer starts over.
  clock.advance(Millis{2000});
  timer.start(SessionTerms{seconds{90}, true, true});
  clock.advance(Millis{45000});
  EXPECT_EQ(fired.refreshes, 2);
  EXPECT_EQ(fired.expiries, 0);
}

TEST(SessionTimerClock, UnansweredRefreshExpires) {
  ManualTimers clock;
  Fired fired;
  SessionTimer timer(clock, {[&] { ++fired.refreshes; }, [&] { ++fired.expiries; }});
  timer.start(SessionTerms{seconds{90}, true, true});
  clock.advance(Millis{45000});
  EXPECT_EQ(fired.refreshes, 1);
  clock.advance(Millis{14999});  // expiry point: 60 s after the start
  EXPECT_EQ(fired.expiries, 0);
  clock.advance(Millis{1});
  EXPECT_EQ(fired.expiries, 1);
  EXPECT_FALSE(timer.running());
}

TEST(SessionTimerClock, PeerRefreshesOrWeExpire) {
  ManualTimers clock;
  Fired fired;
  SessionTimer timer(clock, {[&] { ++fired.refreshes; }, [&] { ++fired.expiries; }});
  timer.start(SessionTerms{seconds{90}, false, true});
  clock.advance(Millis{59000});
  // A refresh from the peer restarts the count.
  timer.start(SessionTerms{seconds{90}, false, true});
  clock.advance(Millis{59999});
  EXPECT_EQ(fired.expiries, 0);
  clock.advance(Millis{1});
  EXPECT_EQ(fired.expiries, 1);
  EXPECT_EQ(fired.refreshes, 0);
  clock.advance(Millis{600000});
  EXPECT_EQ(fired.expiries, 1);  // once
}

TEST(SessionTimerClock, StopAndDestroyCancel) {
  ManualTimers clock;
  Fired fired;
  {
    SessionTimer timer(clock, {[&] { ++fired.refreshes; }, [&] { ++fired.expiries; }});
    timer.start(SessionTerms{seconds{4}, false, true});
    EXPECT_TRUE(timer.running());
    timer.stop();
    EXPECT_FALSE(timer.running());
    EXPECT_EQ(clock.pending(), 0u);
    timer.start(SessionTerms{seconds{4}, true, true});
  }
  EXPECT_EQ(clock.pending(), 0u);
  clock.advance(Millis{10000});
  EXPECT_EQ(fired.refreshes + fired.expiries, 0);
}

TEST(SessionTimerClock, ShorterTermsFromARefresh) {
  ManualTimers clock;
  Fired fired;
  SessionTimer timer(clock, {[&] { ++fired.refreshes; }, [&] { ++fired.expiries; }});
  timer.start(SessionTerms{seconds{1800}, false, true});
  clock.advance(Millis{10000});
  timer.start(SessionTerms{seconds{4}, true, true});  // the peer asked us to refresh, every 4 s
  EXPECT_EQ(timer.terms()->interval, seconds{4});
  clock.advance(Millis{2000});
  EXPECT_EQ(fired.refreshes, 1);
  EXPECT_EQ(fired.expiries, 0);
}

}  // namespace
}  // namespace callwire::calls
