#pragma once
// A worker pool, an AsioTransport on it and a Recorder, opened and started;
// torn down in the right order (transport closed before the pool stops).
#include <gtest/gtest.h>

#include <memory>

#include "sip/transport/asio_transport.hpp"
#include "transport_test_util.hpp"

namespace callwire::test {

inline sip::TransportConfig config_for(std::vector<sip::ListenConfig> listen) {
  sip::TransportConfig c;
  c.listen = std::move(listen);
  return c;
}

inline sip::ListenConfig listen(const char* ip, std::vector<sip::Protocol> protocols) {
  return {{boost::asio::ip::make_address(ip), 0}, std::move(protocols)};
}

struct Harness {
  explicit Harness(sip::TransportConfig config, std::size_t workers = 2) : pool(workers), recorder(pool) {
    transport = std::make_unique<sip::AsioTransport>(pool, std::move(config));
    transport->set_handler(recorder);
    auto opened = transport->open();
    EXPECT_TRUE(opened) << opened.error().what();
    pool.start();
  }
  ~Harness() {
    transport->close();
    pool.stop();
  }
  std::uint16_t port(sip::Protocol p, std::uint32_t listener = 0) const {
    return transport->bound_port(listener, p).value_or(0);
  }
  boost::asio::ip::udp::endpoint udp_endpoint(std::uint32_t listener = 0) const {
    auto eps = transport->local_endpoints();
    for (const auto& e : eps) {
      if (e.listener == listener) return {e.address, port(sip::Protocol::Udp, listener)};
    }
    return {};
  }
  boost::asio::ip::tcp::endpoint tcp_endpoint(sip::Protocol p = sip::Protocol::Tcp, std::uint32_t listener = 0) const {
    for (const auto& e : transport->local_endpoints()) {
      if (e.listener == listener && e.protocol == p) return {e.address, e.port};
    }
    return {};
  }

  net::WorkerPool pool;
  Recorder recorder;
  std::unique_ptr<sip::AsioTransport> transport;
};

}  // namespace callwire::test
