#pragma once
// Internals of AsioTransport shared by its .cpp files (not a public header):
// the listeners, the per-worker views and connection maps, the registry and
// the counters. Pending I/O holds weak references to it.
#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <unordered_map>
#include <vector>

#include "net/stream_acceptor.hpp"
#include "net/stream_connection.hpp"
#include "net/udp_socket.hpp"
#include "net/worker_pool.hpp"
#include "sip/transport/asio_transport.hpp"
#include "sip/transport/connection_registry.hpp"

namespace callwire::sip {

// The sip::Transport seen by code running on one worker.
class WorkerTransport final : public Transport {
 public:
  WorkerTransport(AsioTransport::State& state, std::size_t worker) : state_(state), worker_(worker) {}
  void send(const Route& route, std::shared_ptr<const std::string> bytes, Done done = {}) override;
  Advertised advertised(Protocol p) const override;

 private:
  AsioTransport::State& state_;
  std::size_t worker_;
};

struct Counters {
  std::atomic<std::uint64_t> datagrams_received{0}, datagrams_sent{0}, stream_messages_received{0},
      parse_errors{0}, keepalives_received{0}, bytes_received{0}, bytes_sent{0}, send_errors{0},
      connections_accepted{0}, connections_opened{0}, connections_open{0}, connections_dropped{0};
  static void add(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) { c.fetch_add(n, std::memory_order_relaxed); }
};

struct AsioTransport::State : std::enable_shared_from_this<AsioTransport::State> {
  using tcp = boost::asio::ip::tcp;
  using udp = boost::asio::ip::udp;
  using Done = Transport::Done;

  State(net::WorkerPool& pool, TransportConfig config);

  struct Listener {
    ListenConfig config;
    boost::asio::ip::address address;  // as bound
    std::uint16_t port = 0;            // as bound (same for every protocol)
    std::vector<std::shared_ptr<net::UdpSocket>> udp;  // [worker]; empty without UDP
    std::vector<std::shared_ptr<net::StreamAcceptor>> tcp, tls;
    bool has(Protocol p) const;
    void close_worker(std::size_t w);
  };

  // Setup (asio_transport.cpp).
  Status bind_listener(std::uint32_t index);
  void start_reading();
  void close_worker(std::size_t w);

  // Receiving (on worker w).
  void on_datagram(std::size_t w, std::uint32_t listener, std::string_view bytes, const udp::endpoint& from);
  void dispatch(std::size_t w, std::string_view bytes, const Source& src);
  void on_accept(std::size_t w, std::uint32_t listener, Protocol p, tcp::socket socket);
  void attach(std::size_t w, std::uint32_t listener, Protocol p, const std::shared_ptr<net::StreamConnection>& c);
  std::size_t on_stream_data(std::size_t w, net::StreamConnection& c, const Source& src, std::string_view buffered);
  void detach(std::size_t w, std::uint64_t id, std::error_code why);

  // Sending (on worker w; sending.cpp).
  void send(std::size_t w, const Route& route, std::shared_ptr<const std::string> bytes, Done done);
  void send_stream(std::size_t w, const Route& route, std::shared_ptr<const std::string> bytes, Done done);
  void connect_and_send(std::size_t w, const Route& route, std::shared_ptr<const std::string> bytes, Done done);
  void write(std::size_t w, net::StreamConnection& c, std::shared_ptr<const std::string> bytes, Done done);
  void finish(std::size_t w, Done done, std::error_code ec);
  // The listener to send `p` from: `preferred` when it fits, else the first
  // with that protocol and the destination's address family.
  const Listener* pick_listener(Protocol p, std::uint32_t preferred, const boost::asio::ip::address& to,
                                std::uint32_t* index = nullptr) const;

  net::WorkerPool& pool;
  TransportConfig config;
  net::StreamOptions stream_options;
  std::vector<InboundHandler*> handlers;  // [worker]
  std::shared_ptr<boost::asio::ssl::context> tls_server, tls_client;
  std::vector<Listener> listeners;        // fixed after open()
  std::array<Advertised, 3> advertised;   // [Protocol]
  std::vector<std::unique_ptr<WorkerTransport>> views;
  // Connections owned by each worker; only that worker touches its map.
  std::vector<std::unordered_map<std::uint64_t, std::shared_ptr<net::StreamConnection>>> connections;
  ConnectionRegistry registry;
  Counters counters;
  std::atomic<bool> opened{false};
  std::atomic<bool> closed{false};
};

}  // namespace callwire::sip
