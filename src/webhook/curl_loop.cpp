#include "webhook/curl_loop.hpp"

#include <poll.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <chrono>

namespace callwire::webhook {

namespace {
// Readiness right now, as poll(2) reports it (level-triggered).
int ready_now(int fd, int wanted) {
  pollfd p{fd, 0, 0};
  if (wanted & CURL_POLL_IN) p.events |= POLLIN;
  if (wanted & CURL_POLL_OUT) p.events |= POLLOUT;
  if (::poll(&p, 1, 0) <= 0) return 0;
  int flags = 0;
  if (p.revents & (POLLIN | POLLHUP)) flags |= CURL_CSELECT_IN;
  if (p.revents & POLLOUT) flags |= CURL_CSELECT_OUT;
  if (p.revents & (POLLERR | POLLNVAL)) flags |= CURL_CSELECT_ERR;
  return flags;
}
}  // namespace

CurlLoop::CurlLoop(boost::asio::io_context& io, CURLM* multi, std::function<void()> progress)
    : io_(io), multi_(multi), progress_(std::move(progress)), timer_(io) {
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlLoop::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlLoop::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlLoop::~CurlLoop() { shutdown(); }

void CurlLoop::shutdown() {
  if (down_) return;
  down_ = true;
  timer_.cancel();
  for (auto& [fd, w] : watches_) {
    w->removed = true;
    w->descriptor.cancel();
    (void)w->descriptor.release();  // the fd stays curl's to close
  }
  watches_.clear();
}

void CurlLoop::adopt(CURL* easy) {
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &CurlLoop::on_close);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
}

int CurlLoop::on_socket(CURL*, curl_socket_t fd, int what, void* self_ptr, void*) {
  auto* self = static_cast<CurlLoop*>(self_ptr);
  if (self->down_) return 0;
  if (what == CURL_POLL_REMOVE) {
    self->forget(fd);
    return 0;
  }
  auto& w = self->watches_[fd];
  if (!w) w = std::make_shared<Watch>(self->io_, fd);
  w->wanted = what;
  self->arm(w);
  return 0;
}

int CurlLoop::on_timer(CURLM*, long timeout_ms, void* self_ptr) {
  auto* self = static_cast<CurlLoop*>(self_ptr);
  if (self->down_) return 0;
  if (timeout_ms < 0) {
    self->timer_.cancel();
    return 0;
  }
  self->timer_.expires_after(std::chrono::milliseconds(timeout_ms));
  self->timer_.async_wait([self](const boost::system::error_code& ec) {
    if (ec || self->down_) return;
    self->act(CURL_SOCKET_TIMEOUT, 0);
  });
  return 0;
}

int CurlLoop::on_close(void* self_ptr, curl_socket_t fd) {
  static_cast<CurlLoop*>(self_ptr)->forget(fd);
  return ::close(fd);
}

void CurlLoop::forget(int fd) {
  auto it = watches_.find(fd);
  if (it == watches_.end()) return;
  auto w = std::move(it->second);
  watches_.erase(it);
  w->removed = true;
  w->descriptor.cancel();
  (void)w->descriptor.release();
}

void CurlLoop::arm(const std::shared_ptr<Watch>& w) {
  if (w->removed || w->posted) return;
  // Already ready (an edge that passed while nobody waited): act now.
  if (int flags = ready_now(w->fd, w->wanted)) {
    w->posted = true;
    boost::asio::post(io_, [this, w, flags] {
      w->posted = false;
      if (!w->removed && !down_) act(w->fd, flags);
    });
    return;
  }
  using base = boost::asio::posix::descriptor_base;
  if ((w->wanted & CURL_POLL_IN) && !w->reading) {
    w->reading = true;
    w->descriptor.async_wait(base::wait_read, [this, w](const boost::system::error_code& ec) {
      w->reading = false;
      if (ec || w->removed || down_) return;
      act(w->fd, CURL_CSELECT_IN);
    });
  }
  if ((w->wanted & CURL_POLL_OUT) && !w->writing) {
    w->writing = true;
    w->descriptor.async_wait(base::wait_write, [this, w](const boost::system::error_code& ec) {
      w->writing = false;
      if (ec || w->removed || down_) return;
      act(w->fd, CURL_CSELECT_OUT);
    });
  }
}

void CurlLoop::act(int fd, int flags) {
  int running = 0;
  curl_multi_socket_action(multi_, fd, flags, &running);
  progress_();
  if (down_ || fd == CURL_SOCKET_TIMEOUT) return;
  // curl may still want this socket without having said so again: re-arm.
  if (auto it = watches_.find(fd); it != watches_.end()) arm(it->second);
}

}  // namespace callwire::webhook
