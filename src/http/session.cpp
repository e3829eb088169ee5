#include "http/session.hpp"

#include <array>
#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/asio/write.hpp>
#include <exception>

#include "core/log.hpp"

namespace callwire::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
// A closing connection reads and drops what the client still sends, so its
// kernel does not answer our close with a reset that destroys the response.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 16 * 1024 * 1024;

bool has_crlf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

}  // namespace

ServerState::ServerState(boost::asio::io_context& io_context, Router r, ServerOptions o)
    : io(io_context), router(std::move(r)), options(std::move(o)), log(callwire::log::get("http")) {}

Session::Session(std::shared_ptr<ServerState> state, tcp::socket socket, bool reject)
    : state_(std::move(state)), stream_(std::move(socket)), reject_(reject) {
  boost::system::error_code ec;
  auto remote = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = {remote.address(), remote.port()};
  if (reject_) {
    ++state_->rejecting;
  } else {
    ++state_->connections;
  }
}

Session::~Session() {
  if (reject_) {
    --state_->rejecting;
  } else {
    --state_->connections;
  }
}

void Session::start() {
  state_->sessions[this] = weak_from_this();
  if (reject_) {
    keep_alive_ = false;
    auto r = error_response(429, kCodeTooManyRequests, "Too many connections");
    r.headers.set("Retry-After", "1");
    respond(std::move(r));
    return;
  }
  wait_for_request();
}

void Session::close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
}

// Between requests only the idle timeout applies; the read timeout starts
// with the first byte of a request.
void Session::wait_for_request() {
  if (buffer_.size() > 0) {
    read_header();
    return;
  }
  stream_.expires_after(state_->options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    if (ec) {
      self->finish();
      return;
    }
    self->buffer_.commit(n);
    self->read_header();
  });
}

void Session::read_header() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_->options.header_limit));
  parser_->body_limit(state_->options.body_limit);
  log_method_ = "-";
  log_path_ = "-";
  head_ = false;
  started_ = std::chrono::steady_clock::now();
  stream_.expires_after(state_->options.read_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void Session::on_header(beast::error_code ec) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  const auto& req = parser_->get();
  log_method_ = std::string(req.method_string());
  log_path_ = std::string(req.target().substr(0, req.target().find('?')));
  version_ = req.version();
  head_ = req.method() == bhttp::verb::head;
  if (parser_->is_done()) {
    on_request({});
    return;
  }
  auto expect = req[bhttp::field::expect];
  if (version_ >= 11 && iequals(std::string_view(expect.data(), expect.size()), "100-continue")) {
    boost::asio::async_write(stream_, boost::asio::buffer(kContinue.data(), kContinue.size()),
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec) {
                                 self->finish();
                                 return;
                               }
                               self->read_body();
                             });
    return;
  }
  read_body();
}

void Session::read_body() {
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_request(ec); });
}

void Session::on_read_error(beast::error_code ec) {
  // Over a limit or unparsable: answer and close. Gone or too slow: just close.
  keep_alive_ = false;
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    respond(error_response(431, kCodeBadRequest, "Request header fields too large"));
  } else if (ec == bhttp::error::body_limit) {
    respond(error_response(413, kCodeBadRequest, "Request body too large"));
  } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() && ec != bhttp::error::end_of_stream &&
             ec != bhttp::error::partial_message) {
    state_->log->debug("bad request from {}: {}", net::format_endpoint(remote_), ec.message());
    respond(error_response(400, kCodeBadRequest, "Malformed HTTP request"));
  } else {
    if (ec == beast::error::timeout) {
      state_->log->debug("read timeout from {}", net::format_endpoint(remote_));
    }
    finish();
  }
}

void Session::on_request(beast::error_code ec) {
  if (ec) {
    on_read_error(ec);
    return;
  }
  stream_.expires_never();  // the handler's time is not the client's
  keep_alive_ = parser_->keep_alive();
  dispatch();
}

void Session::dispatch() {
  auto& msg = parser_->get();
  Headers headers;
  for (const auto& f : msg) headers.add(std::string(f.name_string()), std::string(f.value()));
  auto request = Request::make(parse_method(std::string_view(msg.method_string())),
                               std::string_view(msg.target()), std::move(headers), std::move(msg.body()), remote_);
  parser_.reset();
  if (!request) {
    respond(error_response(400, kCodeBadRequest, request.error().what()));
    return;
  }
  auto found = state_->router.find(*request);
  if (!found) {
    respond(std::move(found.error()));
    return;
  }
  if (state_->stopping || state_->pool == nullptr) {
    finish();
    return;
  }
  const Handler* handler = *found;
  boost::asio::post(*state_->pool, [self = shared_from_this(), handler, req = std::move(*request)]() mutable {
    if (self->state_->stopping) return;
    Response response;
    try {
      response = (*handler)(req);
    } catch (const std::exception& e) {
      self->state_->log->error("{} {}: handler failed: {}", self->log_method_, self->log_path_, e.what());
      response = error_response(500, kCodeInternal, "Internal Server Error");
    } catch (...) {
      self->state_->log->error("{} {}: handler failed with a non-standard exception", self->log_method_,
                               self->log_path_);
      response = error_response(500, kCodeInternal, "Internal Server Error");
    }
    auto executor = self->stream_.get_executor();
    boost::asio::post(executor, [self = std::move(self), response = std::move(response)]() mutable {
      self->respond(std::move(response));
    });
  });
}

void Session::respond(Response r) {
  if (state_->stopping) {
    finish();
    return;
  }
  if (r.status < 200 || r.status > 999) {
    state_->log->error("{} {}: handler returned status {}", log_method_, log_path_, r.status);
    r = error_response(500, kCodeInternal, "Internal Server Error");
  }
  response_ = {};
  response_.version(version_ == 10 ? 10 : 11);
  response_.result(static_cast<unsigned>(r.status));
  for (const auto& f : r.headers) {
    if (iequals(f.name, "Content-Length") || iequals(f.name, "Transfer-Encoding") || iequals(f.name, "Connection")) {
      continue;
    }
    if (f.name.empty() || has_crlf(f.name) || has_crlf(f.value)) {
      state_->log->warn("{} {}: dropped response header with CR/LF", log_method_, log_path_);
      continue;
    }
    response_.insert(f.name, f.value);
  }
  if (r.status == 204 || r.status == 304) r.body.clear();
  response_.body() = std::move(r.body);
  response_.keep_alive(keep_alive_);
  response_.prepare_payload();
  if (head_) response_.body().clear();  // Content-Length stays that of the GET answer
  stream_.expires_after(state_->options.write_timeout);
  bhttp::async_write(stream_, response_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void Session::on_write(beast::error_code ec) {
  auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
  if (!reject_) {
    state_->log->debug("{} {} {} {:.1f}ms", log_method_, log_path_, response_.result_int(), elapsed.count());
  }
  if (ec) {
    finish();
    return;
  }
  response_ = {};
  if (!keep_alive_) {
    linger_close();
    return;
  }
  wait_for_request();
}

void Session::linger_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (drained_ == 0) stream_.expires_after(kLingerTime);
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->drained_ += n + 1;
    if (ec || self->drained_ > kLingerBytes) {
      self->finish();
      return;
    }
    self->linger_close();
  });
}

void Session::finish() {
  if (finished_) return;
  finished_ = true;
  close();
  state_->sessions.erase(this);
}

}  // namespace callwire::http::detail
