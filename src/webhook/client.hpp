#pragma once
// The HTTP client callwire calls customers' webhooks with (contract 9.1,
// 9.2, 9.4). libcurl's multi interface runs either
// - on one dedicated thread owned by the Client, which does nothing but drive
//   it (curl_multi_poll, woken by send() and stop()), or
// - on a caller's io_context (loop mode, curl_loop.hpp): `callwire serve`
//   gives each SIP worker its own Client, so a call's webhook is sent and
//   answered on the call's own thread with no hand-over.
// Either way no caller's thread ever blocks on the network. DNS runs in
// libcurl's threaded resolver.
//
// Behaviour:
// - One multi handle: connections are cached and kept alive per host (at most
//   max_connections_per_host at once; more transfers to a host wait for a free
//   connection, and the wait counts against their timeouts). HTTP/2 is used
//   when a TLS server offers it.
// - POST sends the params as a form body; GET merges them into the query.
//   Headers: X-Twilio-Signature (9.7, over the URL without fragment, plus the
//   sorted params for POST), I-Twilio-Idempotency-Token, User-Agent,
//   Accept: */*, Content-Type for POST. The fragment is never sent.
// - Redirects: followed up to max_redirects (then 11215), as curl does: a
//   POST answered 301/302/303 continues as a GET without body; 307/308 repeat
//   the POST. Only http and https; the signature and token headers are sent
//   unchanged to the new location.
// - Timeouts and retries from the URL's overrides (request.hpp): each attempt
//   has `ct` to connect and `ct + rt` in all, every attempt ends within `tt`
//   of the first. A retry starts at once, reuses the idempotency token, and is
//   made only for a failure class the `rp` policy covers.
// - HTTPS verifies the peer certificate and host name.
// - https://user:pass@host/ URLs: the first request goes without credentials;
//   a 401 with a Basic or Digest challenge is answered. The signature covers
//   the URL as configured, credentials included.
// - A response body over max_body aborts the transfer (11750); for a non-2xx
//   status the failure stays 11200 with the first 1 kB of the body.
// - No proxies: environment variables such as http_proxy are ignored.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "webhook/request.hpp"

namespace boost::asio {
class io_context;
}

namespace callwire::webhook {

struct ClientConfig {
  std::string user_agent = "TwilioProxy/1.1";
  Overrides defaults;  // per-URL fragment overrides start from these
  std::size_t max_body = 64 * 1024;
  int max_redirects = 10;
  // A CA bundle file trusted instead of the system bundle file (the system CA
  // directory stays trusted). Empty: the system store only.
  std::string ca_file;
  // SSRF guard: refuse to connect to loopback, private, link-local, CGNAT,
  // unique-local, multicast addresses (address_guard.hpp). Checked on each
  // address curl connects to, redirects included. Failure 11205.
  bool refuse_private_addresses = false;
  std::size_t max_connections_per_host = 16;
};

class Client {
 public:
  // Thread mode: its own thread drives curl; `done` runs on that thread.
  explicit Client(ClientConfig config);
  // Loop mode: `loop` drives curl; `done` runs on the loop's thread. send()
  // may be called from any thread (it hops to the loop); stop() and the
  // destructor must run on the loop's thread or when the loop is not running.
  Client(ClientConfig config, boost::asio::io_context& loop);
  ~Client();  // stop()
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Ends every transfer in flight or queued: each `done` is called (on the
  // client's thread) with Failure 11205 "client stopped". Joins the thread.
  // Idempotent. Never call it, or destroy the Client, from inside a `done`.
  void stop();

  // Queues `request`. `done` runs exactly once, on the client's thread (or
  // loop): keep it short and post to your own executor. After stop(), `done` runs at once
  // on the calling thread with Failure 11205 "client stopped".
  void send(Request request, std::function<void(Outcome)> done);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace callwire::webhook
