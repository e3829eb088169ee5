// TCP/TLS connections of AsioTransport: accepting, registering, framing and
// parsing on the owner worker, and cleaning up when they close.
#include "core/log.hpp"
#include "net/endpoint.hpp"
#include "net/errc.hpp"
#include "sip/message/errc.hpp"
#include "sip/transport/stream_framer.hpp"
#include "sip/transport/transport_state.hpp"

namespace callwire::sip {

namespace {
const auto kPong = std::make_shared<const std::string>("\r\n");

bool is_drop(std::error_code why) {
  return why == net::Errc::IdleTimeout || why == net::Errc::QueueFull || why == net::Errc::ReadBufferFull ||
         why == net::Errc::HandshakeTimeout || why.category() == sip_category();
}
}  // namespace

void AsioTransport::State::on_accept(std::size_t w, std::uint32_t listener, Protocol p, tcp::socket socket) {
  if (closed.load(std::memory_order_relaxed)) return;
  if (registry.size() >= config.max_connections) {
    // Over the bound: refuse rather than grow (the socket closes here).
    Counters::add(counters.connections_dropped);
    log::get("net")->warn("{} listener {}: {} connections open, refusing one more", protocol_name(p), listener,
                          config.max_connections);
    return;
  }
  auto c = net::StreamConnection::accepted(std::move(socket), p == Protocol::Tls ? tls_server : nullptr,
                                           stream_options);
  Counters::add(counters.connections_accepted);
  attach(w, listener, p, c);
}

void AsioTransport::State::attach(std::size_t w, std::uint32_t listener, Protocol p,
                                  const std::shared_ptr<net::StreamConnection>& c) {
  std::uint64_t id = registry.add(w, p, c->remote_endpoint(), c);
  connections[w].emplace(id, c);
  Counters::add(counters.connections_open);
  log::get("net")->debug("{} connection {} with {} on worker {}", protocol_name(p), id,
                         net::format_endpoint(c->remote_endpoint().address(), c->remote_endpoint().port()), w);
  std::weak_ptr<State> weak = shared_from_this();
  net::StreamConnection* raw = c.get();  // valid whenever the connection calls us
  net::StreamConnection::Handlers h;
  h.on_data = [weak, w, listener, p, id, raw](std::string_view buffered) -> std::size_t {
    auto self = weak.lock();
    if (!self) {
      raw->close(net::Errc::Closed);
      return buffered.size();
    }
    Source src{p,
               raw->remote_endpoint().address(),
               raw->remote_endpoint().port(),
               raw->local_endpoint().address(),
               raw->local_endpoint().port(),
               listener,
               id};
    return self->on_stream_data(w, *raw, src, buffered);
  };
  h.on_close = [weak, w, id](std::error_code why) {
    if (auto self = weak.lock()) self->detach(w, id, why);
  };
  c->start(std::move(h));
}

std::size_t AsioTransport::State::on_stream_data(std::size_t w, net::StreamConnection& c, const Source& src,
                                                 std::string_view buffered) {
  std::size_t consumed = 0;
  bool need_more = false;
  while (!need_more && c.is_open() && !closed.load(std::memory_order_relaxed)) {
    auto frame = next_frame(buffered.substr(consumed), config.limits);
    // Bytes are counted before the handler runs, so counters never lag it.
    if (frame.kind != StreamFrame::Kind::Error) Counters::add(counters.bytes_received, frame.consume);
    switch (frame.kind) {
      case StreamFrame::Kind::NeedMore:
        need_more = true;
        break;
      case StreamFrame::Kind::Ping:
        consumed += frame.consume;
        Counters::add(counters.keepalives_received);
        c.write(kPong);
        break;
      case StreamFrame::Kind::Skip:
        consumed += frame.consume;
        break;
      case StreamFrame::Kind::Message: {
        auto bytes = buffered.substr(consumed + frame.skip, frame.size);
        consumed += frame.consume;
        Counters::add(counters.stream_messages_received);
        dispatch(w, bytes, src);
        break;
      }
      case StreamFrame::Kind::Error: {
        // The stream has lost its message boundaries. The handler may still
        // answer (a 400 written now goes out before the close).
        Counters::add(counters.parse_errors);
        Counters::add(counters.bytes_received, buffered.size() - consumed);
        log::get("sip")->warn("{} connection {} from {}: cannot frame: {}; closing", protocol_name(src.protocol),
                              src.connection, net::format_endpoint(src.remote_address, src.remote_port),
                              frame.error.what());
        if (InboundHandler* handler = handlers[w]) handler->on_parse_error(buffered.substr(consumed), frame.error, src);
        c.close_after_writes(frame.error.code);
        consumed = buffered.size();
        need_more = true;
        break;
      }
    }
  }
  return consumed;
}

void AsioTransport::State::detach(std::size_t w, std::uint64_t id, std::error_code why) {
  registry.remove(id);
  connections[w].erase(id);
  counters.connections_open.fetch_sub(1, std::memory_order_relaxed);
  if (is_drop(why)) Counters::add(counters.connections_dropped);
  log::get("net")->debug("connection {} closed: {}", id, why.message());
}

}  // namespace callwire::sip
