#pragma once
// callwire::Timers on one io_context. Use it only from the thread running
// that io_context (a worker).
//
// All timers share one steady_timer armed for the earliest deadline, with a
// heap of deadlines beside the live entries: SIP starts several timers per
// transaction and cancels most of them, and a steady_timer of its own per
// timer cost an allocation, the reactor's timer-queue lock and often a
// timerfd_settime() system call on every start and cancel.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/timers.hpp"

namespace callwire::net {

class AsioTimers final : public Timers {
 public:
  explicit AsioTimers(boost::asio::io_context& context);
  ~AsioTimers() override;  // cancels every pending timer; none of them runs
  AsioTimers(const AsioTimers&) = delete;
  AsioTimers& operator=(const AsioTimers&) = delete;

  Clock::time_point now() const override { return Clock::now(); }
  Id start(Millis delay, Callback cb) override;
  void cancel(Id id) override;

  std::size_t pending() const { return live_.size(); }
  // Deadlines held, cancelled ones included (bounded by compaction); for tests.
  std::size_t queued() const { return heap_.size(); }

 private:
  struct Entry {
    Clock::time_point deadline;
    Callback callback;
  };
  using Due = std::pair<Clock::time_point, Id>;  // equal deadlines fire in start order

  void arm(Clock::time_point deadline);
  void on_wake();
  void push(Due due);
  Due pop();
  void compact();

  boost::asio::steady_timer wake_;
  std::optional<Clock::time_point> armed_;  // what wake_ waits for, if anything
  Id next_id_ = 1;
  std::unordered_map<Id, Entry> live_;
  std::vector<Due> heap_;  // min-heap on (deadline, id); a cancelled id stays until popped or compacted
  // Handlers hold a weak copy: a wait that completes after we are gone
  // finds it expired and does nothing.
  std::shared_ptr<AsioTimers*> alive_;
};

}  // namespace callwire::net
