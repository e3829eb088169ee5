// Sending for AsioTransport: UDP from the worker's own socket, TCP/TLS over
// the connection's owner worker, connecting when there is none (§18.2.2).
#include "core/log.hpp"
#include "net/endpoint.hpp"
#include "net/errc.hpp"
#include "sip/transport/transport_state.hpp"

namespace callwire::sip {

namespace {
using tcp = boost::asio::ip::tcp;

boost::asio::ip::address unmapped(const boost::asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  }
  return a;
}

std::uint16_t port_or_default(const Route& r) {
  if (r.port != 0) return r.port;
  return r.protocol == Protocol::Tls ? 5061 : 5060;
}
}  // namespace

void WorkerTransport::send(const Route& route, std::shared_ptr<const std::string> bytes, Done done) {
  if (state_.pool.current() != worker_) {
    // Called off this worker (e.g. from a test or a control thread): hop.
    // Handlers hold the state weakly: a task stranded in a stopped loop must
    // not keep sockets of other loops alive past their io_context.
    state_.pool.post(worker_, [weak = state_.weak_from_this(), w = worker_, route, bytes = std::move(bytes),
                               done = std::move(done)]() mutable {
      if (auto state = weak.lock()) {
        state->send(w, route, std::move(bytes), std::move(done));
      } else if (done) {
        done(net::Errc::Closed);
      }
    });
    return;
  }
  state_.send(worker_, route, std::move(bytes), std::move(done));
}

Advertised WorkerTransport::advertised(Protocol p) const { return state_.advertised[static_cast<std::size_t>(p)]; }

const AsioTransport::State::Listener* AsioTransport::State::pick_listener(Protocol p, std::uint32_t preferred,
                                                                         const boost::asio::ip::address& to,
                                                                         std::uint32_t* index) const {
  auto fits = [&](const Listener& l) { return l.has(p) && l.address.is_v6() == to.is_v6(); };
  if (preferred < listeners.size() && fits(listeners[preferred])) {
    if (index) *index = preferred;
    return &listeners[preferred];
  }
  for (std::uint32_t i = 0; i < listeners.size(); ++i) {
    if (fits(listeners[i])) {
      if (index) *index = i;
      return &listeners[i];
    }
  }
  return nullptr;
}

void AsioTransport::State::finish(std::size_t w, Done done, std::error_code ec) {
  if (ec) Counters::add(counters.send_errors);
  if (done) pool.post(w, [done = std::move(done), ec] { done(ec); });
}

void AsioTransport::State::send(std::size_t w, const Route& in, std::shared_ptr<const std::string> bytes, Done done) {
  if (closed.load(std::memory_order_relaxed) || !opened.load(std::memory_order_relaxed)) {
    finish(w, std::move(done), net::Errc::Closed);
    return;
  }
  Route route = in;
  route.address = unmapped(route.address);
  if (is_reliable(route.protocol)) {
    send_stream(w, route, std::move(bytes), std::move(done));
    return;
  }
  const Listener* l = pick_listener(Protocol::Udp, route.listener, route.address);
  if (!l || w >= l->udp.size()) {
    log::get("net")->warn("UDP to {}: no listener for that address family",
                          net::format_endpoint(route.address, route.port));
    finish(w, std::move(done), net::Errc::NoListener);
    return;
  }
  if (const auto& log = log::get("sip"); log->should_log(spdlog::level::trace)) {
    log->trace("UDP to {}:\n{}", net::format_endpoint(route.address, route.port), *bytes);
  }
  std::size_t size = bytes->size();
  std::weak_ptr<State> weak = shared_from_this();
  l->udp[w]->send_to(std::move(bytes), udp::endpoint(route.address, port_or_default(route)),
                     [weak, size, done = std::move(done), to = route](boost::system::error_code ec) {
                       if (auto self = weak.lock()) {
                         if (ec) {
                           Counters::add(self->counters.send_errors);
                           log::get("net")->debug("UDP to {}: {}", net::format_endpoint(to.address, to.port),
                                                  ec.message());
                         } else {
                           Counters::add(self->counters.datagrams_sent);
                           Counters::add(self->counters.bytes_sent, size);
                         }
                       }
                       if (done) done(ec);
                     });
}

void AsioTransport::State::write(std::size_t w, net::StreamConnection& c, std::shared_ptr<const std::string> bytes,
                                 Done done) {
  if (const auto& log = log::get("sip"); log->should_log(spdlog::level::trace)) {
    log->trace("{} to {}:\n{}", c.is_tls() ? "TLS" : "TCP",
               net::format_endpoint(c.remote_endpoint().address(), c.remote_endpoint().port()), *bytes);
  }
  std::size_t size = bytes->size();
  std::weak_ptr<State> weak = shared_from_this();
  c.write(std::move(bytes), [weak, size, done = std::move(done)](std::error_code ec) {
    if (auto self = weak.lock()) {
      Counters::add(ec ? self->counters.send_errors : self->counters.bytes_sent, ec ? 1 : size);
    }
    if (done) done(ec);
  });
}

void AsioTransport::State::send_stream(std::size_t w, const Route& route, std::shared_ptr<const std::string> bytes,
                                       Done done) {
  std::optional<ConnectionRegistry::Entry> entry;
  if (route.connection != 0) entry = registry.find(route.connection);
  if (!entry && !route.address.is_unspecified()) {
    entry = registry.find(route.protocol, tcp::endpoint(route.address, port_or_default(route)));
  }
  if (entry && entry->protocol == route.protocol) {
    if (entry->worker == w) {
      if (auto c = entry->connection.lock(); c && !c->is_closed()) {
        write(w, *c, std::move(bytes), std::move(done));
        return;
      }
    } else {
      // The connection belongs to another worker: write there, report here.
      pool.post(entry->worker, [weak = weak_from_this(), pool = &pool, owner = entry->worker, w,
                                connection = entry->connection, route, bytes = std::move(bytes),
                                done = std::move(done)]() mutable {
        auto self = weak.lock();
        if (!self) {
          if (done) pool->post(w, [done = std::move(done)] { done(net::Errc::Closed); });
          return;
        }
        if (auto c = connection.lock(); c && !c->is_closed()) {
          self->write(owner, *c, std::move(bytes), [pool, w, done = std::move(done)](std::error_code ec) {
            if (done) pool->post(w, [done, ec] { done(ec); });
          });
          return;
        }
        // Closed meanwhile: the sender opens a new connection.
        pool->post(w, [weak, w, route, bytes = std::move(bytes), done = std::move(done)]() mutable {
          if (auto self = weak.lock()) {
            self->connect_and_send(w, route, std::move(bytes), std::move(done));
          } else if (done) {
            done(net::Errc::Closed);
          }
        });
      });
      return;
    }
  }
  connect_and_send(w, route, std::move(bytes), std::move(done));
}

void AsioTransport::State::connect_and_send(std::size_t w, const Route& route, std::shared_ptr<const std::string> bytes,
                                            Done done) {
  if (closed.load(std::memory_order_relaxed)) {
    finish(w, std::move(done), net::Errc::Closed);
    return;
  }
  if (route.address.is_unspecified()) {
    finish(w, std::move(done), net::Errc::BadAddress);
    return;
  }
  std::uint32_t listener = 0;
  const Listener* l = pick_listener(route.protocol, route.listener, route.address, &listener);
  std::optional<tcp::endpoint> local;
  if (l && !l->address.is_unspecified()) local = tcp::endpoint(l->address, 0);  // same source address
  tcp::endpoint remote(route.address, port_or_default(route));
  auto c = net::StreamConnection::connecting(pool.context(w), remote, local,
                                             route.protocol == Protocol::Tls ? tls_client : nullptr,
                                             route.server_name, stream_options);
  Counters::add(counters.connections_opened);
  attach(w, listener, route.protocol, c);
  write(w, *c, std::move(bytes), std::move(done));
}

}  // namespace callwire::sip
