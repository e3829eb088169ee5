#pragma once
// One UDP socket on one worker: a read loop into a 64 KiB buffer and
// asynchronous sends. Other workers can read the same kernel socket through
// share() (a dup() of its descriptor): every datagram goes to whichever
// worker reads first, so one busy peer (a single SBC or trunk, all of whose
// datagrams SO_REUSEPORT would hash to one socket) is spread over every core.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/result.hpp"

namespace callwire::net {

class UdpSocket : public std::enable_shared_from_this<UdpSocket> {
 public:
  using Endpoint = boost::asio::ip::udp::endpoint;
  // Called on the socket's worker for every datagram; the view is valid only
  // during the call.
  using Receive = std::function<void(std::string_view bytes, const Endpoint& from)>;
  using Done = std::function<void(std::error_code)>;

  static constexpr std::size_t kBufferSize = 64 * 1024;

  // Binds with SO_REUSEADDR and SO_REUSEPORT (IPv6 sockets are v6-only, so
  // 0.0.0.0 and :: can both be bound). `receive_buffer` bytes (0: the
  // system's default) hold datagrams while every worker is busy: the
  // default of about 200 KiB is a few milliseconds of SIP at thousands of
  // calls a second, and a datagram that does not fit is lost, to come back
  // as a retransmission half a second later. The kernel caps the request at
  // net.core.rmem_max, unless the process may go beyond it (CAP_NET_ADMIN);
  // a smaller buffer than asked for is logged, not an error.
  [[nodiscard]] static Result<std::shared_ptr<UdpSocket>> open(boost::asio::io_context& context,
                                                               const Endpoint& local,
                                                               std::size_t receive_buffer = 0);
  // The socket's receive buffer as the kernel reports it (twice the usable
  // bytes, by Linux's convention).
  std::size_t receive_buffer();

  // The same kernel socket (a duplicated descriptor) on another io_context.
  [[nodiscard]] static Result<std::shared_ptr<UdpSocket>> share(boost::asio::io_context& context,
                                                                UdpSocket& other);

  // Starts the read loop; call on the socket's worker (or before it runs).
  void start(Receive on_receive);
  // Sends one datagram; `done` runs on the socket's worker.
  void send_to(std::shared_ptr<const std::string> bytes, const Endpoint& to, Done done = {});
  void close();

  const Endpoint& local_endpoint() const { return local_; }
  boost::asio::io_context& context() { return context_; }

 private:
  UdpSocket(boost::asio::io_context& context, boost::asio::ip::udp::socket socket);
  void read();

  boost::asio::io_context& context_;
  boost::asio::ip::udp::socket socket_;
  Endpoint local_;
  Endpoint from_;
  std::vector<char> buffer_;
  Receive on_receive_;
};

}  // namespace callwire::net
