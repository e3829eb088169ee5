#pragma once
// A listening TCP socket on one worker (SO_REUSEADDR + SO_REUSEPORT, so each
// worker may have its own on the same address and the kernel spreads the
// connections). Each accepted socket is handed over on that worker.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>

#include "core/result.hpp"

namespace callwire::net {

class StreamAcceptor : public std::enable_shared_from_this<StreamAcceptor> {
 public:
  using tcp = boost::asio::ip::tcp;
  using Accept = std::function<void(tcp::socket socket)>;

  [[nodiscard]] static Result<std::shared_ptr<StreamAcceptor>> open(boost::asio::io_context& context,
                                                                    const tcp::endpoint& local);
  // Starts accepting; call on the acceptor's worker (or before it runs).
  void start(Accept on_accept);
  void close();
  const tcp::endpoint& local_endpoint() const { return local_; }

 private:
  StreamAcceptor(boost::asio::io_context& context, tcp::acceptor acceptor);
  void accept();

  boost::asio::io_context& context_;
  tcp::acceptor acceptor_;
  tcp::endpoint local_;
  boost::asio::steady_timer backoff_;  // after accept errors (EMFILE): don't spin
  Accept on_accept_;
};

}  // namespace callwire::net
