#pragma once
// The REST server: Beast HTTP/1.1 on one io_context that the owner runs on
// its own thread (never a SIP worker). Connection I/O and parsing stay on
// that io_context; handlers run on a separate blocking pool because they call
// the database synchronously, and each response is posted back to its
// connection. One request at a time per connection (pipelined requests wait
// in the read buffer), keep-alive, and limits on header/body size, time and
// connection count.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/result.hpp"
#include "http/router.hpp"
#include "net/endpoint.hpp"

namespace boost::asio {
class thread_pool;
}

namespace callwire::http {

namespace detail {
struct ServerState;
}

struct ServerOptions {
  // Address and port to listen on; port 0 picks a free port (see bound_port).
  net::Endpoint listen{boost::asio::ip::make_address_v4("127.0.0.1"), 0};
  std::size_t handler_threads = 4;      // the blocking pool running handlers
  std::size_t max_connections = 256;    // beyond: 429 + Retry-After, then close
  std::size_t header_limit = 8 * 1024;  // request line + headers; beyond: 431
  std::uint64_t body_limit = 1024 * 1024;  // beyond: 413
  // From the first byte of a request to its last; on expiry the connection closes.
  std::chrono::milliseconds read_timeout{30'000};
  // Waiting for the next request on a kept-alive connection.
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
};

class Server {
 public:
  Server(boost::asio::io_context& io, Router router, ServerOptions options = {});
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts accepting. Call once, before or while `io` runs.
  // Fails when the address cannot be bound (the Error names it).
  [[nodiscard]] Status start();

  // The port actually bound (useful with port 0); 0 before start().
  std::uint16_t bound_port() const;
  net::Endpoint local_endpoint() const;

  // Closes the acceptor and every connection (requests whose handler is
  // running finish, but their responses are dropped), then joins the handler
  // pool. Idempotent; callable from any thread except the io_context's own
  // and the pool's. When the io_context is not running, it closes directly.
  void stop();

  // Open connections (for tests and metrics).
  std::size_t active_connections() const;

 private:
  boost::asio::io_context& io_;
  std::shared_ptr<detail::ServerState> state_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace callwire::http
