#include "core/manual_timers.hpp"

namespace callwire {

Timers::Id ManualTimers::start(Millis delay, Callback cb) {
  Id id = next_id_++;
  auto at = now_ + delay;
  queue_.emplace(std::make_tuple(at, id), std::move(cb));
  deadlines_.emplace(id, at);
  return id;
}

void ManualTimers::cancel(Id id) {
  auto it = deadlines_.find(id);
  if (it == deadlines_.end()) return;
  queue_.erase(std::make_tuple(it->second, id));
  deadlines_.erase(it);
}

void ManualTimers::advance(Millis by) {
  auto until = now_ + by;
  while (!queue_.empty()) {
    auto first = queue_.begin();
    auto [at, id] = first->first;
    if (at > until) break;
    now_ = at;
    Callback cb = std::move(first->second);
    queue_.erase(first);
    deadlines_.erase(id);
    cb();
  }
  now_ = until;
}

Millis ManualTimers::next_due() const {
  if (queue_.empty()) return Millis::max();
  return std::chrono::duration_cast<Millis>(std::get<0>(queue_.begin()->first) - now_);
}

}  // namespace callwire
