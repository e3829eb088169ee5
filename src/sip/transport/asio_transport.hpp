#pragma once
// The SIP transports over Asio: UDP (one SO_REUSEPORT socket per worker per
// listener), TCP and TLS (one SO_REUSEPORT acceptor per worker; a connection
// lives on the worker that accepted or opened it). Messages are parsed on the
// worker that read them and handed to that worker's InboundHandler.
// See docs/architecture.md, "Threads and transports".
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "net/worker_pool.hpp"
#include "sip/transport/transport.hpp"
#include "sip/transport/transport_config.hpp"

namespace callwire::sip {

struct LocalEndpoint {
  std::uint32_t listener = 0;
  Protocol protocol = Protocol::Udp;
  boost::asio::ip::address address;
  std::uint16_t port = 0;  // the bound port (useful when configured as 0)
};

// A snapshot of the transport counters.
struct TransportStats {
  std::uint64_t datagrams_received = 0;
  std::uint64_t datagrams_sent = 0;
  std::uint64_t stream_messages_received = 0;
  std::uint64_t parse_errors = 0;
  std::uint64_t keepalives_received = 0;  // UDP CRLF or STUN Binding, TCP/TLS double CRLF
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t send_errors = 0;
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_opened = 0;  // outgoing
  std::uint64_t connections_open = 0;    // right now
  std::uint64_t connections_dropped = 0; // framing error, queue overflow, timeout
};

class AsioTransport {
 public:
  // `pool` must outlive this object.
  AsioTransport(net::WorkerPool& pool, TransportConfig config);
  ~AsioTransport();  // close()
  AsioTransport(const AsioTransport&) = delete;
  AsioTransport& operator=(const AsioTransport&) = delete;

  // Who receives what worker `w` reads; set before open(). The handler must
  // outlive close(). The one-handler form serves every worker, so that
  // handler must be safe to call from several threads at once.
  void set_handler(std::size_t worker, InboundHandler& handler);
  void set_handler(InboundHandler& handler);

  // Loads TLS contexts, binds every listener on every worker and starts
  // reading (at once if the pool runs, else when it starts). Fails, with
  // nothing left bound, when an address cannot be bound or a file is bad.
  [[nodiscard]] Status open();
  // Stops reading and closes every socket and connection; after it no
  // handler is called. Idempotent. From a non-worker thread it works in any
  // pool state: running (it waits until each worker has closed its part),
  // stopped (it joins the pool first) or never started. From a worker, call
  // it only while the pool runs (the other workers close theirs later).
  void close();

  // The Transport to use from code running on worker `w` (sends from that
  // worker's sockets; `done` runs there). Called from another thread, send
  // hops to worker `w` first.
  Transport& worker(std::size_t w);

  std::vector<LocalEndpoint> local_endpoints() const;
  std::optional<std::uint16_t> bound_port(std::uint32_t listener, Protocol protocol) const;
  TransportStats stats() const;
  const TransportConfig& config() const;

  struct State;  // shared with the pending I/O; see asio_transport.cpp

 private:
  std::shared_ptr<State> state_;
};

}  // namespace callwire::sip
