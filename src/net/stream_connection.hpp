#pragma once
// One TCP or TLS connection, living on the worker whose io_context it uses:
// connect/handshake with deadlines, a read loop that hands the consumer every
// unconsumed byte, a bounded write queue and an idle timeout. Every member
// function must be called on that worker.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace callwire::net {

struct StreamOptions {
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(15)};  // 0: never
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(10)};
  std::size_t max_write_queue = 1024 * 1024;  // bytes queued; over it → close
  std::size_t max_read_buffer = 256 * 1024;   // unconsumed bytes; over it → close
};

class StreamConnection : public std::enable_shared_from_this<StreamConnection> {
 public:
  using tcp = boost::asio::ip::tcp;
  using Done = std::function<void(std::error_code)>;

  struct Handlers {
    // Connected (and, for TLS, handshake done).
    std::function<void()> on_open;
    // Every byte received and not consumed yet, oldest first; returns how
    // many bytes from the front it consumed.
    std::function<std::size_t(std::string_view buffered)> on_data;
    // Exactly once, on a later loop turn, when the connection is closed for
    // any reason (close(), EOF, error, timeout, queue overflow). Nothing runs
    // after it; the handlers are released then.
    std::function<void(std::error_code why)> on_close;
  };

  // An accepted socket; `tls` set → server-side TLS handshake first.
  static std::shared_ptr<StreamConnection> accepted(tcp::socket socket,
                                                    std::shared_ptr<boost::asio::ssl::context> tls,
                                                    const StreamOptions& options);
  // An outgoing connection to `remote`, optionally bound to `local` first.
  // With `tls`, `server_name` is sent as SNI (when it is a name) and the
  // peer certificate is checked against it when the context verifies peers.
  static std::shared_ptr<StreamConnection> connecting(boost::asio::io_context& context,
                                                      const tcp::endpoint& remote,
                                                      std::optional<tcp::endpoint> local,
                                                      std::shared_ptr<boost::asio::ssl::context> tls,
                                                      std::string server_name,
                                                      const StreamOptions& options);
  ~StreamConnection();

  // Starts connecting/handshaking/reading.
  void start(Handlers handlers);
  // Queues bytes (also while still connecting). `done` runs on this worker
  // once written or failed. Over max_write_queue the connection is closed.
  void write(std::shared_ptr<const std::string> bytes, Done done = {});
  void close(std::error_code why = {});
  // Stops reading and closes once the queued writes are out (bounded by the
  // handshake timeout), e.g. after answering a framing error with a 400.
  void close_after_writes(std::error_code why);

  bool is_open() const { return state_ == State::Open; }
  bool is_closed() const { return state_ == State::Closed; }
  bool is_tls() const;
  const tcp::endpoint& remote_endpoint() const { return remote_; }
  const tcp::endpoint& local_endpoint() const { return local_; }
  boost::asio::io_context& context() { return context_; }
  std::size_t queued_bytes() const { return queued_bytes_; }

 private:
  struct Impl;
  enum class State { Idle, Connecting, Handshaking, Open, Draining, Closed };

  StreamConnection(boost::asio::io_context& context, const StreamOptions& options);
  void on_connected();
  void handshake();
  void opened();
  void read();
  void flush();
  void arm_timer(std::chrono::milliseconds after);
  void on_timer();
  void touch();

  boost::asio::io_context& context_;
  StreamOptions options_;
  std::unique_ptr<Impl> impl_;
  Handlers handlers_;
  State state_ = State::Idle;
  bool server_ = false;
  bool writing_ = false;
  std::size_t queued_bytes_ = 0;
  tcp::endpoint remote_, local_;
  std::optional<tcp::endpoint> bind_;
  std::string server_name_;
  std::error_code drain_reason_;
  std::string read_buffer_;
  std::size_t read_size_ = 0;
  std::chrono::steady_clock::time_point last_activity_;
};

}  // namespace callwire::net
