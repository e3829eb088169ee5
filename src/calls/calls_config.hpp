#pragma once
// Settings of the inbound call pipeline, filled by `callwire serve`.
#include <chrono>
#include <string>
#include <vector>

#include "calls/session_timer.hpp"

namespace callwire::calls {

struct CallsConfig {
  std::string sip_domain_base = "localhost";  // domains are "<label>.sip.<base>"
  std::vector<std::string> extra_edges;       // --edge NAME, besides Twilio's edge names
  // IP ACL miss: silent drop (the guide's promise) or 403 + X-Twilio-Error 32201 (the live capture).
  bool acl_miss_answers_403 = false;
  // An RTP/SAVP offer to a domain without Secure: refused with 488 (the
  // contract: such domains use RTP) or answered with SDES-SRTP.
  bool srtp_on_insecure_domains = false;
  int reject_status = 404;                    // <Reject reason="rejected">: 404 or 603
  int max_documents_per_call = 100;           // Redirect chains beyond this end the call (error 12400)
  std::chrono::milliseconds directory_refresh{250};  // how often the domain cache checks the store
  std::size_t directory_max_entries = 100000;
  SessionTimerConfig session_timer;  // RFC 4028 on both legs
};

}  // namespace callwire::calls
