#pragma once
// Internal to the server: one accepted connection, and the state the server
// shares with its connections. Not part of the public API.
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <spdlog/logger.h>

#include "http/router.hpp"
#include "http/server.hpp"

namespace callwire::http::detail {

class Session;

// Shared by the server and its sessions, so a completion that runs after the
// Server object is gone still finds valid state.
struct ServerState {
  ServerState(boost::asio::io_context& io, Router r, ServerOptions o);

  boost::asio::io_context& io;
  const Router router;
  const ServerOptions options;
  std::shared_ptr<spdlog::logger> log;
  boost::asio::thread_pool* pool = nullptr;  // set by the server; never used once `stopping`
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};  // live sessions (not counting rejected ones)
  std::atomic<std::size_t> rejecting{0};    // sessions answering 429 before closing
  std::atomic<std::uint16_t> port{0};
  std::atomic<bool> io_claimed{false};  // the io_context ran the first accept (or stop() closed first)

  // Touched only on the io_context's thread.
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  // With `reject`, the session answers 429 at once and closes.
  Session(std::shared_ptr<ServerState> state, boost::asio::ip::tcp::socket socket, bool reject);
  ~Session();

  void start();
  // Closes the socket now; pending operations end with operation_aborted.
  void close();

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  void wait_for_request();
  void read_header();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_request(boost::beast::error_code ec);
  void on_read_error(boost::beast::error_code ec);
  void dispatch();
  void respond(Response response);
  void on_write(boost::beast::error_code ec);
  void linger_close();
  void finish();

  std::shared_ptr<ServerState> state_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  net::Endpoint remote_;
  bool reject_;
  bool keep_alive_ = true;
  bool finished_ = false;
  bool head_ = false;  // HEAD: the answer carries headers only
  unsigned version_ = 11;
  std::string log_method_ = "-";
  std::string log_path_ = "-";
  std::chrono::steady_clock::time_point started_;
  std::size_t drained_ = 0;
};

}  // namespace callwire::http::detail
