#include "net/udp_socket.hpp"

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/socket_base.hpp>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/log.hpp"
#include "net/endpoint.hpp"

namespace callwire::net {

using boost::asio::ip::udp;

namespace {
using ReusePort = boost::asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

std::size_t receive_buffer_of(int fd) {
  int size = 0;
  socklen_t len = sizeof size;
  if (::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &len) != 0) return 0;
  return static_cast<std::size_t>(size);
}

// SO_RCVBUF is capped at net.core.rmem_max; SO_RCVBUFFORCE is not, but
// needs CAP_NET_ADMIN. Linux reports (and grants) twice the requested bytes.
void set_receive_buffer(int fd, std::size_t bytes, const udp::endpoint& local) {
  const int want = static_cast<int>(std::min<std::size_t>(bytes, 1u << 30));
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) != 0) {
    (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
  }
  const std::size_t got = receive_buffer_of(fd) / 2;
  if (got < bytes) {
    log::get("net")->warn("UDP {}:{}: receive buffer {} bytes, {} asked for (raise net.core.rmem_max)",
                          address_text(local.address()), local.port(), got, bytes);
  }
}
}  // namespace

Result<std::shared_ptr<UdpSocket>> UdpSocket::open(boost::asio::io_context& context, const Endpoint& local,
                                                   std::size_t receive_buffer) {
  udp::socket socket(context);
  boost::system::error_code ec;
  socket.open(local.protocol(), ec);
  if (!ec) socket.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) socket.set_option(ReusePort(true), ec);
  if (!ec && local.address().is_v6()) socket.set_option(boost::asio::ip::v6_only(true), ec);
  if (!ec) socket.bind(local, ec);
  if (ec) return fail(std::error_code(ec), "UDP bind " + local.address().to_string() + ":" +
                                               std::to_string(local.port()) + ": " + ec.message());
  if (receive_buffer > 0) set_receive_buffer(socket.native_handle(), receive_buffer, local);
  return std::shared_ptr<UdpSocket>(new UdpSocket(context, std::move(socket)));
}

std::size_t UdpSocket::receive_buffer() {
  return receive_buffer_of(socket_.native_handle());
}

Result<std::shared_ptr<UdpSocket>> UdpSocket::share(boost::asio::io_context& context, UdpSocket& other) {
  const int fd = ::dup(other.socket_.native_handle());
  if (fd < 0) return fail(std::error_code(errno, std::system_category()), "UDP dup: " + std::string(std::strerror(errno)));
  udp::socket socket(context);
  boost::system::error_code ec;
  socket.assign(other.local_.protocol(), fd, ec);
  if (ec) {
    ::close(fd);
    return fail(std::error_code(ec), "UDP share: " + ec.message());
  }
  return std::shared_ptr<UdpSocket>(new UdpSocket(context, std::move(socket)));
}

UdpSocket::UdpSocket(boost::asio::io_context& context, udp::socket socket)
    : context_(context), socket_(std::move(socket)), buffer_(kBufferSize) {
  boost::system::error_code ec;
  local_ = socket_.local_endpoint(ec);
}

void UdpSocket::start(Receive on_receive) {
  on_receive_ = std::move(on_receive);
  read();
}

void UdpSocket::read() {
  socket_.async_receive_from(boost::asio::buffer(buffer_), from_,
                             [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                               if (ec == boost::asio::error::operation_aborted || !self->socket_.is_open()) return;
                               if (ec) {
                                 // ICMP errors (e.g. port unreachable) surface here on Linux;
                                 // they are not fatal for a listening socket.
                                 log::get("net")->debug("UDP {}: receive: {}", self->local_.port(), ec.message());
                               } else if (self->on_receive_) {
                                 self->on_receive_(std::string_view(self->buffer_.data(), n), self->from_);
                               }
                               if (self->socket_.is_open()) self->read();
                             });
}

void UdpSocket::send_to(std::shared_ptr<const std::string> bytes, const Endpoint& to, Done done) {
  auto buffer = boost::asio::buffer(*bytes);
  socket_.async_send_to(buffer, to,
                        [bytes = std::move(bytes), done = std::move(done)](boost::system::error_code ec,
                                                                             std::size_t) {
                          if (done) done(ec);
                        });
}

void UdpSocket::close() {
  boost::system::error_code ec;
  socket_.close(ec);
  on_receive_ = nullptr;
}

}  // namespace callwire::net
