// AsioTransport over TCP on loopback: framing, replies on the same
// connection, keep-alives, timeouts, bounds and connection reuse/fallback.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <future>

#include "harness.hpp"
#include "net/errc.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/errc.hpp"

namespace callwire::sip {
namespace {

using namespace std::chrono_literals;
using test::Harness;
using tcp = boost::asio::ip::tcp;

constexpr const char* kTcpVia = "SIP/2.0/TCP 127.0.0.1:5999";

TransportConfig tcp_config() { return test::config_for({test::listen("127.0.0.1", {Protocol::Udp, Protocol::Tcp})}); }

// Replies 200 to every request over response_route, from the receiving worker.
void answer_everything(Harness& h) {
  h.recorder.set_on_request([&h](const Message& m, const Source& src) {
    if (!m.is_request()) return;
    auto bytes = std::make_shared<const std::string>(Builder::response_to(m, 200).build());
    h.transport->worker(h.pool.current()).send(response_route(src, m.top_via()), bytes);
  });
}

TEST(TcpTransport, OneMessage) {
  Harness h(tcp_config());
  test::TcpPeer peer(h.tcp_endpoint());
  auto text = test::request("tcp-1", kTcpVia);
  peer.write(text);
  ASSERT_TRUE(h.recorder.wait_for(1));
  auto r = h.recorder.items().at(0);
  EXPECT_FALSE(r.parse_error) << r.error;
  EXPECT_EQ(r.bytes, text);
  EXPECT_EQ(r.src.protocol, Protocol::Tcp);
  EXPECT_NE(r.src.connection, 0u);
  EXPECT_EQ(r.src.remote_address, peer.local().address());
  EXPECT_EQ(r.src.remote_port, peer.local().port());
  EXPECT_EQ(r.src.local_port, h.port(Protocol::Tcp));
  EXPECT_EQ(r.src.listener, 0u);
  auto stats = h.transport->stats();
  EXPECT_EQ(stats.connections_accepted, 1u);
  EXPECT_EQ(stats.connections_open, 1u);
  EXPECT_EQ(stats.stream_messages_received, 1u);
  EXPECT_EQ(stats.bytes_received, text.size());
}

TEST(TcpTransport, SeveralMessagesInOneSegment) {
  Harness h(tcp_config());
  test::TcpPeer peer(h.tcp_endpoint());
  std::vector<std::string> texts = {test::request("seg-1", kTcpVia, "first body"), test::request("seg-2", kTcpVia),
                                    test::request("seg-3", kTcpVia, "v=0\r\n")};
  peer.write(texts[0] + texts[1] + texts[2]);
  ASSERT_TRUE(h.recorder.wait_for(3));
  auto items = h.recorder.items();
  ASSERT_EQ(items.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_FALSE(items[i].parse_error) << items[i].error;
    EXPECT_EQ(items[i].bytes, texts[i]);  // in order, bodies intact
    EXPECT_EQ(items[i].src.connection, items[0].src.connection);
    EXPECT_EQ(items[i].worker, items[0].worker);  // parsed on the connection's worker
  }
}

TEST(TcpTransport, MessageSplitByteByByte) {
  Harness h(tcp_config());
  test::TcpPeer peer(h.tcp_endpoint());
  auto text = test::request("bytes-1", kTcpVia, "a body split too");
  for (char c : text) peer.write(std::string_view(&c, 1));
  ASSERT_TRUE(h.recorder.wait_for(1));
  auto items = h.recorder.items();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].parse_error) << items[0].error;
  EXPECT_EQ(items[0].bytes, text);
}

TEST(TcpTransport, ResponseOverTheSameConnection) {
  Harness h(tcp_config());
  answer_everything(h);
  test::TcpPeer peer(h.tcp_endpoint());
  peer.write(test::request("resp-1", kTcpVia));
  auto head = peer.read_until("\r\n\r\n");
  EXPECT_TRUE(head.starts_with("SIP/2.0 200 OK\r\n")) << head;
  EXPECT_NE(head.find("Call-ID: resp-1\r\n"), std::string::npos);
  EXPECT_EQ(h.transport->stats().connections_opened, 0u);  // no new connection was made
}

TEST(TcpTransport, SendFromAnotherWorkerReachesTheOwner) {
  Harness h(tcp_config());
  test::TcpPeer peer(h.tcp_endpoint());
  peer.write(test::request("cross-1", kTcpVia));
  ASSERT_TRUE(h.recorder.wait_for(1));
  auto r = h.recorder.items().at(0);
  std::size_t other = 1 - r.worker;
  std::promise<std::pair<std::size_t, std::error_code>> done;
  h.pool.post(other, [&] {
    Route route;
    route.protocol = Protocol::Tcp;
    route.connection = r.src.connection;
    h.transport->worker(other).send(route, std::make_shared<const std::string>("hello from the other worker"),
                                    [&](std::error_code ec) { done.set_value({h.pool.current(), ec}); });
  });
  EXPECT_EQ(peer.read(27), "hello from the other worker");
  auto f = done.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  auto [on, ec] = f.get();
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(on, other);  // done runs on the sender's worker
}

TEST(TcpTransport, CrlfPingGetsPong) {
  Harness h(tcp_config());
  test::TcpPeer peer(h.tcp_endpoint());
  peer.write("\r\n\r\n");
  EXPECT_EQ(peer.read(2), "\r\n");
  EXPECT_EQ(peer.read(1, 100ms), "");  // exactly one CRLF
  // The connection still carries messages, also right after a lone CRLF.
  peer.write("\r\n" + test::request("after-ping", kTcpVia));
  ASSERT_TRUE(h.recorder.wait_for(1));
  EXPECT_FALSE(h.recorder.items().at(0).parse_error);
  EXPECT_EQ(h.transport->stats().keepalives_received, 1u);
}

TEST(TcpTransport, IdleConnectionIsClosed) {
  auto config = tcp_config();
  config.idle_timeout = 300ms;
  Harness h(config);
  test::TcpPeer peer(h.tcp_endpoint());
  auto start = std::chrono::steady_clock::now();
  peer.write(test::request("idle-1", kTcpVia));
  ASSERT_TRUE(h.recorder.wait_for(1));
  ASSERT_TRUE(peer.wait_closed(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
  EXPECT_TRUE(test::eventually([&] { return h.transport->stats().connections_open == 0; }));
  EXPECT_EQ(h.transport->stats().connections_dropped, 1u);
}

TEST(TcpTransport, TrafficKeepsAConnectionOpen) {
  auto config = tcp_config();
  config.idle_timeout = 400ms;
  Harness h(config);
  test::TcpPeer peer(h.tcp_endpoint());
  // Pings every ~100 ms for longer than the idle timeout (the pong wait
  // paces the loop, no fixed sleep).
  auto until = std::chrono::steady_clock::now() + 1s;
  while (std::chrono::steady_clock::now() < until) {
    peer.write("\r\n\r\n");
    ASSERT_EQ(peer.read(2), "\r\n");
    EXPECT_EQ(peer.read(1, 100ms), "");
  }
  EXPECT_EQ(h.transport->stats().connections_open, 1u);
}

TEST(TcpTransport, UnframeableStreamGets400ThenClose) {
  Harness h(tcp_config());
  h.recorder.set_on_error([&h](std::string_view bytes, const Error& error, const Source& src) {
    if (auto response = error_response(bytes, error)) {
      Route route;
      route.protocol = src.protocol;
      route.connection = src.connection;
      h.transport->worker(h.pool.current()).send(route, std::make_shared<const std::string>(*response));
    }
  });
  test::TcpPeer peer(h.tcp_endpoint());
  std::string text = test::request("bad-length", kTcpVia);
  text.replace(text.find("Content-Length: 0"), 17, "Content-Length: x1");
  peer.write(text);
  auto head = peer.read_until("\r\n\r\n");
  EXPECT_TRUE(head.starts_with("SIP/2.0 400 ")) << head;
  EXPECT_TRUE(peer.wait_closed());
  auto items = h.recorder.items();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_TRUE(items[0].parse_error);
  EXPECT_TRUE(test::eventually([&] { return h.transport->stats().connections_dropped == 1; }));
}

TEST(TcpTransport, OversizedMessageClosesTheConnection) {
  auto config = tcp_config();
  config.limits.max_message_size = 2048;
  Harness h(config);
  test::TcpPeer peer(h.tcp_endpoint());
  std::string text = "OPTIONS sip:callwire@127.0.0.1 SIP/2.0\r\n";
  while (text.size() < 4000) text += "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
  peer.write(text);
  EXPECT_TRUE(peer.wait_closed());
  ASSERT_TRUE(h.recorder.wait_for(1));
  auto r = h.recorder.items().at(0);
  EXPECT_TRUE(r.parse_error);
  EXPECT_NE(r.error.find("limit"), std::string::npos) << r.error;
}

TEST(TcpTransport, FramedButMalformedMessageKeepsTheConnection) {
  Harness h(tcp_config());
  test::TcpPeer peer(h.tcp_endpoint());
  peer.write("THIS IS NOT A START LINE\r\nContent-Length: 0\r\n\r\n" + test::request("good-after-bad", kTcpVia));
  ASSERT_TRUE(h.recorder.wait_for(2));
  auto items = h.recorder.items();
  EXPECT_TRUE(items[0].parse_error);
  EXPECT_FALSE(items[1].parse_error) << items[1].error;
  EXPECT_EQ(items[0].src.connection, items[1].src.connection);
  EXPECT_EQ(h.transport->stats().connections_open, 1u);
}

TEST(TcpTransport, WriteQueueOverflowClosesTheConnection) {
  auto config = tcp_config();
  config.max_write_queue = 256 * 1024;
  Harness h(config);
  test::TcpPeer peer(h.tcp_endpoint());  // never reads until the end
  peer.write(test::request("slow-reader", kTcpVia));
  ASSERT_TRUE(h.recorder.wait_for(1));
  auto r = h.recorder.items().at(0);
  Route route;
  route.protocol = Protocol::Tcp;
  route.connection = r.src.connection;
  auto chunk = std::make_shared<const std::string>(64 * 1024, 'x');
  std::mutex mutex;
  std::vector<std::error_code> results;
  std::condition_variable cv;
  constexpr int kSends = 20;
  h.pool.post(r.worker, [&] {
    // All queued in one loop turn: nothing can drain in between.
    for (int i = 0; i < kSends; ++i) {
      h.transport->worker(r.worker).send(route, chunk, [&](std::error_code ec) {
        std::lock_guard lock(mutex);
        results.push_back(ec);
        cv.notify_all();
      });
    }
  });
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return results.size() == kSends; }));
    EXPECT_TRUE(std::ranges::any_of(results, [](std::error_code ec) { return ec == net::Errc::QueueFull; }));
  }
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(test::eventually([&] { return h.transport->stats().connections_open == 0; }));
}

TEST(TcpTransport, ConnectionsOverTheBoundAreRefused) {
  auto config = tcp_config();
  config.max_connections = 1;
  Harness h(config);
  test::TcpPeer first(h.tcp_endpoint());
  first.write(test::request("bound-1", kTcpVia));
  ASSERT_TRUE(h.recorder.wait_for(1));
  test::TcpPeer second(h.tcp_endpoint());  // the kernel accepts, the transport closes it
  EXPECT_TRUE(second.wait_closed());
  EXPECT_EQ(h.transport->stats().connections_accepted, 1u);
  EXPECT_EQ(h.transport->stats().connections_dropped, 1u);
  first.write(test::request("bound-2", kTcpVia));  // the first one still works
  ASSERT_TRUE(h.recorder.wait_for(2));
}

TEST(TcpTransport, RequestsConnectOnceAndReuseTheConnection) {
  Harness server(tcp_config());
  Harness client(tcp_config());
  Route route;
  route.protocol = Protocol::Tcp;
  route.address = boost::asio::ip::make_address("127.0.0.1");
  route.port = server.port(Protocol::Tcp);
  route.connection = 987654321;  // unknown id: falls back to the address
  client.transport->worker(0).send(route, std::make_shared<const std::string>(test::request("out-1", kTcpVia)));
  ASSERT_TRUE(server.recorder.wait_for(1));
  route.connection = 0;
  client.transport->worker(1).send(route, std::make_shared<const std::string>(test::request("out-2", kTcpVia)));
  ASSERT_TRUE(server.recorder.wait_for(2));
  auto items = server.recorder.items();
  EXPECT_EQ(items[0].src.connection, items[1].src.connection);  // one connection, reused across workers
  EXPECT_EQ(items[0].src.remote_port, items[1].src.remote_port);
  EXPECT_EQ(client.transport->stats().connections_opened, 1u);
  EXPECT_EQ(server.transport->stats().connections_accepted, 1u);
}

TEST(TcpTransport, ResponseFallsBackToSentByWhenTheConnectionClosed) {
  Harness h(tcp_config());
  // The "client" listens on its sent-by port; its request connection closes
  // before the response is ready, so the response needs a new connection.
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  auto sent_by = "SIP/2.0/TCP 127.0.0.1:" + std::to_string(acceptor.local_endpoint().port());
  {
    test::TcpPeer peer(h.tcp_endpoint());
    peer.write(test::request("fallback-1", sent_by));
    ASSERT_TRUE(h.recorder.wait_for(1));
  }
  ASSERT_TRUE(test::eventually([&] { return h.transport->stats().connections_open == 0; }));
  auto r = h.recorder.items().at(0);
  auto request = Message::parse(r.bytes);
  ASSERT_TRUE(request);
  auto route = response_route(r.src, request->top_via());
  EXPECT_EQ(route.connection, r.src.connection);
  h.transport->worker(0).send(route, std::make_shared<const std::string>(Builder::response_to(*request, 200).build()));
  ASSERT_TRUE(test::readable(acceptor.native_handle(), 5s));
  tcp::socket incoming = acceptor.accept();
  ASSERT_TRUE(test::readable(incoming.native_handle(), 5s));
  char buffer[4096];
  auto n = incoming.read_some(boost::asio::buffer(buffer));
  EXPECT_TRUE(std::string_view(buffer, n).starts_with("SIP/2.0 200 OK\r\n"));
  EXPECT_EQ(h.transport->stats().connections_opened, 1u);
}

TEST(TcpTransport, CloseShutsListenersAndConnections) {
  Harness h(tcp_config());
  test::TcpPeer peer(h.tcp_endpoint());
  peer.write(test::request("before-close", kTcpVia));
  ASSERT_TRUE(h.recorder.wait_for(1));
  auto endpoint = h.tcp_endpoint();
  h.transport->close();
  EXPECT_TRUE(peer.wait_closed());
  boost::asio::io_context io;
  tcp::socket probe(io);
  boost::system::error_code ec;
  probe.connect(endpoint, ec);
  EXPECT_EQ(ec, boost::asio::error::connection_refused);
  std::promise<std::error_code> done;
  Route route;
  route.protocol = Protocol::Tcp;
  route.connection = h.recorder.items().at(0).src.connection;
  h.transport->worker(0).send(route, std::make_shared<const std::string>("late"),
                              [&](std::error_code e) { done.set_value(e); });
  auto f = done.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get(), net::Errc::Closed);
}

TEST(TcpTransport, CloseAfterThePoolWasStoppedFromAWorker) {
  Harness h(tcp_config());
  test::TcpPeer peer(h.tcp_endpoint());
  peer.write(test::request("stop-from-worker", kTcpVia));
  ASSERT_TRUE(h.recorder.wait_for(1));
  h.pool.post(0, [&] { h.pool.stop(); });  // as a signal handler would
  ASSERT_TRUE(test::eventually([&] { return !h.pool.running(); }));
  h.transport->close();  // joins the pool, then closes on this thread
  EXPECT_FALSE(h.pool.running());
  EXPECT_TRUE(peer.wait_closed());
}

TEST(TcpTransport, CloseRacingAPoolStop) {
  // Whichever wins, close() returns promptly and every socket is closed.
  for (int i = 0; i < 5; ++i) {
    Harness h(tcp_config());
    test::TcpPeer peer(h.tcp_endpoint());
    peer.write(test::request("race-" + std::to_string(i), kTcpVia));
    ASSERT_TRUE(h.recorder.wait_for(1));
    h.pool.post(i % 2, [&] { h.pool.stop(); });
    auto start = std::chrono::steady_clock::now();
    h.transport->close();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    h.pool.join();
    EXPECT_TRUE(peer.wait_closed());
  }
}

TEST(TcpTransport, ConnectFailureReportsAnError) {
  Harness h(tcp_config());
  // A port nobody listens on: bind one, note it, close it.
  std::uint16_t dead_port;
  {
    boost::asio::io_context io;
    tcp::acceptor a(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    dead_port = a.local_endpoint().port();
  }
  Route route;
  route.protocol = Protocol::Tcp;
  route.address = boost::asio::ip::make_address("127.0.0.1");
  route.port = dead_port;
  std::promise<std::error_code> done;
  h.transport->worker(0).send(route, std::make_shared<const std::string>("x"),
                              [&](std::error_code ec) { done.set_value(ec); });
  auto f = done.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(f.get());
  EXPECT_TRUE(test::eventually([&] { return h.transport->stats().connections_open == 0; }));
}

}  // namespace
}  // namespace callwire::sip
