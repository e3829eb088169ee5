#pragma once
// Request checks every admitted request passes before it reaches the
// transaction layer (RFC 3261 §8.2.1-§8.2.2). The parser already refuses
// messages without Via/From/To/Call-ID/CSeq or with a CSeq method that
// differs from the request line; these are the checks that need policy.
#include <optional>
#include <string>
#include <vector>

#include "sip/message/message.hpp"
#include "sip/stack/capabilities.hpp"

namespace callwire::sip {

struct Refusal {
  int status = 400;
  std::string reason;  // Reason text
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Unsupported, Allow
};

// nullopt when the request may proceed; else how to refuse it.
std::optional<Refusal> check_request(const Message& request);

}  // namespace callwire::sip
