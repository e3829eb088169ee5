#pragma once
// Shared pieces of the transport tests: a recording InboundHandler, blocking
// loopback peers with timeouts, and SIP message text.
#include <poll.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "net/worker_pool.hpp"
#include "sip/message/message.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::test {

using namespace std::chrono_literals;
using sip::Source;

struct Received {
  std::string bytes;
  Source src;
  std::size_t worker = 0;
  bool parse_error = false;
  std::string error;
};

// Records everything it receives, from any worker; the hooks run on the
// receiving worker before the record is stored.
class Recorder : public sip::InboundHandler {
 public:
  explicit Recorder(net::WorkerPool& pool) : pool_(pool) {}

  using RequestHook = std::function<void(const sip::Message&, const Source&)>;
  using ErrorHook = std::function<void(std::string_view, const Error&, const Source&)>;
  // Set under the mutex: packets give no happens-before edge that a race
  // detector can see, the mutex does.
  void set_on_request(RequestHook hook) {
    std::lock_guard lock(mutex_);
    on_request_ = std::move(hook);
  }
  void set_on_error(ErrorHook hook) {
    std::lock_guard lock(mutex_);
    on_error_ = std::move(hook);
  }

  void on_message(sip::Message message, const Source& src) override {
    RequestHook hook;
    {
      std::lock_guard lock(mutex_);
      hook = on_request_;
    }
    if (hook) hook(message, src);
    push({std::string(message.bytes()), src, pool_.current(), false, {}});
  }
  void on_parse_error(std::string_view bytes, const Error& error, const Source& src) override {
    ErrorHook hook;
    {
      std::lock_guard lock(mutex_);
      hook = on_error_;
    }
    if (hook) hook(bytes, error, src);
    push({std::string(bytes), src, pool_.current(), true, error.what()});
  }

  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return items_.size() >= n; });
  }
  std::vector<Received> items() {
    std::lock_guard lock(mutex_);
    return items_;
  }

 private:
  void push(Received r) {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(r));
    cv_.notify_all();
  }
  net::WorkerPool& pool_;
  std::mutex mutex_;
  RequestHook on_request_;
  ErrorHook on_error_;
  std::condition_variable cv_;
  std::vector<Received> items_;
};

// Waits on the test thread until `pred` holds (polling; for counters).
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 5s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

inline bool readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
}

class UdpPeer {
 public:
  using udp = boost::asio::ip::udp;
  explicit UdpPeer(const char* ip = "127.0.0.1") : socket_(io_, udp::endpoint(boost::asio::ip::make_address(ip), 0)) {}
  void send_to(std::string_view bytes, const udp::endpoint& to) { socket_.send_to(boost::asio::buffer(bytes), to); }
  std::optional<std::pair<std::string, udp::endpoint>> receive(std::chrono::milliseconds timeout = 5s) {
    if (!readable(socket_.native_handle(), timeout)) return std::nullopt;
    std::string buffer(65536, '\0');
    udp::endpoint from;
    auto n = socket_.receive_from(boost::asio::buffer(buffer), from);
    buffer.resize(n);
    return std::pair{buffer, from};
  }
  udp::endpoint local() const { return socket_.local_endpoint(); }

 private:
  boost::asio::io_context io_;
  udp::socket socket_;
};

class TcpPeer {
 public:
  using tcp = boost::asio::ip::tcp;
  explicit TcpPeer(const tcp::endpoint& to) : socket_(io_) {
    socket_.connect(to);
    socket_.set_option(tcp::no_delay(true));
  }
  void write(std::string_view bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  // Reads until `bytes` holds at least `n` bytes; what it has on timeout.
  std::string read(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (buffer_.size() < n) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !readable(socket_.native_handle(), left)) break;
      char chunk[65536];
      boost::system::error_code ec;
      auto got = socket_.read_some(boost::asio::buffer(chunk), ec);
      if (ec) break;
      buffer_.append(chunk, got);
    }
    auto out = buffer_.substr(0, std::min(n, buffer_.size()));
    buffer_.erase(0, out.size());
    return out;
  }
  // Reads until `marker` appears; returns everything up to and including it.
  std::string read_until(std::string_view marker, std::chrono::milliseconds timeout = 5s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (buffer_.find(marker) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !readable(socket_.native_handle(), left)) return {};
      char chunk[65536];
      boost::system::error_code ec;
      auto got = socket_.read_some(boost::asio::buffer(chunk), ec);
      if (ec) return {};
      buffer_.append(chunk, got);
    }
    auto end = buffer_.find(marker) + marker.size();
    auto out = buffer_.substr(0, end);
    buffer_.erase(0, end);
    return out;
  }
  // True once the server closed the connection (EOF or reset), reading and
  // discarding anything still in flight.
  bool wait_closed(std::chrono::milliseconds timeout = 5s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !readable(socket_.native_handle(), left)) return false;
      char chunk[65536];
      boost::system::error_code ec;
      socket_.read_some(boost::asio::buffer(chunk), ec);
      if (ec) return true;
    }
  }
  tcp::endpoint local() const { return socket_.local_endpoint(); }
  void close() { socket_.close(); }

 private:
  boost::asio::io_context io_;
  tcp::socket socket_;
  std::string buffer_;
};

// A minimal valid request; `via` is the sent-protocol + sent-by + params.
inline std::string request(std::string_view call_id, std::string_view via = "SIP/2.0/UDP 127.0.0.1:5999;rport",
                           std::string_view body = {}) {
  std::string m = "OPTIONS sip:callwire@127.0.0.1 SIP/2.0\r\n";
  m += "Via: " + std::string(via) + ";branch=z9hG4bK-" + std::string(call_id) + "\r\n";
  m += "Max-Forwards: 70\r\n";
  m += "From: <sip:alice@example.com>;tag=1928301774\r\n";
  m += "To: <sip:callwire@example.com>\r\n";
  m += "Call-ID: " + std::string(call_id) + "\r\n";
  m += "CSeq: 1 OPTIONS\r\n";
  if (!body.empty()) m += "Content-Type: text/plain\r\n";
  m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  m += body;
  return m;
}

}  // namespace callwire::test
