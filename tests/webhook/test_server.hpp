#pragma once
// A deliberately simple HTTP/1.1 server for the webhook client's tests: one
// blocking thread per connection on 127.0.0.1 (port 0), optional TLS through
// OpenSSL, keep-alive, and a handler that returns the raw bytes to answer
// (so tests can send anything: redirects, huge or chunked bodies, delays).
// It counts accepted TCP connections, which is how keep-alive reuse is checked.
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace callwire::webhook::test {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::size_t connection = 0;  // 1-based index of the TCP connection it came on

  // First header `name` (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

struct Reply {
  std::string raw;                       // the complete response bytes
  std::chrono::milliseconds delay{0};    // wait before answering (interrupted by stop())
  bool close = false;                    // close the connection after writing
};

// "HTTP/1.1 <status> X\r\nContent-Type: ..\r\nContent-Length: ..\r\n<extra>\r\n<body>"
Reply reply(int status, std::string body, std::string content_type = "text/xml", std::string extra_headers = {});

using Handler = std::function<Reply(const ReceivedRequest&)>;

class TestServer {
 public:
  // `tls` (optional, not owned, must outlive the server) turns on HTTPS.
  explicit TestServer(Handler handler, SSL_CTX* tls = nullptr);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(std::string_view path = "/") const;  // http(s)://127.0.0.1:port/path
  std::size_t connections() const { return connections_.load(); }
  std::vector<ReceivedRequest> requests() const;
  void stop();

 private:
  void accept_loop();
  void serve(int fd, std::size_t index);
  bool wait_or_stop(std::chrono::milliseconds delay);

  Handler handler_;
  SSL_CTX* tls_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<std::size_t> connections_{0};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  std::vector<ReceivedRequest> requests_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace callwire::webhook::test
