// AsioTransport over UDP on loopback: sources, replies, spreading over workers.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <set>

#include "harness.hpp"
#include "net/errc.hpp"
#include "sip/message/builder.hpp"

namespace callwire::sip {
namespace {

using namespace std::chrono_literals;
using test::Harness;

TEST(UdpTransport, ReceivesWithRealSourceV4) {
  Harness h(test::config_for({test::listen("127.0.0.1", {Protocol::Udp, Protocol::Tcp})}));
  ASSERT_NE(h.port(Protocol::Udp), 0);
  EXPECT_EQ(h.port(Protocol::Udp), h.port(Protocol::Tcp));  // one port for both
  test::UdpPeer peer;
  peer.send_to(test::request("v4-1"), h.udp_endpoint());
  ASSERT_TRUE(h.recorder.wait_for(1));
  auto r = h.recorder.items().at(0);
  EXPECT_FALSE(r.parse_error) << r.error;
  EXPECT_TRUE(r.bytes.starts_with("OPTIONS sip:callwire@127.0.0.1 SIP/2.0\r\n"));
  EXPECT_EQ(r.src.protocol, Protocol::Udp);
  EXPECT_EQ(r.src.remote_address, peer.local().address());
  EXPECT_EQ(r.src.remote_port, peer.local().port());
  EXPECT_EQ(r.src.local_address, boost::asio::ip::make_address("127.0.0.1"));
  EXPECT_EQ(r.src.local_port, h.port(Protocol::Udp));
  EXPECT_EQ(r.src.listener, 0u);
  EXPECT_EQ(r.src.connection, 0u);
  EXPECT_LT(r.worker, h.pool.size());  // called on a worker
  EXPECT_EQ(h.transport->stats().datagrams_received, 1u);
}

TEST(UdpTransport, ReceivesWithRealSourceV6AndListenerIndex) {
  Harness h(test::config_for({test::listen("127.0.0.1", {Protocol::Udp}), test::listen("::1", {Protocol::Udp})}));
  test::UdpPeer peer("::1");
  peer.send_to(test::request("v6-1", "SIP/2.0/UDP [::1]:5999;rport"), h.udp_endpoint(1));
  ASSERT_TRUE(h.recorder.wait_for(1));
  auto r = h.recorder.items().at(0);
  EXPECT_FALSE(r.parse_error) << r.error;
  EXPECT_EQ(r.src.remote_address, boost::asio::ip::make_address("::1"));
  EXPECT_EQ(r.src.remote_port, peer.local().port());
  EXPECT_EQ(r.src.local_address, boost::asio::ip::make_address("::1"));
  EXPECT_EQ(r.src.listener, 1u);
}

TEST(UdpTransport, ReplyComesFromTheListenerAddress) {
  Harness h(test::config_for({test::listen("127.0.0.1", {Protocol::Udp})}));
  std::promise<std::pair<std::size_t, std::error_code>> sent;
  std::atomic<std::size_t> received_on{net::WorkerPool::npos};
  h.recorder.set_on_request([&](const Message& m, const Source& src) {
    received_on = h.pool.current();
    auto bytes = std::make_shared<const std::string>(Builder::response_to(m, 200).build());
    // The Via says 127.0.0.1:5999 with rport: the reply must go to the real port.
    h.transport->worker(h.pool.current())
        .send(response_route(src, m.top_via()), bytes,
              [&](std::error_code ec) { sent.set_value({h.pool.current(), ec}); });
  });
  test::UdpPeer peer;
  peer.send_to(test::request("reply-1"), h.udp_endpoint());
  auto reply = peer.receive();
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->first.starts_with("SIP/2.0 200 OK\r\n")) << reply->first;
  EXPECT_NE(reply->first.find("Call-ID: reply-1\r\n"), std::string::npos);
  EXPECT_EQ(reply->second, h.udp_endpoint());  // from the listener's own address:port
  auto f = sent.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  auto [done_on, ec] = f.get();
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(done_on, received_on.load());  // done runs on the sending worker
  EXPECT_TRUE(test::eventually([&] { return h.transport->stats().datagrams_sent == 1; }));
}

TEST(UdpTransport, SendFromOutsideTheWorkersHops) {
  Harness h(test::config_for({test::listen("127.0.0.1", {Protocol::Udp})}));
  test::UdpPeer peer;
  Route route;
  route.protocol = Protocol::Udp;
  route.address = peer.local().address();
  route.port = peer.local().port();
  std::promise<std::size_t> done;
  h.transport->worker(1).send(route, std::make_shared<const std::string>("hello"),
                              [&](std::error_code) { done.set_value(h.pool.current()); });
  auto got = peer.receive();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->first, "hello");
  EXPECT_EQ(got->second, h.udp_endpoint());
  auto f = done.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), 1u);
}

TEST(UdpTransport, NoListenerForTheAddressFamily) {
  Harness h(test::config_for({test::listen("127.0.0.1", {Protocol::Udp})}));
  Route route;
  route.address = boost::asio::ip::make_address("::1");
  route.port = 5060;
  std::promise<std::error_code> done;
  h.transport->worker(0).send(route, std::make_shared<const std::string>("x"),
                              [&](std::error_code ec) { done.set_value(ec); });
  auto f = done.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), net::Errc::NoListener);
}

// Holds the worker that parses the first request (up to 5 s) until another
// worker has parsed one: with two workers on one shared socket, both then
// read, whatever the scheduler does. signalled() says the other one came.
// The hook owns its state, so a test that ends early leaves nothing dangling.
class FirstReaderWaits {
 public:
  explicit FirstReaderWaits(Harness& h) : state_(std::make_shared<State>()) {
    h.recorder.set_on_request([state = state_, &pool = h.pool](const sip::Message&, const Source&) {
      std::size_t me = pool.current();
      std::size_t expected = net::WorkerPool::npos;
      if (state->first.compare_exchange_strong(expected, me)) {
        state->released.wait_for(5s);
      } else if (me != state->first.load() && !state->signalled.exchange(true)) {
        state->other_read.set_value();
      }
    });
  }
  bool signalled() const { return state_->signalled.load(); }

 private:
  struct State {
    std::promise<void> other_read;
    std::shared_future<void> released = other_read.get_future().share();
    std::atomic<std::size_t> first{net::WorkerPool::npos};
    std::atomic<bool> signalled{false};
  };
  std::shared_ptr<State> state_;
};

TEST(UdpTransport, ManyPeersAreSpreadOverWorkers) {
  // Which worker reads which datagram is a race on the shared socket: the
  // worker that reads first waits until the other has read one too.
  Harness h(test::config_for({test::listen("127.0.0.1", {Protocol::Udp})}), 2);
  FirstReaderWaits wait(h);
  constexpr int kPeers = 64;
  std::vector<std::unique_ptr<test::UdpPeer>> peers;
  for (int i = 0; i < kPeers; ++i) {
    peers.push_back(std::make_unique<test::UdpPeer>());
    peers.back()->send_to(test::request("spread-" + std::to_string(i)), h.udp_endpoint());
  }
  ASSERT_TRUE(h.recorder.wait_for(kPeers));
  std::set<std::size_t> workers;
  std::set<std::uint16_t> ports;
  for (const auto& r : h.recorder.items()) {
    EXPECT_FALSE(r.parse_error);
    workers.insert(r.worker);
    ports.insert(r.src.remote_port);
  }
  EXPECT_EQ(ports.size(), static_cast<std::size_t>(kPeers));
  EXPECT_EQ(workers, (std::set<std::size_t>{0, 1}));  // both workers read and parsed
  EXPECT_TRUE(wait.signalled());
}

TEST(UdpTransport, OnePeersDatagramsAreReadByEveryWorker) {
  // One source address (a single SBC or trunk): while the worker that read
  // the first datagram is busy with it, the other worker must read the next
  // one from the same socket. The first worker waits (up to 5 s) for that.
  Harness h(test::config_for({test::listen("127.0.0.1", {Protocol::Udp})}), 2);
  FirstReaderWaits wait(h);
  test::UdpPeer peer;
  for (int i = 0; i < 8; ++i) peer.send_to(test::request("one-peer-" + std::to_string(i)), h.udp_endpoint());
  ASSERT_TRUE(h.recorder.wait_for(8, 10s));
  std::set<std::size_t> workers;
  for (const auto& r : h.recorder.items()) workers.insert(r.worker);
  EXPECT_EQ(workers, (std::set<std::size_t>{0, 1}));
  EXPECT_TRUE(wait.signalled());
}

TEST(UdpTransport, KeepAlivesAreIgnoredAndGarbageIsAParseError) {
  Harness h(test::config_for({test::listen("127.0.0.1", {Protocol::Udp})}));
  test::UdpPeer peer;
  peer.send_to("\r\n\r\n", h.udp_endpoint());
  peer.send_to("", h.udp_endpoint());
  peer.send_to("NOT SIP AT ALL\r\n\r\n", h.udp_endpoint());
  peer.send_to(test::request("after-keepalive"), h.udp_endpoint());
  ASSERT_TRUE(h.recorder.wait_for(2));
  ASSERT_TRUE(test::eventually([&] { return h.transport->stats().datagrams_received == 4; }));
  auto items = h.recorder.items();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_TRUE(items[0].parse_error);
  EXPECT_EQ(items[0].bytes, "NOT SIP AT ALL\r\n\r\n");
  EXPECT_EQ(items[0].src.remote_port, peer.local().port());
  EXPECT_FALSE(items[1].parse_error);
  auto stats = h.transport->stats();
  EXPECT_EQ(stats.keepalives_received, 2u);
  EXPECT_EQ(stats.parse_errors, 1u);
}

TEST(UdpTransport, StunBindingKeepAliveIsAnswered) {
  Harness h(test::config_for({test::listen("127.0.0.1", {Protocol::Udp})}));
  test::UdpPeer peer;
  std::string request("\x00\x01\x00\x00\x21\x12\xa4\x42" "abcdefghijkl", 20);
  peer.send_to(request, h.udp_endpoint());
  auto reply = peer.receive();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->second, h.udp_endpoint());
  ASSERT_EQ(reply->first.size(), 32u);
  EXPECT_EQ(reply->first.substr(0, 2), std::string("\x01\x01", 2));   // Binding success
  EXPECT_EQ(reply->first.substr(8, 12), "abcdefghijkl");             // same transaction
  auto port = static_cast<std::uint16_t>(((static_cast<unsigned char>(reply->first[26]) << 8) |
                                          static_cast<unsigned char>(reply->first[27])) ^ 0x2112);
  EXPECT_EQ(port, peer.local().port());  // the port it was seen from
  EXPECT_EQ(h.transport->stats().keepalives_received, 1u);
  EXPECT_TRUE(h.recorder.items().empty());
}

TEST(UdpTransport, AdvertisedAddress) {
  {
    Harness h(test::config_for({test::listen("127.0.0.1", {Protocol::Udp, Protocol::Tcp}),
                                test::listen("::1", {Protocol::Udp})}));
    auto a = h.transport->worker(0).advertised(Protocol::Udp);
    EXPECT_EQ(a.host, "127.0.0.1");
    EXPECT_EQ(a.port, h.port(Protocol::Udp));
    EXPECT_EQ(h.transport->worker(1).advertised(Protocol::Tcp).port, h.port(Protocol::Tcp));
    EXPECT_EQ(h.transport->worker(0).advertised(Protocol::Tls).port, 0);  // no TLS listener
    EXPECT_EQ(h.transport->local_endpoints().size(), 3u);
    EXPECT_FALSE(h.transport->bound_port(0, Protocol::Tls));
    EXPECT_FALSE(h.transport->bound_port(7, Protocol::Udp));
  }
  {
    Harness h(test::config_for({test::listen("::1", {Protocol::Udp})}));
    EXPECT_EQ(h.transport->worker(0).advertised(Protocol::Udp).host, "[::1]");
  }
  {
    auto config = test::config_for({test::listen("127.0.0.1", {Protocol::Udp})});
    config.public_address = "2001:db8::10";
    Harness h(config);
    EXPECT_EQ(h.transport->worker(0).advertised(Protocol::Udp).host, "[2001:db8::10]");
  }
  {
    auto config = test::config_for({test::listen("0.0.0.0", {Protocol::Udp})});
    config.public_address = "sip.example.com";
    Harness h(config);
    EXPECT_EQ(h.transport->worker(0).advertised(Protocol::Udp).host, "sip.example.com");
  }
}

TEST(UdpTransport, OpenFailsCleanly) {
  net::WorkerPool pool(1);
  {
    AsioTransport none(pool, {});
    auto r = none.open();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, net::Errc::NoListener);
  }
  {
    // 192.0.2.1 (TEST-NET-1) is not a local address: bind fails.
    AsioTransport t(pool, test::config_for({test::listen("192.0.2.1", {Protocol::Udp})}));
    auto r = t.open();
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("192.0.2.1"), std::string::npos) << r.error().what();
    EXPECT_TRUE(t.local_endpoints().empty());
  }
  {
    auto config = test::config_for({test::listen("127.0.0.1", {Protocol::Tls})});
    AsioTransport t(pool, config);  // TLS without certificate
    auto r = t.open();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, net::Errc::TlsConfig);
  }
}

}  // namespace
}  // namespace callwire::sip
