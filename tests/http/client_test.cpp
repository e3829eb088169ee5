#include "http/client.hpp"

#include <gtest/gtest.h>

#include "http/errc.hpp"
#include "server_test_util.hpp"

namespace callwire::http {
namespace {

using namespace test;

TEST(ClientUrl, ParsesHostPortAndPrefix) {
  Router r;
  r.add(Method::Get, "/base/x", [](const Request& req) { return text_response(200, std::string(req.target())); });
  r.add(Method::Get, "/x", [](const Request& req) { return text_response(200, std::string(req.target())); });
  TestServer ts(std::move(r));
  auto port = std::to_string(ts.port());

  for (std::string url : {"http://127.0.0.1:" + port, "HTTP://127.0.0.1:" + port + "/", "http://localhost:" + port}) {
    auto c = Client::from_url(url);
    ASSERT_TRUE(c) << url;
    auto res = c->get("/x?y=1");
    ASSERT_TRUE(res) << url << ": " << res.error().what();
    EXPECT_EQ(res->body, "/x?y=1") << url;
  }
  auto c = Client::from_url("http://127.0.0.1:" + port + "/base/");
  ASSERT_TRUE(c);
  auto res = c->get("/x");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "/base/x");
}

TEST(ClientUrl, RejectsWhatItCannotDo) {
  for (const char* bad : {"", "http://", "https://127.0.0.1:8080", "ftp://x", "127.0.0.1:8080", "http://:80",
                          "http://host:0", "http://host:65536", "http://host:8o", "http://[::1", "http://[::1]x",
                          "http://user:pw@host", "http://host/p?q=1", "http://host:"}) {
    auto c = Client::from_url(bad);
    ASSERT_FALSE(c) << bad;
    EXPECT_EQ(c.error().code, make_error_code(Errc::BadUrl)) << bad;
  }
}

TEST(Client, ConnectionRefusedIsAnError) {
  std::uint16_t port;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }  // closed: nothing listens there now
  Client c("127.0.0.1", port);
  auto r = c.get("/");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, std::errc::connection_refused) << r.error().what();
}

TEST(Client, TimesOut) {
  Event release;
  Router r;
  r.add(Method::Get, "/slow", [&](const Request&) {
    release.wait(10s);
    return text_response(200, "late");
  });
  TestServer ts(std::move(r));
  ClientOptions o;
  o.timeout = 200ms;
  Client c("127.0.0.1", ts.port(), o);
  auto t0 = std::chrono::steady_clock::now();
  auto res = c.get("/slow");
  release.set();
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, make_error_code(Errc::Timeout));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST(Client, ReconnectsAfterServerClosedKeptAliveConnection) {
  Router r;
  r.add(Method::Post, "/p", [](const Request& req) { return text_response(200, std::string(*req.form().get("a"))); });
  ServerOptions o;
  o.idle_timeout = 100ms;
  TestServer ts(std::move(r), o);
  Client c("127.0.0.1", ts.port());
  auto a = c.post("/p", {{"a", "1"}});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->body, "1");
  ASSERT_TRUE(eventually([&] { return ts.server().active_connections() == 0; }));
  auto b = c.post("/p", {{"a", "2"}});
  ASSERT_TRUE(b) << b.error().what();
  EXPECT_EQ(b->body, "2");
  EXPECT_EQ(c.connections_opened(), 2u);
}

TEST(Client, BadResponseIsReported) {
  // A "server" that answers garbage.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  std::thread t([&] {
    auto s = a.accept();
    char buf[1024];
    boost::system::error_code ec;
    s.read_some(boost::asio::buffer(buf), ec);
    boost::asio::write(s, boost::asio::buffer(std::string_view("SIP/2.0 200 OK\r\n\r\n")), ec);
    s.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  });
  Client c("127.0.0.1", a.local_endpoint().port());
  auto r = c.get("/");
  t.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, make_error_code(Errc::BadResponse));
}

}  // namespace
}  // namespace callwire::http
