#include "calls/session_timer.hpp"

#include <algorithm>
#include <charconv>

#include "core/text.hpp"
#include "sip/message/params.hpp"

namespace callwire::calls {
namespace {

using std::chrono::seconds;

// delta-seconds (RFC 3261 §25.1); a value past 2^31 - 1 is unusable.
std::optional<seconds> delta_seconds(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 10) return std::nullopt;
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 0 || value > 2147483647) return std::nullopt;
  return seconds{value};
}

bool has_tag(const sip::Message& m, sip::HeaderId id, std::string_view tag) {
  for (auto value : m.values(id)) {
    if (iequals(trim(value), tag)) return true;
  }
  return false;
}

}  // namespace

SessionTimerHeaders read_session_timer(const sip::Message& message) {
  SessionTimerHeaders out;
  // Session-Expires = delta-seconds *(SEMI se-params); compact form "x".
  if (auto se = message.header(sip::HeaderId::SessionExpires); !se.empty()) {
    auto semi = se.find(';');
    out.session_expires = delta_seconds(se.substr(0, semi));
    if (out.session_expires && out.session_expires->count() == 0) out.session_expires.reset();
    if (out.session_expires && semi != std::string_view::npos) {
      if (auto params = sip::parse_header_params(se.substr(semi))) {
        if (const auto* p = sip::find_param(*params, "refresher"); p != nullptr && p->has_value) {
          if (iequals(p->value, "uac")) out.refresher = Refresher::Uac;
          if (iequals(p->value, "uas")) out.refresher = Refresher::Uas;
        }
      }
    }
  }
  if (auto min_se = message.header(sip::HeaderId::MinSE); !min_se.empty()) {
    out.min_se = delta_seconds(min_se.substr(0, min_se.find(';')));
  }
  out.supported = has_tag(message, sip::HeaderId::Supported, "timer");
  out.required = has_tag(message, sip::HeaderId::Require, "timer");
  out.allows_update = has_tag(message, sip::HeaderId::Allow, "UPDATE");
  return out;
}

std::string session_expires_value(seconds interval, Refresher refresher) {
  return std::to_string(interval.count()) + (refresher == Refresher::Uac ? ";refresher=uac" : ";refresher=uas");
}

std::optional<seconds> too_small(const SessionTimerHeaders& request, const SessionTimerConfig& config) {
  if (!config.enabled || !request.session_expires) return std::nullopt;
  if (*request.session_expires < config.min_se) return config.min_se;
  return std::nullopt;
}

UasTerms negotiate_uas(const SessionTimerHeaders& request, const SessionTimerConfig& config) {
  UasTerms out;
  // Only when the far side asks (§9: without Session-Expires in the request
  // the UAS may add one, which callwire does not do).
  if (!config.enabled || !request.session_expires) return out;
  SessionTerms terms;
  terms.interval = *request.session_expires;
  terms.peer_supports = request.supported || request.required;
  Refresher refresher = Refresher::Uac;
  if (!terms.peer_supports) {
    refresher = Refresher::Uas;  // a proxy asked for it; the caller cannot refresh
  } else if (request.refresher) {
    refresher = *request.refresher;
  }
  terms.we_refresh = refresher == Refresher::Uas;
  out.headers.emplace_back("Session-Expires", session_expires_value(terms.interval, refresher));
  if (terms.peer_supports) out.headers.emplace_back("Require", "timer");
  out.terms = terms;
  return out;
}

HeaderList uac_invite_headers(const SessionTimerConfig& config, std::optional<seconds> interval) {
  HeaderList out;
  if (!config.enabled) return out;
  seconds se = std::max(interval.value_or(config.interval), config.min_se);
  // Supported: timer is the stack's own (sip::kSupported) on every INVITE.
  out.emplace_back("Session-Expires", std::to_string(se.count()));
  out.emplace_back("Min-SE", std::to_string(config.min_se.count()));
  return out;
}

HeaderList refresh_headers(const SessionTerms& terms, const SessionTimerConfig& config) {
  HeaderList out;
  out.emplace_back("Supported", "timer");
  out.emplace_back("Session-Expires", session_expires_value(terms.interval, Refresher::Uac));
  out.emplace_back("Min-SE", std::to_string(std::min(config.min_se, terms.interval).count()));
  return out;
}

std::optional<SessionTerms> negotiate_uac(const SessionTimerHeaders& response) {
  // §7.2: no Session-Expires in the 2xx, no expiry.
  if (!response.session_expires) return std::nullopt;
  SessionTerms terms;
  terms.interval = *response.session_expires;
  terms.peer_supports = response.required || response.supported;
  // A UAS that does not support timers never names itself; a proxy that
  // added the header for it names us. Missing refresher: ours to do.
  terms.we_refresh = response.refresher.value_or(Refresher::Uac) == Refresher::Uac || !terms.peer_supports;
  return terms;
}

// --- SessionTimer ------------------------------------------------------------

SessionTimer::SessionTimer(Timers& timers, Callbacks callbacks) : timers_(timers), callbacks_(std::move(callbacks)) {}

SessionTimer::~SessionTimer() { stop(); }

Millis SessionTimer::refresh_delay(seconds interval) { return std::chrono::duration_cast<Millis>(interval) / 2; }

Millis SessionTimer::expiry_delay(seconds interval) {
  Millis whole = std::chrono::duration_cast<Millis>(interval);
  return whole - std::min<Millis>(Millis{32000}, whole / 3);
}

void SessionTimer::start(const SessionTerms& terms) {
  stop();
  terms_ = terms;
  started_ = timers_.now();
  if (terms.we_refresh) {
    arm(refresh_delay(terms.interval), true);
  } else {
    arm(expiry_delay(terms.interval), false);
  }
}

void SessionTimer::stop() {
  if (id_ != 0) timers_.cancel(id_);
  id_ = 0;
}

void SessionTimer::arm(Millis delay, bool refresh) {
  id_ = timers_.start(delay, [this, refresh] {
    id_ = 0;
    if (refresh) {
      // The refresh's answer restarts us; without one the session ends at
      // the expiry point, counted from the last refresh.
      auto elapsed = std::chrono::duration_cast<Millis>(timers_.now() - started_);
      arm(std::max(Millis{0}, expiry_delay(terms_->interval) - elapsed), false);
      if (callbacks_.refresh) callbacks_.refresh();
    } else if (callbacks_.expired) {
      callbacks_.expired();
    }
  });
}

}  // namespace callwire::calls
