#include "net/stream_acceptor.hpp"

#include <boost/asio/ip/v6_only.hpp>
#include <sys/socket.h>

#include "core/log.hpp"

namespace callwire::net {

namespace {
using ReusePort = boost::asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
}

Result<std::shared_ptr<StreamAcceptor>> StreamAcceptor::open(boost::asio::io_context& context,
                                                             const tcp::endpoint& local) {
  tcp::acceptor acceptor(context);
  boost::system::error_code ec;
  acceptor.open(local.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.set_option(ReusePort(true), ec);
  if (!ec && local.address().is_v6()) acceptor.set_option(boost::asio::ip::v6_only(true), ec);
  if (!ec) acceptor.bind(local, ec);
  if (!ec) acceptor.listen(tcp::acceptor::max_listen_connections, ec);
  if (ec) return fail(std::error_code(ec), "TCP listen " + local.address().to_string() + ":" +
                                               std::to_string(local.port()) + ": " + ec.message());
  return std::shared_ptr<StreamAcceptor>(new StreamAcceptor(context, std::move(acceptor)));
}

StreamAcceptor::StreamAcceptor(boost::asio::io_context& context, tcp::acceptor acceptor)
    : context_(context), acceptor_(std::move(acceptor)), backoff_(context) {
  boost::system::error_code ec;
  local_ = acceptor_.local_endpoint(ec);
}

void StreamAcceptor::start(Accept on_accept) {
  on_accept_ = std::move(on_accept);
  accept();
}

void StreamAcceptor::accept() {
  acceptor_.async_accept(context_, [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
    if (!self->acceptor_.is_open() || ec == boost::asio::error::operation_aborted) return;
    if (ec) {
      // EMFILE and friends: log and retry a little later; the peer retries too.
      log::get("net")->warn("TCP {}: accept: {}", self->local_.port(), ec.message());
      self->backoff_.expires_after(std::chrono::milliseconds(100));
      self->backoff_.async_wait([self](boost::system::error_code) {
        if (self->acceptor_.is_open()) self->accept();
      });
      return;
    }
    if (self->on_accept_) self->on_accept_(std::move(socket));
    if (self->acceptor_.is_open()) self->accept();
  });
}

void StreamAcceptor::close() {
  boost::system::error_code ec;
  acceptor_.close(ec);
  backoff_.cancel();
  on_accept_ = nullptr;
}

}  // namespace callwire::net
