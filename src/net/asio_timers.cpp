#include "net/asio_timers.hpp"

#include <algorithm>
#include <functional>

namespace callwire::net {

namespace {
// Cancelled deadlines may pile up in the heap (most SIP timers are cancelled
// long before they are due); past this many more than the live ones, the
// heap is rebuilt from the live entries.
constexpr std::size_t kSlack = 1024;
}  // namespace

AsioTimers::AsioTimers(boost::asio::io_context& context)
    : wake_(context), alive_(std::make_shared<AsioTimers*>(this)) {}

AsioTimers::~AsioTimers() {
  alive_.reset();
  wake_.cancel();
}

Timers::Id AsioTimers::start(Millis delay, Callback cb) {
  const Id id = next_id_++;
  const Clock::time_point deadline = now() + delay;
  live_.emplace(id, Entry{deadline, std::move(cb)});
  push({deadline, id});
  if (heap_.size() > 2 * live_.size() + kSlack) compact();
  if (!armed_ || deadline < *armed_) arm(deadline);
  return id;
}

void AsioTimers::cancel(Id id) {
  // The deadline stays in the heap and is skipped when it comes up.
  live_.erase(id);
}

void AsioTimers::arm(Clock::time_point deadline) {
  armed_ = deadline;
  // expires_at() cancels the wait in progress (its handler sees
  // operation_aborted); one that had already completed still runs, and
  // on_wake() is harmless then.
  wake_.expires_at(deadline);
  wake_.async_wait([weak = std::weak_ptr<AsioTimers*>(alive_)](boost::system::error_code ec) {
    if (ec) return;
    if (auto self = weak.lock()) (*self)->on_wake();
  });
}

void AsioTimers::on_wake() {
  armed_.reset();
  const Clock::time_point now = Clock::now();
  // Only what is due now: a timer a callback starts with no delay waits for
  // the next wake instead of running in this loop.
  while (!heap_.empty() && heap_.front().first <= now) {
    const Id id = pop().second;
    auto it = live_.find(id);
    if (it == live_.end()) continue;  // cancelled
    Callback cb = std::move(it->second.callback);
    live_.erase(it);
    if (cb) cb();  // may start and cancel timers, and arm
  }
  while (!heap_.empty() && !live_.contains(heap_.front().second)) pop();
  if (!heap_.empty() && (!armed_ || heap_.front().first < *armed_)) arm(heap_.front().first);
}

void AsioTimers::push(Due due) {
  heap_.push_back(due);
  std::push_heap(heap_.begin(), heap_.end(), std::greater<>{});
}

AsioTimers::Due AsioTimers::pop() {
  std::pop_heap(heap_.begin(), heap_.end(), std::greater<>{});
  Due due = heap_.back();
  heap_.pop_back();
  return due;
}

void AsioTimers::compact() {
  heap_.clear();
  for (const auto& [id, entry] : live_) heap_.emplace_back(entry.deadline, id);
  std::make_heap(heap_.begin(), heap_.end(), std::greater<>{});
}

}  // namespace callwire::net
