#pragma once
// The clock and timer interface every protocol state machine uses. Production
// code runs it on a worker's io_context (net::AsioTimers); tests drive
// ManualTimers by hand, so every timer path is testable without sleeping.
#include <chrono>
#include <cstdint>
#include <functional>

namespace callwire {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

class Timers {
 public:
  using Id = std::uint64_t;  // 0 is never a valid id
  using Callback = std::function<void()>;

  virtual ~Timers() = default;
  virtual Clock::time_point now() const = 0;
  // Runs cb once after `delay` on the owner's thread, unless cancelled.
  virtual Id start(Millis delay, Callback cb) = 0;
  // Cancelling an expired or unknown id is a no-op.
  virtual void cancel(Id id) = 0;
};

}  // namespace callwire
