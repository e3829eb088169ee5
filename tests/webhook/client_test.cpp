// The webhook client against a real local HTTP server (test_server.hpp).
#include "webhook/client.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <regex>
#include <thread>

#include "http/form.hpp"
#include "webhook/client_test_util.hpp"
#include "webhook/signature.hpp"
#include "webhook/test_server.hpp"

namespace callwire::webhook::test {
namespace {

using namespace std::chrono_literals;

const Params kParams = {{"CallSid", "CA0123456789abcdef0123456789abcdef"},
                        {"From", "sip:alice@203.0.113.5"},
                        {"SipHeader_X-Note", "a b+c&d=é;x=1"},
                        {"Empty", ""},
                        {"Digits", "2"},
                        {"Digits", "1"}};

Params decode_form(const std::string& body) {
  auto parsed = http::parse_form(body);
  EXPECT_TRUE(parsed) << body;
  Params out;
  if (parsed) {
    for (const auto& p : *parsed) out.emplace_back(p.name, p.value);
  }
  return out;
}

int unused_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 10s) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

TEST(WebhookClient, PostSendsTheSignedFormBodyAndHeaders) {
  TestServer server([](const ReceivedRequest&) { return reply(200, "<Response/>", "text/xml", "X-App: one\r\n"); });
  TestClient client(ClientConfig{});
  auto out = send_and_wait(client, make_request(server.url("/voice?tenant=1") + "#rc=0&tt=5000", "post", kParams));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->status, 200);
  EXPECT_EQ(out->body, "<Response/>");
  EXPECT_EQ(out->content_type, "text/xml");
  EXPECT_EQ(out->url, server.url("/voice?tenant=1"));
  EXPECT_GT(out->elapsed.count(), 0);
  EXPECT_NE(std::find(out->headers.begin(), out->headers.end(), std::pair<std::string, std::string>("X-App", "one")),
            out->headers.end());

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/voice?tenant=1");  // no fragment on the wire
  EXPECT_EQ(r.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(r.header("User-Agent"), "TwilioProxy/1.1");
  EXPECT_EQ(r.header("Accept"), "*/*");
  EXPECT_FALSE(r.has_header("Expect"));
  EXPECT_TRUE(std::regex_match(r.header("I-Twilio-Idempotency-Token"),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")))
      << r.header("I-Twilio-Idempotency-Token");
  EXPECT_EQ(decode_form(r.body), kParams);  // every param, in order, bytes intact
  // What a validator recomputes from what it received.
  EXPECT_EQ(r.header("X-Twilio-Signature"), sign(server.url(r.target), decode_form(r.body), "test-auth-token"));
  EXPECT_NE(r.header("X-Twilio-Signature"), sign(server.url(r.target), decode_form(r.body), "other-token"));
}

TEST(WebhookClient, GetMergesParamsIntoTheQueryAndSignsTheUrl) {
  TestServer server([](const ReceivedRequest&) { return reply(200, "<Response/>"); });
  TestClient client(ClientConfig{});
  Request req = make_request(server.url("/voice?tenant=1#ct=1000"), "get", kParams);
  req.idempotency_token = "fixed-token-1";
  auto out = send_and_wait(client, req);
  ASSERT_TRUE(out) << out.error().message;
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/voice?tenant=1&" + form_encode(kParams));
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.has_header("Content-Type"));
  EXPECT_EQ(r.header("I-Twilio-Idempotency-Token"), "fixed-token-1");
  Params query = decode_form(r.target.substr(r.target.find('?') + 1));
  Params expected = {{"tenant", "1"}};
  expected.insert(expected.end(), kParams.begin(), kParams.end());
  EXPECT_EQ(query, expected);
  EXPECT_EQ(r.header("X-Twilio-Signature"), sign(server.url(r.target), {}, "test-auth-token"));
}

TEST(WebhookClient, KeepAliveReusesOneConnection) {
  TestServer server([](const ReceivedRequest&) { return reply(200, "<Response/>"); });
  TestClient client(ClientConfig{});
  constexpr int kRequests = 500;
  std::vector<std::chrono::microseconds> rtt;
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < kRequests; ++i) {
    auto sent = std::chrono::steady_clock::now();
    auto out = send_and_wait(client, make_request(server.url("/v"), "POST", kParams));
    ASSERT_TRUE(out) << i << ": " << out.error().message;
    rtt.push_back(std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - sent));
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::sort(rtt.begin(), rtt.end());
  EXPECT_EQ(server.connections(), 1u);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), std::size_t{kRequests});
  for (const auto& r : requests) EXPECT_EQ(r.connection, 1u);
  std::cout << "[ figures  ] " << kRequests << " sequential POSTs, one at a time: " << static_cast<int>(kRequests / seconds)
            << " requests/s over " << server.connections() << " connection(s); send→done p50 "
            << rtt[rtt.size() / 2].count() << " us, p99 " << rtt[rtt.size() * 99 / 100].count() << " us\n";
}

TEST(WebhookClient, ServerClosingKeptAliveConnectionsIsHandled) {
  // The server closes after every answer without saying so: the cached
  // connection is dead and the next request must open a new one.
  TestServer server([](const ReceivedRequest&) {
    Reply r = reply(200, "<Response/>");
    r.close = true;
    return r;
  });
  TestClient client(ClientConfig{});
  for (int i = 0; i < 20; ++i) {
    auto out = send_and_wait(client, make_request(server.url("/v#rc=0"), "POST", kParams));
    ASSERT_TRUE(out) << i << ": " << out.error().message;
  }
  EXPECT_EQ(server.requests().size(), 20u);
  EXPECT_EQ(server.connections(), 20u);
}

TEST(WebhookClient, ManyConcurrentRequestsComplete) {
  TestServer server([](const ReceivedRequest& r) { return reply(200, r.target); });
  ClientConfig config;
  TestClient client(config);
  constexpr int kRequests = 1000;
  std::atomic<int> ok{0}, failed{0};
  std::promise<void> all_done;
  std::atomic<int> remaining{kRequests};
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < kRequests; ++i) {
    client.send(make_request(server.url("/c/" + std::to_string(i)), "POST", kParams), [&, i](Outcome o) {
      (o && o->body == "/c/" + std::to_string(i) ? ok : failed)++;
      if (--remaining == 0) all_done.set_value();
    });
  }
  ASSERT_EQ(all_done.get_future().wait_for(50s), std::future_status::ready);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  EXPECT_EQ(ok.load(), kRequests);
  EXPECT_EQ(failed.load(), 0);
  EXPECT_LE(server.connections(), config.max_connections_per_host);
  std::cout << "[ figures  ] " << kRequests << " concurrent POSTs: " << static_cast<int>(kRequests / seconds)
            << " requests/s over " << server.connections() << " connection(s)\n";
}

Reply redirect_chain(const ReceivedRequest& r) {
  if (r.target.starts_with("/r/")) {
    int n = std::stoi(r.target.substr(3));
    if (n > 0) return reply(302, "", "", "Location: /r/" + std::to_string(n - 1) + "\r\n");
    return reply(200, "<Response>end</Response>");
  }
  if (r.target == "/307") return reply(307, "", "", "Location: /end\r\n");
  return reply(200, "<Response/>");
}

TEST(WebhookClient, FollowsUpToTenRedirects) {
  TestServer server(redirect_chain);
  TestClient client(ClientConfig{});
  auto out = send_and_wait(client, make_request(server.url("/r/10"), "POST", kParams));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->body, "<Response>end</Response>");
  EXPECT_EQ(out->url, server.url("/r/0"));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 11u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[1].method, "GET");  // a 302 turns a POST into a GET, as curl and browsers do
  const std::string token = requests[0].header("I-Twilio-Idempotency-Token");
  for (const auto& r : requests) EXPECT_EQ(r.header("I-Twilio-Idempotency-Token"), token);
  EXPECT_EQ(server.connections(), 1u);

  auto too_many = send_and_wait(client, make_request(server.url("/r/11"), "POST", kParams));
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().error_code, 11215) << too_many.error().message;
  EXPECT_EQ(too_many.error().url, server.url("/r/11"));
}

TEST(WebhookClient, A307RepeatsThePost) {
  TestServer server(redirect_chain);
  TestClient client(ClientConfig{});
  auto out = send_and_wait(client, make_request(server.url("/307"), "POST", kParams));
  ASSERT_TRUE(out) << out.error().message;
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].target, "/end");
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(decode_form(requests[1].body), kParams);
}

TEST(WebhookClient, RelativeRedirectsResolveAgainstTheRequestedUrl) {
  TestServer server([](const ReceivedRequest& r) {
    if (r.target == "/a/b/start") return reply(301, "moved", "text/plain", "Location: ../c/./next?x=1#frag\r\n");
    if (r.target == "/a/c/next?x=1") return reply(303, "", "", "Location: ?y=2\r\n");
    if (r.target == "/a/c/next?y=2") return reply(307, "", "", "Location: sibling\r\n");
    return reply(200, r.target);
  });
  TestClient client(ClientConfig{});
  auto out = send_and_wait(client, make_request(server.url("/a/b/start"), "GET", {}));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->body, "/a/c/sibling");
  EXPECT_EQ(out->url, server.url("/a/c/sibling"));
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  for (const auto& r : requests) EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(server.connections(), 1u);
}

TEST(WebhookClient, InterimAnswersAreSkipped) {
  TestServer server([](const ReceivedRequest&) {
    Reply r = reply(200, "<Response/>");
    r.raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX-Interim: 1\r\n\r\n" + r.raw;
    return r;
  });
  TestClient client(ClientConfig{});
  auto out = send_and_wait(client, make_request(server.url("/v"), "POST", kParams));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->status, 200);
  EXPECT_EQ(out->body, "<Response/>");
  for (const auto& [name, value] : out->headers) EXPECT_NE(name, "X-Interim");  // the final answer's headers only
}

TEST(WebhookClient, AnAnswerEndedByClosingTheConnectionIsWhole) {
  // No Content-Length and no chunking: the body runs to the end of the connection.
  TestServer server([](const ReceivedRequest&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n<Response><Say>hi</Say></Response>", {}, true};
  });
  TestClient client(ClientConfig{});
  for (int i = 0; i < 3; ++i) {
    auto out = send_and_wait(client, make_request(server.url("/v#rc=0"), "POST", kParams));
    ASSERT_TRUE(out) << i << ": " << out.error().message;
    EXPECT_EQ(out->body, "<Response><Say>hi</Say></Response>");
  }
  EXPECT_EQ(server.connections(), 3u);
}

TEST(WebhookClient, AnAnswerCutShortFailsAndIsNotTakenWhole) {
  TestServer server([](const ReceivedRequest&) {
    return Reply{"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100\r\n\r\n<Response>", {}, true};
  });
  TestClient client(ClientConfig{});
  auto out = send_and_wait(client, make_request(server.url("/v#rc=0"), "POST", kParams));
  ASSERT_FALSE(out);
  EXPECT_TRUE(out.error().error_code == 11206 || out.error().error_code == 11205) << out.error().message;
}

TEST(WebhookClient, AnswersABasicAuthChallengeFromUrlCredentials) {
  TestServer server([](const ReceivedRequest& r) {
    if (r.header("Authorization") == "Basic dXNlcjpwYXNz") return reply(200, "<Response/>");  // user:pass
    return reply(401, "", "", "WWW-Authenticate: Basic realm=\"hooks\"\r\n");
  });
  TestClient client(ClientConfig{});
  const std::string url = "http://user:pass@127.0.0.1:" + std::to_string(server.port()) + "/private";
  auto out = send_and_wait(client, make_request(url, "POST", kParams));
  ASSERT_TRUE(out) << out.error().message;
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_FALSE(requests[0].has_header("Authorization"));
  EXPECT_EQ(decode_form(requests[1].body), kParams);
  EXPECT_EQ(requests[1].header("X-Twilio-Signature"), sign(url, kParams, "test-auth-token"));
}

TEST(WebhookClient, SlowResponseTimesOutWithin_tt) {
  TestServer server([](const ReceivedRequest&) {
    Reply r = reply(200, "<Response/>");
    r.delay = 10s;
    return r;
  });
  TestClient client(ClientConfig{});
  auto begin = std::chrono::steady_clock::now();
  auto out = send_and_wait(client, make_request(server.url("/slow#tt=600"), "POST", kParams));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begin).count();
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().error_code, 11200) << out.error().message;
  EXPECT_GE(ms, 550);
  EXPECT_LT(ms, 2000);
  EXPECT_EQ(server.requests().size(), 1u);  // a read timeout is not retried by the default policy "ct"
}

TEST(WebhookClient, ReadTimeoutRetriedUnder_rt_PolicyAndBoundedBy_tt) {
  TestServer server([](const ReceivedRequest&) {
    Reply r = reply(200, "<Response/>");
    r.delay = 10s;
    return r;
  });
  TestClient client(ClientConfig{});
  auto begin = std::chrono::steady_clock::now();
  // Each attempt may take ct + rt = 400 ms; five retries would need 2.4 s but tt is 1 s.
  auto out = send_and_wait(client, make_request(server.url("/slow#ct=100&rt=300&tt=1000&rc=5&rp=rt"), "POST", kParams));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begin).count();
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().error_code, 11200) << out.error().message;
  EXPECT_GE(ms, 950);
  EXPECT_LT(ms, 2000);
  auto requests = server.requests();
  ASSERT_GE(requests.size(), 3u);
  EXPECT_LE(requests.size(), 4u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.header("I-Twilio-Idempotency-Token"), requests[0].header("I-Twilio-Idempotency-Token"));
  }
}

TEST(WebhookClient, ConnectionRefusedIs11205AfterOneRetry) {
  TestClient client(ClientConfig{});
  const std::string url = "http://127.0.0.1:" + std::to_string(unused_port()) + "/voice";
  auto out = send_and_wait(client, make_request(url));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().error_code, 11205) << out.error().message;
  EXPECT_NE(out.error().message.find("after 2 attempts"), std::string::npos) << out.error().message;
  EXPECT_EQ(out.error().url, url);
  EXPECT_EQ(out.error().http_status, 0);

  auto once = send_and_wait(client, make_request(url + "#rc=0"));
  ASSERT_FALSE(once);
  EXPECT_EQ(once.error().error_code, 11205);
  EXPECT_EQ(once.error().message.find("attempts"), std::string::npos) << once.error().message;
  auto four = send_and_wait(client, make_request(url + "#rc=3"));
  ASSERT_FALSE(four);
  EXPECT_NE(four.error().message.find("after 4 attempts"), std::string::npos) << four.error().message;
}

TEST(WebhookClient, RetryReusesTheIdempotencyToken) {
  std::atomic<int> calls{0};
  TestServer server([&](const ReceivedRequest&) {
    return ++calls == 1 ? reply(500, "oops", "text/plain") : reply(200, "<Response/>");
  });
  TestClient client(ClientConfig{});
  auto out = send_and_wait(client, make_request(server.url("/v#rp=5xx"), "POST", kParams));
  ASSERT_TRUE(out) << out.error().message;
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_FALSE(requests[0].header("I-Twilio-Idempotency-Token").empty());
  EXPECT_EQ(requests[0].header("I-Twilio-Idempotency-Token"), requests[1].header("I-Twilio-Idempotency-Token"));
  EXPECT_EQ(requests[0].header("X-Twilio-Signature"), requests[1].header("X-Twilio-Signature"));
  EXPECT_EQ(requests[0].body, requests[1].body);
}

TEST(WebhookClient, Non2xxIs11200WithStatusAndSnippet) {
  TestServer server([](const ReceivedRequest& r) {
    if (r.target == "/huge500") return reply(500, std::string(100 * 1024, 'y'), "text/html");
    return r.target == "/404" ? reply(404, "missing", "text/plain") : reply(503, std::string(5000, 'x'), "text/html");
  });
  TestClient client(ClientConfig{});
  auto out = send_and_wait(client, make_request(server.url("/503")));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().error_code, 11200);
  EXPECT_EQ(out.error().http_status, 503);
  EXPECT_EQ(out.error().response_body, std::string(1024, 'x'));
  EXPECT_EQ(server.requests().size(), 1u);  // "ct" does not retry HTTP errors
  auto missing = send_and_wait(client, make_request(server.url("/404")));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().error_code, 11200);
  EXPECT_EQ(missing.error().http_status, 404);
  EXPECT_EQ(missing.error().response_body, "missing");
  // An error page over the body limit is still an HTTP error, not 11750.
  auto huge = send_and_wait(client, make_request(server.url("/huge500")));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().error_code, 11200) << huge.error().message;
  EXPECT_EQ(huge.error().http_status, 500);
}

TEST(WebhookClient, BodyOverLimitIs11750) {
  TestServer server([](const ReceivedRequest& r) {
    if (r.target == "/exact") return reply(200, std::string(64 * 1024, 'a'));
    if (r.target == "/big") return reply(200, std::string(64 * 1024 + 1, 'a'));
    // Chunked: no Content-Length to reject early.
    std::string raw = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 70; ++i) raw += "400\r\n" + std::string(1024, 'b') + "\r\n";
    raw += "0\r\n\r\n";
    return Reply{raw};
  });
  TestClient client(ClientConfig{});
  auto exact = send_and_wait(client, make_request(server.url("/exact")));
  ASSERT_TRUE(exact) << exact.error().message;
  EXPECT_EQ(exact->body.size(), 64u * 1024);
  for (const char* path : {"/big", "/chunked"}) {
    auto out = send_and_wait(client, make_request(server.url(path)));
    ASSERT_FALSE(out) << path;
    EXPECT_EQ(out.error().error_code, 11750) << path << ": " << out.error().message;
  }
}

TEST(WebhookClient, ProtocolViolationIs11206) {
  TestServer server([](const ReceivedRequest&) { return Reply{"HELLO THERE\r\n\r\n", {}, true}; });
  TestClient client(ClientConfig{});
  auto out = send_and_wait(client, make_request(server.url("/x#rc=0")));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().error_code, 11206) << out.error().message;
}

TEST(WebhookClient, SsrfGuardRefusesLoopback) {
  TestServer server([](const ReceivedRequest&) { return reply(200, "<Response/>"); });
  ClientConfig config;
  config.refuse_private_addresses = true;
  TestClient client(config);
  for (std::string url : {server.url("/v"), "http://localhost:" + std::to_string(server.port()) + "/v"}) {
    auto out = send_and_wait(client, make_request(url));
    ASSERT_FALSE(out) << url;
    EXPECT_EQ(out.error().error_code, 11205);
    EXPECT_NE(out.error().message.find("not allowed"), std::string::npos) << out.error().message;
  }
  EXPECT_EQ(server.connections(), 0u);
  EXPECT_TRUE(server.requests().empty());
}

TEST(WebhookClient, InvalidRequestsFailWithoutNetwork) {
  TestClient client(ClientConfig{});
  auto method = send_and_wait(client, make_request("http://127.0.0.1:9/x", "PUT"));
  ASSERT_FALSE(method);
  EXPECT_EQ(method.error().error_code, 11100);
  auto url = send_and_wait(client, make_request("ftp://example.com/x"));
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().error_code, 11100);
  EXPECT_EQ(url.error().url, "ftp://example.com/x");
  auto rp = send_and_wait(client, make_request("http://127.0.0.1:9/x#rp=never"));
  ASSERT_FALSE(rp);
  EXPECT_EQ(rp.error().error_code, 11243);
  EXPECT_EQ(rp.error().url, "http://127.0.0.1:9/x");
}

TEST(WebhookClient, DoneRunsOnTheClientThread) {
  TestServer server([](const ReceivedRequest&) { return reply(200, "<Response/>"); });
  TestClient client(ClientConfig{});
  std::promise<std::thread::id> where;
  client.send(make_request(server.url("/v")), [&](Outcome) { where.set_value(std::this_thread::get_id()); });
  auto f = where.get_future();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  EXPECT_NE(f.get(), std::this_thread::get_id());
}

TEST(WebhookClient, StopFailsWhatIsInFlightOnce) {
  TestServer server([](const ReceivedRequest&) {
    Reply r = reply(200, "<Response/>");
    r.delay = 20s;
    return r;
  });
  TestClient client(ClientConfig{});
  std::atomic<int> completions{0};
  std::promise<Outcome> result;
  client.send(make_request(server.url("/v")), [&](Outcome o) {
    if (++completions == 1) result.set_value(std::move(o));
  });
  ASSERT_TRUE(eventually([&] { return server.requests().size() == 1; }));
  auto begin = std::chrono::steady_clock::now();
  client.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
  auto f = result.get_future();
  ASSERT_EQ(f.wait_for(1s), std::future_status::ready);
  auto out = f.get();
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().error_code, 11205);
  EXPECT_EQ(out.error().message, "client stopped");
  client.stop();  // idempotent

  bool inline_called = false;
  client.send(make_request(server.url("/v")), [&](Outcome o) {
    inline_called = true;
    EXPECT_FALSE(o);
    if (!o) {
      EXPECT_EQ(o.error().error_code, 11205);
    }
  });
  EXPECT_TRUE(inline_called);
  EXPECT_EQ(completions.load(), 1);
}

}  // namespace
}  // namespace callwire::webhook::test
