#include "http/server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/thread_pool.hpp>
#include <future>

#include "http/errc.hpp"
#include "http/session.hpp"
#include "net/errc.hpp"

namespace callwire::http {

namespace {

using tcp = boost::asio::ip::tcp;

void accept_next(const std::shared_ptr<detail::ServerState>& state);

void on_accept(const std::shared_ptr<detail::ServerState>& state, boost::system::error_code ec, tcp::socket socket) {
  if (state->stopping || !state->acceptor || !state->acceptor->is_open()) return;
  if (ec) {
    // Out of descriptors and the like: wait a little instead of spinning.
    state->log->warn("accept failed: {}", ec.message());
    auto timer = std::make_shared<boost::asio::steady_timer>(state->io, std::chrono::milliseconds(100));
    timer->async_wait([state, timer](boost::system::error_code) { accept_next(state); });
    return;
  }
  const auto& opt = state->options;
  if (state->connections >= opt.max_connections) {
    if (state->rejecting < opt.max_connections) {
      std::make_shared<detail::Session>(state, std::move(socket), true)->start();
    }  // else: the socket just closes
  } else {
    std::make_shared<detail::Session>(state, std::move(socket), false)->start();
  }
  accept_next(state);
}

void accept_next(const std::shared_ptr<detail::ServerState>& state) {
  if (state->stopping || !state->acceptor || !state->acceptor->is_open()) return;
  state->acceptor->async_accept(
      [state](boost::system::error_code ec, tcp::socket socket) { on_accept(state, ec, std::move(socket)); });
}

// Runs on the io_context's thread (or with the io_context stopped).
void close_all(detail::ServerState& state) {
  boost::system::error_code ignored;
  if (state.acceptor) state.acceptor->close(ignored);
  auto sessions = std::move(state.sessions);
  state.sessions.clear();
  for (auto& [ptr, weak] : sessions) {
    if (auto s = weak.lock()) s->close();
  }
}

}  // namespace

Server::Server(boost::asio::io_context& io, Router router, ServerOptions options)
    : io_(io),
      state_(std::make_shared<detail::ServerState>(io, std::move(router), std::move(options))),
      pool_(std::make_unique<boost::asio::thread_pool>(std::max<std::size_t>(1, state_->options.handler_threads))) {
  state_->pool = pool_.get();
}

Server::~Server() { stop(); }

Status Server::start() {
  if (started_ || stopped_) return fail(Errc::AlreadyStarted);
  const auto& listen = state_->options.listen;
  tcp::endpoint endpoint(listen.address, listen.port);
  boost::system::error_code ec;
  tcp::acceptor acceptor(io_);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    boost::system::error_code ignored;  // best effort; bind reports what matters
    acceptor.set_option(tcp::acceptor::reuse_address(true), ignored);
    if (endpoint.address().is_v6()) acceptor.set_option(boost::asio::ip::v6_only(true), ignored);
    acceptor.bind(endpoint, ec);
  }
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec, "cannot listen for HTTP on " + net::format_endpoint(listen) + ": " + ec.message());
  auto local = acceptor.local_endpoint(ec);
  if (ec) return fail(ec, "cannot read the HTTP listening address: " + ec.message());
  state_->port = local.port();
  state_->acceptor.emplace(std::move(acceptor));
  started_ = true;
  state_->log->info("HTTP listening on {}", net::format_endpoint(local.address(), local.port()));
  // The first accept is started on the io thread, like every later one.
  boost::asio::post(io_, [state = state_] {
    if (state->io_claimed.exchange(true)) return;  // stop() came first and closed everything
    accept_next(state);
  });
  return {};
}

std::uint16_t Server::bound_port() const { return state_->port; }

net::Endpoint Server::local_endpoint() const { return {state_->options.listen.address, state_->port}; }

std::size_t Server::active_connections() const { return state_->connections; }

void Server::stop() {
  if (stopped_) return;
  stopped_ = true;
  state_->stopping = true;
  if (started_) {
    // Until the io_context has run our first handler, nothing runs there that
    // touches the state: close directly. Likewise when it is stopped.
    bool io_never_ran = !state_->io_claimed.exchange(true);
    if (io_never_ran || io_.stopped() || io_.get_executor().running_in_this_thread()) {
      close_all(*state_);
    } else {
      auto done = std::make_shared<std::promise<void>>();
      auto future = done->get_future();
      boost::asio::post(io_, [state = state_, done] {
        close_all(*state);
        done->set_value();
      });
      // The io_context is expected to be running; if nobody runs it after
      // all, don't hang: nothing else touches these objects then.
      if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) close_all(*state_);
    }
  }
  pool_->join();
  state_->log->info("HTTP server stopped");
}

}  // namespace callwire::http
