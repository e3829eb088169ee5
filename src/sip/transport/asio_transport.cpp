#include "sip/transport/asio_transport.hpp"

#include <ifaddrs.h>
#include <net/if.h>

#include <future>

#include "core/log.hpp"
#include "net/errc.hpp"
#include "net/stun.hpp"
#include "net/tls_context.hpp"
#include "sip/transport/transport_state.hpp"

namespace callwire::sip {

namespace {
using tcp = boost::asio::ip::tcp;
using udp = boost::asio::ip::udp;

// A concrete address to advertise for a wildcard bind: the first up,
// non-loopback interface address of that family (loopback if none).
boost::asio::ip::address interface_address(bool v6) {
  boost::asio::ip::address fallback = v6 ? boost::asio::ip::address(boost::asio::ip::address_v6::loopback())
                                         : boost::asio::ip::address(boost::asio::ip::address_v4::loopback());
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return fallback;
  boost::asio::ip::address found = fallback;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK)) continue;
    if (!v6 && i->ifa_addr->sa_family == AF_INET) {
      auto* sin = reinterpret_cast<sockaddr_in*>(i->ifa_addr);
      found = boost::asio::ip::address_v4(ntohl(sin->sin_addr.s_addr));
      break;
    }
    if (v6 && i->ifa_addr->sa_family == AF_INET6) {
      auto* sin6 = reinterpret_cast<sockaddr_in6*>(i->ifa_addr);
      boost::asio::ip::address_v6::bytes_type bytes;
      std::memcpy(bytes.data(), sin6->sin6_addr.s6_addr, bytes.size());
      boost::asio::ip::address_v6 a(bytes);
      if (a.is_link_local()) continue;
      found = a;
      break;
    }
  }
  freeifaddrs(list);
  return found;
}

std::string public_host(const std::string& text) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(text, ec);
  return !ec && address.is_v6() ? "[" + text + "]" : text;
}
}  // namespace

AsioTransport::State::State(net::WorkerPool& p, TransportConfig c)
    : pool(p), config(std::move(c)), handlers(p.size(), nullptr), connections(p.size()) {
  stream_options.idle_timeout = config.idle_timeout;
  stream_options.connect_timeout = config.connect_timeout;
  stream_options.handshake_timeout = config.handshake_timeout;
  stream_options.max_write_queue = config.max_write_queue;
  // Room for one whole message plus what may follow it in the same read.
  stream_options.max_read_buffer = config.limits.max_message_size + 64 * 1024;
  for (std::size_t w = 0; w < p.size(); ++w) views.push_back(std::make_unique<WorkerTransport>(*this, w));
}

bool AsioTransport::State::Listener::has(Protocol p) const {
  return std::ranges::find(config.protocols, p) != config.protocols.end();
}

void AsioTransport::State::Listener::close_worker(std::size_t w) {
  if (w < udp.size()) udp[w]->close();
  if (w < tcp.size()) tcp[w]->close();
  if (w < tls.size()) tls[w]->close();
}

Status AsioTransport::State::bind_listener(std::uint32_t index) {
  // With port 0 the first socket picks the port and the others (every
  // protocol, every worker) must get the same one; if TCP finds it taken,
  // start over with a new port.
  auto& l = listeners[index];
  const bool any_port = l.config.endpoint.port == 0;
  Error last;
  for (int attempt = 0; attempt < (any_port ? 20 : 1); ++attempt) {
    l.udp.clear();
    l.tcp.clear();
    l.tls.clear();
    std::uint16_t port = l.config.endpoint.port;
    const auto address = l.config.endpoint.address;
    bool failed = false;
    auto take_port = [&](std::uint16_t bound) {
      if (port == 0) port = bound;
    };
    for (Protocol p : {Protocol::Udp, Protocol::Tcp, Protocol::Tls}) {
      if (!l.has(p) || failed) continue;
      for (std::size_t w = 0; w < pool.size() && !failed; ++w) {
        if (p == Protocol::Udp) {
          // One kernel socket read by every worker (see net/udp_socket.hpp).
          auto s = w == 0 ? net::UdpSocket::open(pool.context(w), udp::endpoint(address, port),
                                                    config.udp_receive_buffer)
                          : net::UdpSocket::share(pool.context(w), *l.udp.front());
          if (!s) {
            last = s.error();
            failed = true;
            break;
          }
          take_port((*s)->local_endpoint().port());
          l.udp.push_back(*s);
        } else {
          auto a = net::StreamAcceptor::open(pool.context(w), tcp::endpoint(address, port));
          if (!a) {
            last = a.error();
            failed = true;
            break;
          }
          take_port((*a)->local_endpoint().port());
          (p == Protocol::Tcp ? l.tcp : l.tls).push_back(*a);
        }
      }
    }
    if (!failed) {
      l.address = address;
      l.port = port;
      return {};
    }
    for (std::size_t w = 0; w < pool.size(); ++w) l.close_worker(w);
  }
  l.udp.clear();
  l.tcp.clear();
  l.tls.clear();
  return std::unexpected(last);
}

void AsioTransport::State::start_reading() {
  std::weak_ptr<State> weak = shared_from_this();
  for (std::uint32_t li = 0; li < listeners.size(); ++li) {
    auto& l = listeners[li];
    for (std::size_t w = 0; w < pool.size(); ++w) {
      // Started on the owner worker (or when it starts running).
      std::shared_ptr<net::UdpSocket> u = w < l.udp.size() ? l.udp[w] : nullptr;
      std::shared_ptr<net::StreamAcceptor> t = w < l.tcp.size() ? l.tcp[w] : nullptr;
      std::shared_ptr<net::StreamAcceptor> s = w < l.tls.size() ? l.tls[w] : nullptr;
      pool.post(w, [weak, w, li, u, t, s] {
        if (u) {
          u->start([weak, w, li](std::string_view bytes, const udp::endpoint& from) {
            if (auto self = weak.lock()) self->on_datagram(w, li, bytes, from);
          });
        }
        for (auto [a, p] : {std::pair{t, Protocol::Tcp}, std::pair{s, Protocol::Tls}}) {
          if (!a) continue;
          a->start([weak, w, li, p](tcp::socket socket) {
            if (auto self = weak.lock()) self->on_accept(w, li, p, std::move(socket));
          });
        }
      });
    }
  }
}

void AsioTransport::State::close_worker(std::size_t w) {
  for (auto& l : listeners) l.close_worker(w);
  auto owned = std::move(connections[w]);
  connections[w].clear();
  for (auto& [id, c] : owned) c->close(net::Errc::Closed);
}

void AsioTransport::State::on_datagram(std::size_t w, std::uint32_t li, std::string_view bytes,
                                       const udp::endpoint& from) {
  Counters::add(counters.datagrams_received);
  Counters::add(counters.bytes_received, bytes.size());
  // Empty datagrams and CRLF keep-alives carry nothing to answer.
  if (bytes.find_first_not_of("\r\n") == std::string_view::npos) {
    Counters::add(counters.keepalives_received);
    return;
  }
  const auto& l = listeners[li];
  if (net::is_stun(bytes)) {
    // RFC 5626 §4.4.1 keep-alive: a STUN Binding request on the SIP port.
    Counters::add(counters.keepalives_received);
    if (auto response = net::stun_binding_response(bytes, from.address(), from.port())) {
      l.udp[w]->send_to(std::make_shared<const std::string>(std::move(*response)), from);
    }
    return;
  }
  Source src{Protocol::Udp, from.address(), from.port(), l.address, l.port, li, 0};
  dispatch(w, bytes, src);
}

void AsioTransport::State::dispatch(std::size_t w, std::string_view bytes, const Source& src) {
  if (closed.load(std::memory_order_relaxed)) return;
  InboundHandler* handler = handlers[w];
  if (!handler) {
    log::get("sip")->warn("worker {}: no inbound handler; dropped {} bytes from {}", w, bytes.size(),
                          net::format_endpoint(src.remote_address, src.remote_port));
    return;
  }
  auto message = Message::parse(bytes, config.limits);
  if (!message) {
    Counters::add(counters.parse_errors);
    log::get("sip")->debug("{} from {}: unparseable ({} bytes): {}", protocol_name(src.protocol),
                           net::format_endpoint(src.remote_address, src.remote_port), bytes.size(),
                           message.error().what());
    handler->on_parse_error(bytes, message.error(), src);
    return;
  }
  // Checked first: the address would be formatted even when trace is off.
  if (const auto& log = log::get("sip"); log->should_log(spdlog::level::trace)) {
    log->trace("{} from {} [cid={}]:\n{}", protocol_name(src.protocol),
               net::format_endpoint(src.remote_address, src.remote_port), message->call_id(), bytes);
  }
  handler->on_message(std::move(*message), src);
}

// ---- AsioTransport --------------------------------------------------------

AsioTransport::AsioTransport(net::WorkerPool& pool, TransportConfig config)
    : state_(std::make_shared<State>(pool, std::move(config))) {}

AsioTransport::~AsioTransport() { close(); }

void AsioTransport::set_handler(std::size_t worker, InboundHandler& handler) { state_->handlers.at(worker) = &handler; }

void AsioTransport::set_handler(InboundHandler& handler) {
  for (auto& h : state_->handlers) h = &handler;
}

Status AsioTransport::open() {
  auto& s = *state_;
  if (s.opened.load()) return {};
  if (s.closed.load()) return fail(net::Errc::Closed, "transport was closed");
  if (s.config.listen.empty()) return fail(net::Errc::NoListener, "no listen address configured");
  bool want_tls = std::ranges::any_of(s.config.listen, [](const ListenConfig& l) {
    return std::ranges::find(l.protocols, Protocol::Tls) != l.protocols.end();
  });
  if (want_tls) {
    if (s.config.tls_cert_file.empty() || s.config.tls_key_file.empty()) {
      return fail(net::Errc::TlsConfig, "a TLS listener needs --tls-cert and --tls-key");
    }
    auto ctx = net::make_server_context({s.config.tls_cert_file, s.config.tls_key_file});
    if (!ctx) return std::unexpected(ctx.error());
    s.tls_server = *ctx;
  }
  auto client = net::make_client_context(s.config.tls_client);
  if (!client) return std::unexpected(client.error());
  s.tls_client = *client;

  s.listeners.clear();
  for (const auto& l : s.config.listen) s.listeners.push_back(State::Listener{l, {}, 0, {}, {}, {}});
  for (std::uint32_t i = 0; i < s.listeners.size(); ++i) {
    if (auto bound = s.bind_listener(i); !bound) {
      for (std::size_t w = 0; w < s.pool.size(); ++w) {
        for (auto& l : s.listeners) l.close_worker(w);
      }
      s.listeners.clear();
      return bound;
    }
  }
  for (Protocol p : {Protocol::Udp, Protocol::Tcp, Protocol::Tls}) {
    auto it = std::ranges::find_if(s.listeners, [p](const State::Listener& l) { return l.has(p); });
    const State::Listener& l = it != s.listeners.end() ? *it : s.listeners.front();
    Advertised a;
    if (!s.config.public_address.empty()) {
      a.host = public_host(s.config.public_address);
    } else {
      auto address = l.address.is_unspecified() ? interface_address(l.address.is_v6()) : l.address;
      a.host = net::format_host(address);
    }
    a.port = it != s.listeners.end() ? l.port : 0;
    s.advertised[static_cast<std::size_t>(p)] = a;
  }
  for (const auto& e : local_endpoints()) {
    log::get("net")->debug("listening on {} {} ({} workers)", protocol_name(e.protocol),
                          net::format_endpoint(e.address, e.port), s.pool.size());
  }
  s.opened.store(true);
  s.start_reading();
  return {};
}

void AsioTransport::close() {
  auto& s = *state_;
  if (s.closed.exchange(true)) return;
  if (!s.opened.load()) return;
  std::size_t self = s.pool.current();
  // Stopped but maybe not joined yet: let the last handlers finish first.
  if (!s.pool.running() && self == net::WorkerPool::npos) s.pool.join();
  if (!s.pool.running() || self != net::WorkerPool::npos) {
    // No worker is running (or we are one and must not wait for the
    // others): close what we may touch now, post the rest.
    for (std::size_t w = 0; w < s.pool.size(); ++w) {
      if (!s.pool.running() || w == self) {
        s.close_worker(w);
      } else {
        s.pool.post(w, [weak = std::weak_ptr<State>(state_), w] {
          if (auto state = weak.lock()) state->close_worker(w);
        });
      }
    }
    return;
  }
  std::vector<std::future<void>> done;
  for (std::size_t w = 0; w < s.pool.size(); ++w) {
    auto promise = std::make_shared<std::promise<void>>();
    done.push_back(promise->get_future());
    s.pool.post(w, [weak = std::weak_ptr<State>(state_), w, promise] {
      if (auto state = weak.lock()) state->close_worker(w);
      promise->set_value();
    });
  }
  auto ready = [](std::future<void>& f) { return f.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready; };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (std::size_t w = 0; w < done.size(); ++w) {
    while (!ready(done[w])) {
      if (!s.pool.running()) {
        // The pool was stopped meanwhile (e.g. by a signal): its loops will
        // not run our tasks, so close what is left here once it has joined.
        s.pool.join();
        for (std::size_t v = w; v < done.size(); ++v) {
          if (!ready(done[v])) s.close_worker(v);
        }
        return;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        log::get("net")->warn("worker {} did not close its sockets in time", w);
        break;
      }
      done[w].wait_for(std::chrono::milliseconds(10));
    }
  }
}

Transport& AsioTransport::worker(std::size_t w) { return *state_->views.at(w); }

std::vector<LocalEndpoint> AsioTransport::local_endpoints() const {
  std::vector<LocalEndpoint> out;
  for (std::uint32_t i = 0; i < state_->listeners.size(); ++i) {
    const auto& l = state_->listeners[i];
    for (Protocol p : l.config.protocols) out.push_back({i, p, l.address, l.port});
  }
  return out;
}

std::optional<std::uint16_t> AsioTransport::bound_port(std::uint32_t listener, Protocol protocol) const {
  if (listener >= state_->listeners.size()) return std::nullopt;
  const auto& l = state_->listeners[listener];
  if (!l.has(protocol) || l.port == 0) return std::nullopt;
  return l.port;
}

TransportStats AsioTransport::stats() const {
  const auto& c = state_->counters;
  auto get = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  TransportStats t;
  t.datagrams_received = get(c.datagrams_received);
  t.datagrams_sent = get(c.datagrams_sent);
  t.stream_messages_received = get(c.stream_messages_received);
  t.parse_errors = get(c.parse_errors);
  t.keepalives_received = get(c.keepalives_received);
  t.bytes_received = get(c.bytes_received);
  t.bytes_sent = get(c.bytes_sent);
  t.send_errors = get(c.send_errors);
  t.connections_accepted = get(c.connections_accepted);
  t.connections_opened = get(c.connections_opened);
  t.connections_open = get(c.connections_open);
  t.connections_dropped = get(c.connections_dropped);
  return t;
}

const TransportConfig& AsioTransport::config() const { return state_->config; }

}  // namespace callwire::sip
