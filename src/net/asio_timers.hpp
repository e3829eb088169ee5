#pragma once
// callwire::Timers on one io_context: one steady_timer per running timer.
// Use it only from the thread running that io_context (a worker).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <unordered_map>

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

  std::size_t pending() const { return timers_.size(); }

 private:
  struct Entry {
    boost::asio::steady_timer timer;
    Callback callback;
  };
  void fire(Id id);

  boost::asio::io_context& context_;
  Id next_id_ = 1;
  std::unordered_map<Id, std::unique_ptr<Entry>> timers_;
  // Handlers hold a weak copy: a wait that completes after we are gone
  // finds it expired and does nothing.
  std::shared_ptr<AsioTimers*> alive_;
};

}  // namespace callwire::net
