#pragma once
// RFC 4028 session timers: what a request or response says (Session-Expires
// with its refresher, Min-SE, `timer` in Supported/Require, UPDATE in Allow),
// the negotiation of §7 (UAC) and §9 (UAS), the headers our answers and
// requests carry, and one timer per dialog. When we refresh, `refresh` runs
// at half the interval; when the peer refreshes, `expired` runs at
// interval - min(32 s, interval / 3) unless a refresh restarted the timer.
// Everything here is pure logic over a Timers clock (ManualTimers in tests).
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/timers.hpp"
#include "sip/message/message.hpp"

namespace callwire::calls {

struct SessionTimerConfig {
  bool enabled = true;
  std::chrono::seconds min_se{90};      // smaller Session-Expires in a request: 422
  std::chrono::seconds interval{1800};  // what we ask for in our INVITEs
};

// The refresher parameter names a role in the transaction that carries it.
enum class Refresher { Uac, Uas };

// What one message says about session timers. Untrusted input: a value that
// does not parse is treated as absent.
struct SessionTimerHeaders {
  std::optional<std::chrono::seconds> session_expires;
  std::optional<Refresher> refresher;
  std::optional<std::chrono::seconds> min_se;
  bool supported = false;       // Supported: timer
  bool required = false;        // Require: timer
  bool allows_update = false;   // Allow: ..., UPDATE
};
SessionTimerHeaders read_session_timer(const sip::Message& message);

// The terms a dialog runs under.
struct SessionTerms {
  std::chrono::seconds interval{0};
  bool we_refresh = false;
  bool peer_supports = false;  // the peer said Supported/Require: timer
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// --- we answer a request (UAS, §9) ------------------------------------------

// The Min-SE a 422 must carry when the request's Session-Expires is below
// ours; nullopt when the request is acceptable.
std::optional<std::chrono::seconds> too_small(const SessionTimerHeaders& request, const SessionTimerConfig& config);

struct UasTerms {
  std::optional<SessionTerms> terms;  // nullopt: the session does not expire
  HeaderList headers;                 // for our 2xx: Session-Expires (+ Require: timer)
};
// Terms for answering `request` (after too_small() said it is acceptable).
// A peer that supports timers and names no refresher lets us choose: it
// refreshes. A request whose sender does not support timers (a proxy added
// Session-Expires) makes us the refresher, without Require: timer.
UasTerms negotiate_uas(const SessionTimerHeaders& request, const SessionTimerConfig& config);

// --- we send a request (UAC, §7) --------------------------------------------

// Headers of our initial INVITE: Supported: timer, Session-Expires, Min-SE.
// `interval` overrides config.interval (a retry after 422).
HeaderList uac_invite_headers(const SessionTimerConfig& config, std::optional<std::chrono::seconds> interval = {});
// Headers of a session refresh we send (re-INVITE or UPDATE) while we are
// the refresher: we are that transaction's UAC, so refresher=uac.
HeaderList refresh_headers(const SessionTerms& terms, const SessionTimerConfig& config);
// Terms from the 2xx to a request we sent; nullopt: the session does not expire.
std::optional<SessionTerms> negotiate_uac(const SessionTimerHeaders& response);

// "N;refresher=uac|uas"
std::string session_expires_value(std::chrono::seconds interval, Refresher refresher);

// --- the per-dialog timer ------------------------------------------------------

class SessionTimer {
 public:
  struct Callbacks {
    std::function<void()> refresh;  // we refresh: send a re-INVITE or UPDATE now
    std::function<void()> expired;  // no refresh in time: end the session with BYE
  };
  SessionTimer(Timers& timers, Callbacks callbacks);
  ~SessionTimer();
  SessionTimer(const SessionTimer&) = delete;
  SessionTimer& operator=(const SessionTimer&) = delete;

  // (Re)starts the timer from now under `terms` (each refresh seen or sent
  // and answered). When we refresh and the refresh gets no answer that
  // restarts the timer, `expired` follows at the expiry point.
  void start(const SessionTerms& terms);
  void stop();
  bool running() const { return id_ != 0; }
  const std::optional<SessionTerms>& terms() const { return terms_; }

  static Millis refresh_delay(std::chrono::seconds interval);
  static Millis expiry_delay(std::chrono::seconds interval);

 private:
  void arm(Millis delay, bool refresh);

  Timers& timers_;
  Callbacks callbacks_;
  std::optional<SessionTerms> terms_;
  Timers::Id id_ = 0;
  Clock::time_point started_{};
};

}  // namespace callwire::calls
