#pragma once
// A server on 127.0.0.1:0 with its io_context on its own thread, and a raw
// connection that reads responses with a timeout (no test ever hangs).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "http/server.hpp"

namespace callwire::http::test {

using namespace std::chrono_literals;

class TestServer {
 public:
  explicit TestServer(Router router, ServerOptions options = {}) {
    server_ = std::make_unique<Server>(io_, std::move(router), options);
    auto s = server_->start();
    if (!s) throw std::runtime_error(s.error().what());
    guard_.emplace(io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestServer() {
    server_->stop();
    guard_.reset();
    io_.stop();
    thread_.join();
  }
  Server& server() { return *server_; }
  std::uint16_t port() const { return server_->bound_port(); }

 private:
  boost::asio::io_context io_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

using RawResponse = boost::beast::http::response<boost::beast::http::string_body>;

class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port, const char* host = "127.0.0.1") : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address(host), port});
  }

  void send(std::string_view bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size())); }

  // The next response, or the error that ended the read (eof when closed).
  // `head`: the answer to a HEAD request (headers only, whatever Content-Length says).
  std::optional<RawResponse> read(boost::system::error_code* error = nullptr,
                                  std::chrono::milliseconds timeout = 10s, bool head = false) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head);
    std::optional<boost::system::error_code> result;
    boost::beast::http::async_read(socket_, buffer_, parser,
                                   [&](boost::system::error_code ec, std::size_t) { result = ec; });
    run(result, timeout);
    if (error) *error = result.value_or(boost::asio::error::timed_out);
    if (!result || *result) return std::nullopt;
    return parser.release();
  }

  // Raw bytes until at least `n` arrived (for the 100 Continue line).
  std::string read_some(std::size_t n, std::chrono::milliseconds timeout = 10s) {
    std::string out;
    while (out.size() < n) {
      char chunk[512];
      std::optional<boost::system::error_code> result;
      std::size_t got = 0;
      socket_.async_read_some(boost::asio::buffer(chunk, std::min(sizeof chunk, n - out.size())),
                              [&](boost::system::error_code ec, std::size_t k) {
                                result = ec;
                                got = k;
                              });
      run(result, timeout);
      if (!result || *result) break;
      out.append(chunk, got);
    }
    return out;
  }

  // True when the server closes the connection within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout = 10s) {
    char c;
    std::optional<boost::system::error_code> result;
    socket_.async_read_some(boost::asio::buffer(&c, 1), [&](boost::system::error_code ec, std::size_t) { result = ec; });
    run(result, timeout);
    return result && *result;
  }

 private:
  void run(std::optional<boost::system::error_code>& result, std::chrono::milliseconds timeout) {
    io_.restart();
    io_.run_for(timeout);
    if (!result) {
      socket_.cancel();
      io_.restart();
      io_.run();
      result.reset();
    }
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// A one-shot event that handlers on the pool and the test thread wait on.
class Event {
 public:
  void set() {
    std::lock_guard lock(m_);
    set_ = true;
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, timeout, [&] { return set_; });
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool set_ = false;
};

// Polls `cond` every millisecond until it holds or `timeout` passes.
inline bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 10s) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return cond();
}

}  // namespace callwire::http::test
