#pragma once
// Every open TCP/TLS connection by id and by remote endpoint, so that a send
// from any worker can find the connection and its owner worker. Guarded by a
// mutex: it is touched on connect, close and cross-worker sends only, never
// per byte read.
#include <boost/asio/ip/tcp.hpp>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "net/stream_connection.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip {

class ConnectionRegistry {
 public:
  struct Entry {
    std::uint64_t id = 0;
    std::size_t worker = 0;
    Protocol protocol = Protocol::Tcp;
    boost::asio::ip::tcp::endpoint remote;
    std::weak_ptr<net::StreamConnection> connection;
  };

  // Registers a connection owned by `worker`; returns its id (never 0).
  std::uint64_t add(std::size_t worker, Protocol protocol, const boost::asio::ip::tcp::endpoint& remote,
                    std::weak_ptr<net::StreamConnection> connection);
  void remove(std::uint64_t id);
  std::optional<Entry> find(std::uint64_t id) const;
  // The newest connection to `remote` over `protocol`.
  std::optional<Entry> find(Protocol protocol, const boost::asio::ip::tcp::endpoint& remote) const;
  std::size_t size() const;

 private:
  using Key = std::pair<Protocol, boost::asio::ip::tcp::endpoint>;
  mutable std::mutex mutex_;
  std::atomic<std::uint64_t> next_id_{1};
  std::unordered_map<std::uint64_t, Entry> by_id_;
  std::multimap<Key, std::uint64_t> by_remote_;
};

}  // namespace callwire::sip
