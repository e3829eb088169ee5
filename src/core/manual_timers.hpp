#pragma once
// Timers driven by hand: time moves only when advance() is called, and due
// callbacks then run in deadline order (ties in start order).
#include <map>
#include <tuple>

#include "core/timers.hpp"

namespace callwire {

class ManualTimers final : public Timers {
 public:
  Clock::time_point now() const override { return now_; }
  Id start(Millis delay, Callback cb) override;
  void cancel(Id id) override;

  // Moves time forward by `by`, running every timer that falls due on the way
  // (including ones started by callbacks during the advance).
  void advance(Millis by);
  std::size_t pending() const { return queue_.size(); }
  // Time until the next timer, or Millis::max() when none is pending.
  Millis next_due() const;

 private:
  Clock::time_point now_{};
  Id next_id_ = 1;
  std::map<std::tuple<Clock::time_point, Id>, Callback> queue_;
  std::map<Id, Clock::time_point> deadlines_;
};

}  // namespace callwire
