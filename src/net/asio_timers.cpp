#include "net/asio_timers.hpp"

namespace callwire::net {

AsioTimers::AsioTimers(boost::asio::io_context& context)
    : context_(context), alive_(std::make_shared<AsioTimers*>(this)) {}

AsioTimers::~AsioTimers() {
  alive_.reset();
  for (auto& [id, entry] : timers_) entry->timer.cancel();
}

Timers::Id AsioTimers::start(Millis delay, Callback cb) {
  Id id = next_id_++;
  auto entry = std::make_unique<Entry>(Entry{boost::asio::steady_timer(context_), std::move(cb)});
  entry->timer.expires_after(delay);
  entry->timer.async_wait([weak = std::weak_ptr<AsioTimers*>(alive_), id](boost::system::error_code ec) {
    if (ec) return;  // cancelled
    if (auto self = weak.lock()) (*self)->fire(id);
  });
  timers_.emplace(id, std::move(entry));
  return id;
}

void AsioTimers::cancel(Id id) {
  // Erasing destroys the steady_timer, which cancels its wait; the handler
  // then sees operation_aborted (or, if it was already queued, no entry).
  timers_.erase(id);
}

void AsioTimers::fire(Id id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;  // cancelled after it had expired
  Callback cb = std::move(it->second->callback);
  timers_.erase(it);
  if (cb) cb();
}

}  // namespace callwire::net
