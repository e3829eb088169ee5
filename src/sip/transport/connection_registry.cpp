#include "sip/transport/connection_registry.hpp"

namespace callwire::sip {

std::uint64_t ConnectionRegistry::add(std::size_t worker, Protocol protocol,
                                      const boost::asio::ip::tcp::endpoint& remote,
                                      std::weak_ptr<net::StreamConnection> connection) {
  std::uint64_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  by_id_.emplace(id, Entry{id, worker, protocol, remote, std::move(connection)});
  by_remote_.emplace(Key{protocol, remote}, id);
  return id;
}

void ConnectionRegistry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  auto [first, last] = by_remote_.equal_range(Key{it->second.protocol, it->second.remote});
  for (auto r = first; r != last; ++r) {
    if (r->second == id) {
      by_remote_.erase(r);
      break;
    }
  }
  by_id_.erase(it);
}

std::optional<ConnectionRegistry::Entry> ConnectionRegistry::find(std::uint64_t id) const {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<ConnectionRegistry::Entry> ConnectionRegistry::find(
    Protocol protocol, const boost::asio::ip::tcp::endpoint& remote) const {
  std::lock_guard lock(mutex_);
  auto [first, last] = by_remote_.equal_range(Key{protocol, remote});
  std::optional<Entry> newest;
  for (auto r = first; r != last; ++r) {
    if (!newest || r->second > newest->id) newest = by_id_.at(r->second);
  }
  return newest;
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

}  // namespace callwire::sip
