#pragma once
// The admission hook: the first thing that sees a received request, before
// any reply and before a transaction exists. It gets the real source address
// and the parse result, so a policy (IP ACLs, rate limits, scanner filters;
// implemented by the app layer) can drop traffic without the sender hearing
// a 100 Trying or a 400.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sip/message/message.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

struct Admission {
  // Defer: the policy needs data it cannot read on an I/O thread (a domain's
  // ACL not cached yet). The stack keeps the message and calls `wait` with a
  // resume function; the policy calls it exactly once, on the same worker,
  // with the final verdict (a second Defer counts as Drop).
  enum class Verdict { Accept, Reject, Drop, Defer };
  using Resume = std::function<void(Admission)>;

  Verdict verdict = Verdict::Accept;
  int status = 0;               // Reject: the response status
  std::string reason;           // Reject: reason phrase / Reason text
  std::vector<std::pair<std::string, std::string>> headers;  // Reject: extra headers
  std::function<void(Resume)> wait;  // Defer: receives the resume function

  static Admission accept() { return {}; }
  static Admission drop() { return {Verdict::Drop, 0, {}, {}, {}}; }
  static Admission reject(int status, std::string reason) {
    return {Verdict::Reject, status, std::move(reason), {}, {}};
  }
  static Admission defer(std::function<void(Resume)> wait) {
    return {Verdict::Defer, 0, {}, {}, std::move(wait)};
  }
};

class AdmissionHook {
 public:
  virtual ~AdmissionHook() = default;
  // `message` is null when the bytes failed to parse. Runs on the worker
  // that owns the message's Call-ID (or the receiving one for parse errors).
  virtual Admission admit(const Source& src, const Message* message) = 0;
};

// Admits everything: the stack's default until the app installs a policy.
class AdmitAll final : public AdmissionHook {
 public:
  Admission admit(const Source&, const Message*) override { return Admission::accept(); }
};

}  // namespace callwire::sip
