#include "http/server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <thread>

#include "core/log.hpp"
#include "http/client.hpp"
#include "http/errc.hpp"
#include "server_test_util.hpp"

namespace callwire::http {
namespace {

using namespace test;
using nlohmann::json;

Router echo_router() {
  Router r;
  r.add(Method::Get, "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{Sid}.json", [](const Request& req) {
    json j{{"account_sid", req.capture("AccountSid")}, {"sid", req.capture("Sid")}};
    for (const auto& p : req.query()) j["query"].push_back({p.name, p.value});
    j["remote"] = req.remote().address.to_string();
    if (req.basic_auth()) j["user"] = req.basic_auth()->user;
    return json_response(200, j);
  });
  r.add(Method::Post, "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json", [](const Request& req) {
    json j{{"account_sid", req.capture("AccountSid")}};
    for (const auto& p : req.form()) j["form"].push_back({p.name, p.value});
    return json_response(201, j);
  });
  r.add(Method::Delete, "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{Sid}.json",
        [](const Request&) { return empty_response(204); });
  r.add(Method::Post, "/echo", [](const Request& req) { return text_response(200, req.body()); });
  r.add(Method::Get, "/throw", [](const Request&) -> Response { throw std::runtime_error("db is on fire"); });
  r.add(Method::Get, "/bad-header", [](const Request&) {
    auto res = text_response(200, "ok");
    res.headers.set("X-Injected", "a\r\nSet-Cookie: evil=1");
    res.headers.set("Content-Length", "9999");
    return res;
  });
  return r;
}

TEST(Server, BindsPortZeroAndRefusesSecondStart) {
  boost::asio::io_context io;
  Server s(io, Router{});
  EXPECT_EQ(s.bound_port(), 0);
  ASSERT_TRUE(s.start());
  EXPECT_NE(s.bound_port(), 0);
  EXPECT_EQ(s.local_endpoint().port, s.bound_port());
  auto again = s.start();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, make_error_code(Errc::AlreadyStarted));

  // The same port cannot be bound twice.
  ServerOptions taken;
  taken.listen.port = s.bound_port();
  Server other(io, Router{}, taken);
  auto r = other.start();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().what().find("cannot listen"), std::string::npos);
  s.stop();
  s.stop();  // idempotent
}

TEST(Server, GetPostDeleteRoundTrip) {
  TestServer ts(echo_router());
  Client c("127.0.0.1", ts.port());
  c.set_basic_auth("AC123", "token");

  auto r = c.get("/2010-04-01/Accounts/AC123/SIP/Domains/SD9.json?PageSize=5&Name=a+b");
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.get("Content-Type"), "application/json");
  auto j = json::parse(r->body);
  EXPECT_EQ(j["account_sid"], "AC123");
  EXPECT_EQ(j["sid"], "SD9");
  EXPECT_EQ(j["query"], json::parse(R"([["PageSize","5"],["Name","a b"]])"));
  EXPECT_EQ(j["remote"], "127.0.0.1");
  EXPECT_EQ(j["user"], "AC123");

  r = c.post("/2010-04-01/Accounts/AC123/SIP/Domains.json",
             {{"DomainName", "demo.sip.localhost"}, {"FriendlyName", "Démo & co"}, {"X", "1"}, {"X", "2"}});
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->status, 201);
  j = json::parse(r->body);
  EXPECT_EQ(j["form"],
            json::parse(R"([["DomainName","demo.sip.localhost"],["FriendlyName","Démo & co"],["X","1"],["X","2"]])"));

  r = c.del("/2010-04-01/Accounts/AC123/SIP/Domains/SD9.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(c.connections_opened(), 1u);  // all three on one kept-alive connection
}

TEST(Server, NotFoundAndMethodNotAllowedOverTheWire) {
  TestServer ts(echo_router());
  Client c("127.0.0.1", ts.port());
  auto r = c.get("/2010-04-01/Accounts/AC1/SIP/Nothing.json?x=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  auto j = json::parse(r->body);
  EXPECT_EQ(j["code"], 20404);
  EXPECT_EQ(j["message"], "The requested resource /2010-04-01/Accounts/AC1/SIP/Nothing.json was not found");
  EXPECT_EQ(j["more_info"], "https://www.twilio.com/docs/errors/20404");

  r = c.request(Method::Put, "/2010-04-01/Accounts/AC1/SIP/Domains/SD1.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->headers.get("Allow"), "GET, DELETE");
  EXPECT_EQ(json::parse(r->body)["code"], 20004);
}

TEST(Server, KeepAliveAndPipelining) {
  TestServer ts(echo_router());
  RawConnection conn(ts.port());
  // Two requests in one write: answered in order, one at a time.
  conn.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nsecond");
  auto a = conn.read();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->body(), "first");
  EXPECT_TRUE(a->keep_alive());
  auto b = conn.read();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->body(), "second");
  // And a third one later on the same connection.
  conn.send("GET /2010-04-01/Accounts/A/SIP/Domains/S.json HTTP/1.1\r\nHost: x\r\n\r\n");
  auto c = conn.read();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->result_int(), 200);
  EXPECT_EQ(ts.server().active_connections(), 1u);
}

TEST(Server, ConnectionCloseAndHttp10Close) {
  TestServer ts(echo_router());
  RawConnection conn(ts.port());
  conn.send("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi");
  auto a = conn.read();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->body(), "hi");
  EXPECT_FALSE(a->keep_alive());
  EXPECT_TRUE(conn.wait_closed());

  RawConnection old(ts.port());
  old.send("POST /echo HTTP/1.0\r\nContent-Length: 2\r\n\r\nho");
  auto b = old.read();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->version(), 10);
  EXPECT_EQ(b->body(), "ho");
  EXPECT_TRUE(old.wait_closed());
}

TEST(Server, BodyOverLimitIs413) {
  ServerOptions o;
  o.body_limit = 1024;
  TestServer ts(echo_router(), o);
  Client c("127.0.0.1", ts.port());
  auto ok = c.post("/echo", {{"a", std::string(1000, 'x')}});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  auto r = c.post("/echo", {{"a", std::string(64 * 1024, 'x')}});
  ASSERT_TRUE(r) << r.error().what();
  EXPECT_EQ(r->status, 413);
  auto j = json::parse(r->body);
  EXPECT_EQ(j["status"], 413);
  EXPECT_TRUE(j["code"].is_number_integer());

  // Chunked bodies are held to the same limit.
  RawConnection conn(ts.port());
  conn.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + std::string(2048, 'y') +
            "\r\n0\r\n\r\n");
  auto res = conn.read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 413);
  EXPECT_TRUE(conn.wait_closed());
}

TEST(Server, HeadersOverLimitIs431) {
  TestServer ts(echo_router());
  RawConnection conn(ts.port());
  conn.send("GET /2010-04-01/Accounts/A/SIP/Domains/S.json HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'h') +
            "\r\n\r\n");
  auto res = conn.read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 431);
  EXPECT_EQ(json::parse(res->body())["status"], 431);
  EXPECT_TRUE(conn.wait_closed());

  // Just under the limit still works.
  Client c("127.0.0.1", ts.port());
  auto r = c.get("/2010-04-01/Accounts/A/SIP/Domains/S.json?pad=" + std::string(7000, 'p'));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(Server, MalformedRequestsGet400) {
  TestServer ts(echo_router());
  {
    RawConnection conn(ts.port());
    conn.send("this is not http\r\n\r\n");
    auto res = conn.read();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 400);
    EXPECT_TRUE(conn.wait_closed());
  }
  {
    Client c("127.0.0.1", ts.port());
    RawConnection conn(ts.port());
    conn.send(
        "POST /2010-04-01/Accounts/AC1/SIP/Domains.json HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\nDomainName=%Z");
    auto res = conn.read();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 400);
    auto j = json::parse(res->body());
    EXPECT_EQ(j["status"], 400);
    EXPECT_EQ(j["code"], kCodeBadRequest);
    EXPECT_NE(j["message"].get<std::string>().find("DomainName"), std::string::npos);
    // A bad form body is the client's mistake, not the connection's: it stays open.
    conn.send("GET /2010-04-01/Accounts/A/SIP/Domains/S.json?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
    res = conn.read();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 400);
  }
}

TEST(Server, HandlerExceptionBecomes500Json) {
  TestServer ts(echo_router());
  Client c("127.0.0.1", ts.port());
  auto r = c.get("/throw");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  auto j = json::parse(r->body);
  EXPECT_EQ(j["code"], 20500);
  EXPECT_EQ(j["status"], 500);
  EXPECT_EQ(j["message"], "Internal Server Error");  // no internals leak
  // The connection survives.
  r = c.get("/2010-04-01/Accounts/A/SIP/Domains/S.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(c.connections_opened(), 1u);
}

TEST(Server, HeadersWithNewlinesAndFramingFieldsAreDropped) {
  TestServer ts(echo_router());
  RawConnection conn(ts.port());
  conn.send("GET /bad-header HTTP/1.1\r\nHost: x\r\n\r\n");
  auto res = conn.read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body(), "ok");
  EXPECT_EQ((*res)["Content-Length"], "2");
  EXPECT_EQ(res->count("X-Injected"), 0u);
  EXPECT_EQ(res->count("Set-Cookie"), 0u);
}

// The first handler blocks until the second request (on another connection)
// has been answered: a slow handler must not hold up other connections.
TEST(Server, SlowHandlerDoesNotBlockOtherConnections) {
  Event slow_started, fast_answered;
  std::atomic<bool> slow_saw_fast{false};
  Router r;
  r.add(Method::Get, "/slow", [&](const Request&) {
    slow_started.set();
    slow_saw_fast = fast_answered.wait(10s);
    return text_response(200, "slow");
  });
  r.add(Method::Get, "/fast", [](const Request&) { return text_response(200, "fast"); });
  ServerOptions o;
  o.handler_threads = 2;
  TestServer ts(std::move(r), o);

  auto slow = std::async(std::launch::async, [&] {
    Client c("127.0.0.1", ts.port());
    return c.get("/slow");
  });
  ASSERT_TRUE(slow_started.wait(10s));
  Client c("127.0.0.1", ts.port());
  auto fast = c.get("/fast");
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->body, "fast");
  fast_answered.set();
  auto s = slow.get();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->body, "slow");
  EXPECT_TRUE(slow_saw_fast);
}

TEST(Server, HeadGetsHeadersOnly) {
  TestServer ts(echo_router());
  RawConnection conn(ts.port());
  conn.send("HEAD /2010-04-01/Accounts/A/SIP/Domains/S.json HTTP/1.1\r\nHost: x\r\n\r\n");
  auto res = conn.read(nullptr, 10s, true);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 405);
  EXPECT_NE((*res)["Content-Length"], "0");
  // No body bytes were sent: the next answer on this connection parses.
  conn.send("GET /2010-04-01/Accounts/A/SIP/Domains/S.json HTTP/1.1\r\nHost: x\r\n\r\n");
  res = conn.read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
  EXPECT_EQ(json::parse(res->body())["sid"], "S");
}

TEST(Server, ExpectContinue) {
  TestServer ts(echo_router());
  RawConnection conn(ts.port());
  conn.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  std::string line = "HTTP/1.1 100 Continue\r\n\r\n";
  EXPECT_EQ(conn.read_some(line.size()), line);
  conn.send("body");
  auto res = conn.read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 200);
  EXPECT_EQ(res->body(), "body");
}

TEST(Server, MaxConnectionsAnswers429) {
  ServerOptions o;
  o.max_connections = 1;
  TestServer ts(echo_router(), o);
  RawConnection first(ts.port());
  first.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na");
  ASSERT_TRUE(first.read());  // now surely accepted and counted

  RawConnection second(ts.port());
  auto res = second.read();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result_int(), 429);
  EXPECT_EQ((*res)["Retry-After"], "1");
  EXPECT_EQ(json::parse(res->body())["code"], 20429);
  EXPECT_TRUE(second.wait_closed());
}

TEST(Server, ReadAndIdleTimeoutsCloseConnections) {
  ServerOptions o;
  o.read_timeout = 200ms;
  o.idle_timeout = 200ms;
  TestServer ts(echo_router(), o);
  RawConnection partial(ts.port());
  partial.send("GET /echo HTTP/1.1\r\nHost:");  // never finished
  RawConnection idle(ts.port());
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(partial.wait_closed(5s));
  EXPECT_TRUE(idle.wait_closed(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 4s);
  EXPECT_TRUE(eventually([&] { return ts.server().active_connections() == 0; }));
}

TEST(Server, Ipv6Loopback) {
  Router r;
  r.add(Method::Get, "/who", [](const Request& req) { return text_response(200, req.remote().address.to_string()); });
  ServerOptions o;
  o.listen = {boost::asio::ip::make_address("::1"), 0};
  TestServer ts(std::move(r), o);
  auto c = Client::from_url("http://[::1]:" + std::to_string(ts.port()));
  ASSERT_TRUE(c);
  auto res = c->get("/who");
  ASSERT_TRUE(res) << res.error().what();
  EXPECT_EQ(res->body, "::1");
}

TEST(Server, StopDropsInFlightRequestAndJoinsPool) {
  Event started, release;
  Router r;
  r.add(Method::Get, "/hang", [&](const Request&) {
    started.set();
    release.wait(10s);
    return text_response(200, "late");
  });
  auto ts = std::make_unique<TestServer>(std::move(r));
  RawConnection conn(ts->port());
  conn.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(started.wait());
  auto stopping = std::async(std::launch::async, [&] { ts->server().stop(); });
  // The connection is closed without an answer while the handler still runs.
  boost::system::error_code ec;
  EXPECT_FALSE(conn.read(&ec, 5s));
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, boost::asio::error::timed_out);
  // stop() waits for the running handler (it owns a database call).
  EXPECT_EQ(stopping.wait_for(50ms), std::future_status::timeout);
  release.set();
  EXPECT_EQ(stopping.wait_for(10s), std::future_status::ready);
  ts.reset();
}

TEST(Server, LogsRequestLineWithoutQueryOrCredentials) {
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  auto logger = log::get("http");
  auto old_level = logger->level();
  logger->sinks().push_back(sink);
  logger->set_level(spdlog::level::debug);
  {
    TestServer ts(echo_router());
    Client c("127.0.0.1", ts.port());
    c.set_basic_auth("ACsecretuser", "supersecrettoken");
    auto r = c.get("/2010-04-01/Accounts/AC1/SIP/Domains/SD1.json?PageToken=PAsecret");
    ASSERT_TRUE(r);
    r = c.post("/echo", {{"Password", "Hunter2Hunter2"}});
    ASSERT_TRUE(r);
    // The line is written once the response has gone out, which may be just
    // after the client has read it: wait for it before stopping the server.
    auto logged = [&] {
      for (const auto& l : sink->last_formatted()) {
        if (l.find("POST /echo 200 ") != std::string::npos) return true;
      }
      return false;
    };
    for (int i = 0; i < 200 && !logged(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  logger->sinks().pop_back();
  logger->set_level(old_level);
  auto lines = sink->last_formatted();
  bool saw_get = false, saw_post = false;
  for (const auto& l : lines) {
    EXPECT_EQ(l.find("secret"), std::string::npos) << l;
    EXPECT_EQ(l.find("Hunter2"), std::string::npos) << l;
    EXPECT_EQ(l.find("Basic"), std::string::npos) << l;
    saw_get = saw_get || l.find("GET /2010-04-01/Accounts/AC1/SIP/Domains/SD1.json 200 ") != std::string::npos;
    saw_post = saw_post || l.find("POST /echo 200 ") != std::string::npos;
  }
  EXPECT_TRUE(saw_get);
  EXPECT_TRUE(saw_post);
}

}  // namespace
}  // namespace callwire::http
