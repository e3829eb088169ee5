#pragma once
// Drives a libcurl multi handle from an Asio io_context (the multi_socket
// API): curl says which sockets it waits on and when its next timeout is,
// the loop calls curl_multi_socket_action when one of them is due. Everything
// runs on the loop's thread, so a webhook costs no thread hand-over.
//
// Asio's epoll reactor is edge-triggered while curl expects level-triggered
// readiness (it may leave bytes unread), so before each wait the socket is
// polled once without blocking; if it is already ready the action is posted
// at once instead of waiting for an edge that already passed.
#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <unordered_map>

namespace callwire::webhook {

class CurlLoop {
 public:
  // `progress` runs after every socket action (to collect finished transfers).
  CurlLoop(boost::asio::io_context& io, CURLM* multi, std::function<void()> progress);
  ~CurlLoop();  // stops watching; closes nothing (curl_multi_cleanup does)
  CurlLoop(const CurlLoop&) = delete;
  CurlLoop& operator=(const CurlLoop&) = delete;

  // Every easy handle added to the multi must close its sockets through the
  // loop, so a descriptor is never closed while the reactor still holds it.
  void adopt(CURL* easy);

  // Stops every wait and timer; later curl callbacks are ignored.
  void shutdown();

 private:
  struct Watch {
    explicit Watch(boost::asio::io_context& io, int fd) : descriptor(io, fd), fd(fd) {}
    boost::asio::posix::stream_descriptor descriptor;
    int fd;
    int wanted = 0;  // CURL_POLL_IN / OUT / INOUT
    bool reading = false;
    bool writing = false;
    bool removed = false;
    bool posted = false;  // an action for it is queued already
  };

  static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* socketp);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  static int on_close(void* self, curl_socket_t fd);

  void arm(const std::shared_ptr<Watch>& w);
  void act(int fd, int flags);
  void forget(int fd);

  boost::asio::io_context& io_;
  CURLM* multi_;
  std::function<void()> progress_;
  boost::asio::steady_timer timer_;
  std::unordered_map<int, std::shared_ptr<Watch>> watches_;
  bool down_ = false;
};

}  // namespace callwire::webhook
