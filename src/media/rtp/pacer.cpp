#include "media/rtp/pacer.hpp"

#include <algorithm>

namespace callwire::media::rtp {

Pacer::Pacer(Clock::time_point start, Clock::duration ptime, std::uint32_t max_catch_up)
    : start_(start), ptime_(ptime.count() > 0 ? ptime : std::chrono::milliseconds(20)),
      max_catch_up_(std::max<std::uint32_t>(max_catch_up, 1)) {}

PacerTick Pacer::due(Clock::time_point now) {
  PacerTick t;
  if (now < start_) return t;
  // Frames 0..floor(elapsed / ptime) are due.
  auto due_count = static_cast<std::uint64_t>((now - start_) / ptime_) + 1;
  if (due_count <= next_) return t;
  std::uint64_t overdue = due_count - next_;
  if (overdue > max_catch_up_) {
    // Send the newest frames only; the skipped ones keep their slots so the
    // grid is unchanged.
    t.skipped = static_cast<std::uint32_t>(std::min<std::uint64_t>(overdue - max_catch_up_, UINT32_MAX));
    t.send = max_catch_up_;
  } else {
    t.send = static_cast<std::uint32_t>(overdue);
  }
  next_ = due_count;
  sent_ += t.send;
  skipped_ += t.skipped;
  return t;
}

}  // namespace callwire::media::rtp
