#pragma once
// RFC 3261 §17 timer base values. Every transaction timer is derived from
// these (Table 4), so a test or a deployment on a fast LAN can shrink them.
#include "core/timers.hpp"

namespace callwire::sip {

struct TimerConfig {
  Millis t1{500};     // RTT estimate: first retransmit interval, 64*T1 timeouts
  Millis t2{4000};    // cap of non-INVITE and final-response retransmit intervals
  Millis t4{5000};    // how long the network may hold a message (timers I, K)
  Millis d{32000};    // timer D: "at least 32 s", independent of T1

  Millis timeout() const { return t1 * 64; }  // timers B, F, H, J, L, M
};

}  // namespace callwire::sip
