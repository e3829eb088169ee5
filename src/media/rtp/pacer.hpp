#pragma once
// A drift-free frame schedule: frame n is due at start + n·ptime, computed
// from the start every time (never "last send + ptime"), so rounding and
// late wake-ups never accumulate over a long call. After a stall (the worker
// was busy) at most `max_catch_up` overdue frames are sent at once; the rest
// are skipped and the schedule resumes on the same grid. Pure: the caller
// passes the monotonic time, so tests drive it.
#include <chrono>
#include <cstdint>

#include "core/timers.hpp"

namespace callwire::media::rtp {

struct PacerTick {
  std::uint32_t send = 0;     // frames to send now
  std::uint32_t skipped = 0;  // overdue frames dropped (advance the RTP timestamp by these)
};

class Pacer {
 public:
  Pacer(Clock::time_point start, Clock::duration ptime = std::chrono::milliseconds(20),
        std::uint32_t max_catch_up = 3);

  // Frames due at `now` and not handed out before. send + skipped over all
  // calls is floor((now - start) / ptime) + 1 for the latest `now`.
  PacerTick due(Clock::time_point now);
  // When to wake up for the next frame.
  Clock::time_point next_deadline() const { return start_ + ptime_ * static_cast<std::int64_t>(next_); }

  std::uint64_t frames_sent() const { return sent_; }
  std::uint64_t frames_skipped() const { return skipped_; }
  Clock::duration ptime() const { return ptime_; }

 private:
  Clock::time_point start_;
  Clock::duration ptime_;
  std::uint32_t max_catch_up_;
  std::uint64_t next_ = 0;     // index of the next frame not handed out
  std::uint64_t sent_ = 0;
  std::uint64_t skipped_ = 0;
};

}  // namespace callwire::media::rtp
