#include "net/stream_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <deque>

#include "core/log.hpp"
#include "net/endpoint.hpp"
#include "net/errc.hpp"

namespace callwire::net {

namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {
constexpr std::size_t kReadChunk = 16 * 1024;
}

struct StreamConnection::Impl {
  explicit Impl(boost::asio::io_context& context) : timer(context) {}

  std::optional<tcp::socket> plain;
  std::optional<ssl::stream<tcp::socket>> tls;
  std::shared_ptr<ssl::context> tls_context;
  boost::asio::steady_timer timer;
  std::uint64_t timer_generation = 0;  // a wait that completes after re-arming is stale
  struct Pending {
    std::shared_ptr<const std::string> bytes;
    Done done;
  };
  std::deque<Pending> queue;

  tcp::socket& lowest() { return tls ? tls->next_layer() : *plain; }

  template <class F>
  void with_stream(F&& f) {
    if (tls) {
      f(*tls);
    } else {
      f(*plain);
    }
  }
};

StreamConnection::StreamConnection(boost::asio::io_context& context, const StreamOptions& options)
    : context_(context), options_(options), impl_(std::make_unique<Impl>(context)) {}

StreamConnection::~StreamConnection() = default;

std::shared_ptr<StreamConnection> StreamConnection::accepted(tcp::socket socket, std::shared_ptr<ssl::context> tls,
                                                             const StreamOptions& options) {
  auto& context = static_cast<boost::asio::io_context&>(socket.get_executor().context());
  std::shared_ptr<StreamConnection> c(new StreamConnection(context, options));
  c->server_ = true;
  boost::system::error_code ec;
  c->remote_ = socket.remote_endpoint(ec);
  c->local_ = socket.local_endpoint(ec);
  socket.set_option(tcp::no_delay(true), ec);
  if (tls) {
    c->impl_->tls_context = std::move(tls);
    c->impl_->tls.emplace(std::move(socket), *c->impl_->tls_context);
  } else {
    c->impl_->plain.emplace(std::move(socket));
  }
  return c;
}

std::shared_ptr<StreamConnection> StreamConnection::connecting(boost::asio::io_context& context,
                                                               const tcp::endpoint& remote,
                                                               std::optional<tcp::endpoint> local,
                                                               std::shared_ptr<ssl::context> tls,
                                                               std::string server_name,
                                                               const StreamOptions& options) {
  std::shared_ptr<StreamConnection> c(new StreamConnection(context, options));
  c->remote_ = remote;
  c->bind_ = local;
  c->server_name_ = std::move(server_name);
  if (tls) {
    c->impl_->tls_context = std::move(tls);
    c->impl_->tls.emplace(context, *c->impl_->tls_context);
  } else {
    c->impl_->plain.emplace(context);
  }
  return c;
}

bool StreamConnection::is_tls() const { return impl_->tls.has_value(); }

void StreamConnection::start(Handlers handlers) {
  handlers_ = std::move(handlers);
  if (server_) {
    if (impl_->tls) {
      handshake();
    } else {
      opened();
    }
    return;
  }
  state_ = State::Connecting;
  arm_timer(options_.connect_timeout);
  auto& socket = impl_->lowest();
  boost::system::error_code ec;
  socket.open(remote_.protocol(), ec);
  if (!ec && bind_) socket.bind(*bind_, ec);
  if (ec) {
    close(ec);
    return;
  }
  socket.async_connect(remote_, [self = shared_from_this()](boost::system::error_code ec) {
    if (self->state_ != State::Connecting) return;
    if (ec) {
      self->close(ec);
      return;
    }
    self->on_connected();
  });
}

void StreamConnection::on_connected() {
  boost::system::error_code ec;
  auto& socket = impl_->lowest();
  socket.set_option(tcp::no_delay(true), ec);
  local_ = socket.local_endpoint(ec);
  if (!impl_->tls) {
    opened();
    return;
  }
  std::string name = server_name_.empty() ? remote_.address().to_string() : server_name_;
  boost::system::error_code not_ip;
  boost::asio::ip::make_address(name, not_ip);
  if (not_ip) SSL_set_tlsext_host_name(impl_->tls->native_handle(), name.c_str());  // SNI takes names only
  impl_->tls->set_verify_callback(ssl::host_name_verification(name), ec);
  handshake();
}

void StreamConnection::handshake() {
  state_ = State::Handshaking;
  arm_timer(options_.handshake_timeout);
  auto type = server_ ? ssl::stream_base::server : ssl::stream_base::client;
  impl_->tls->async_handshake(type, [self = shared_from_this()](boost::system::error_code ec) {
    if (self->state_ != State::Handshaking) return;
    if (ec) {
      log::get("net")->debug("TLS {}: handshake failed: {}", format_endpoint(self->remote_.address(),
                                                                            self->remote_.port()),
                             ec.message());
      self->close(ec);
      return;
    }
    self->opened();
  });
}

void StreamConnection::opened() {
  state_ = State::Open;
  touch();
  if (options_.idle_timeout.count() > 0) {
    arm_timer(options_.idle_timeout);
  } else {
    ++impl_->timer_generation;
    impl_->timer.cancel();
  }
  if (handlers_.on_open) handlers_.on_open();
  if (state_ != State::Open) return;  // closed by on_open
  read();
  flush();
}

void StreamConnection::read() {
  if (read_buffer_.size() - read_size_ < kReadChunk) read_buffer_.resize(read_size_ + kReadChunk);
  auto buffer = boost::asio::buffer(read_buffer_.data() + read_size_, read_buffer_.size() - read_size_);
  impl_->with_stream([&](auto& stream) {
    stream.async_read_some(buffer, [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
      if (self->state_ != State::Open) return;
      if (ec) {
        self->close(ec);
        return;
      }
      self->read_size_ += n;
      self->touch();
      std::size_t consumed = 0;
      if (self->handlers_.on_data) {
        consumed = std::min(self->read_size_, self->handlers_.on_data({self->read_buffer_.data(), self->read_size_}));
      }
      if (self->state_ != State::Open) return;  // the consumer closed us
      if (consumed > 0) {
        std::memmove(self->read_buffer_.data(), self->read_buffer_.data() + consumed, self->read_size_ - consumed);
        self->read_size_ -= consumed;
      }
      if (self->read_size_ > self->options_.max_read_buffer) {
        self->close(Errc::ReadBufferFull);
        return;
      }
      // Give back memory after a burst (e.g. one large message).
      if (self->read_size_ == 0 && self->read_buffer_.size() > 4 * kReadChunk) {
        std::string().swap(self->read_buffer_);
      }
      self->read();
    });
  });
}

void StreamConnection::write(std::shared_ptr<const std::string> bytes, Done done) {
  if (state_ == State::Closed) {
    if (done) boost::asio::post(context_, [done = std::move(done)] { done(Errc::Closed); });
    return;
  }
  queued_bytes_ += bytes->size();
  impl_->queue.push_back({std::move(bytes), std::move(done)});
  if (queued_bytes_ > options_.max_write_queue) {
    log::get("net")->error("{} {}: write queue over {} bytes, closing", is_tls() ? "TLS" : "TCP",
                           format_endpoint(remote_.address(), remote_.port()), options_.max_write_queue);
    close(Errc::QueueFull);
    return;
  }
  flush();
}

void StreamConnection::close_after_writes(std::error_code why) {
  if (state_ != State::Open) {
    close(why);
    return;
  }
  state_ = State::Draining;
  drain_reason_ = why;
  arm_timer(options_.handshake_timeout);
  flush();
}

void StreamConnection::flush() {
  if (state_ == State::Draining && !writing_ && impl_->queue.empty()) {
    close(drain_reason_);
    return;
  }
  if (writing_ || (state_ != State::Open && state_ != State::Draining) || impl_->queue.empty()) return;
  writing_ = true;
  auto buffer = boost::asio::buffer(*impl_->queue.front().bytes);
  impl_->with_stream([&](auto& stream) {
    boost::asio::async_write(stream, buffer, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      self->writing_ = false;
      if (self->impl_->queue.empty()) return;  // failed by close()
      auto done = std::move(self->impl_->queue.front().done);
      self->queued_bytes_ -= self->impl_->queue.front().bytes->size();
      self->impl_->queue.pop_front();
      if (done) done(ec);
      if (ec) {
        self->close(ec);
        return;
      }
      self->touch();
      self->flush();
    });
  });
}

void StreamConnection::close(std::error_code why) {
  if (state_ == State::Closed) return;
  state_ = State::Closed;
  ++impl_->timer_generation;
  impl_->timer.cancel();
  boost::system::error_code ignored;
  impl_->lowest().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->lowest().close(ignored);
  // Every queued write fails with the reason, and on_close runs after them,
  // all on the next loop turn so that no callback runs inside the caller.
  auto queue = std::move(impl_->queue);
  impl_->queue.clear();
  queued_bytes_ = 0;
  std::error_code reason = why ? why : std::error_code(Errc::Closed);
  boost::asio::post(context_, [self = shared_from_this(), queue = std::move(queue), reason]() mutable {
    for (auto& p : queue) {
      if (p.done) p.done(reason);
    }
    auto handlers = std::move(self->handlers_);
    self->handlers_ = {};
    if (handlers.on_close) handlers.on_close(reason);
  });
}

void StreamConnection::touch() { last_activity_ = std::chrono::steady_clock::now(); }

void StreamConnection::arm_timer(std::chrono::milliseconds after) {
  auto generation = ++impl_->timer_generation;
  impl_->timer.expires_after(after);
  impl_->timer.async_wait([self = shared_from_this(), generation](boost::system::error_code ec) {
    if (ec || generation != self->impl_->timer_generation) return;
    self->on_timer();
  });
}

void StreamConnection::on_timer() {
  switch (state_) {
    case State::Connecting:
      close(Errc::ConnectTimeout);
      return;
    case State::Handshaking:
      close(Errc::HandshakeTimeout);
      return;
    case State::Draining:
      close(drain_reason_);
      return;
    case State::Open: {
      auto idle = std::chrono::steady_clock::now() - last_activity_;
      if (idle >= options_.idle_timeout) {
        close(Errc::IdleTimeout);
      } else {
        arm_timer(std::chrono::duration_cast<std::chrono::milliseconds>(options_.idle_timeout - idle) +
                  std::chrono::milliseconds(1));
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace callwire::net
