#pragma once
// What the webhook client is asked to send, what it answers, and the URL
// rules of contract section 9: absolute http(s) URLs whose fragment may carry
// per-URL connection overrides ("#ct=2000&rt=3000&tt=5000&rc=3&rp=all", 9.4).
// The fragment is never sent and never signed.
#include <chrono>
#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "webhook/errc.hpp"

namespace callwire::webhook {

// Ordered name/value pairs; repeats allowed (sent in this order).
using Params = std::vector<std::pair<std::string, std::string>>;

// Contract 9.4 defaults. Times in milliseconds.
struct Overrides {
  int connect_timeout_ms = 5000;   // ct: 100..10000, one TCP+TLS connect
  int read_timeout_ms = 15000;     // rt: 100..15000, connect end → response end, per attempt
  int total_timeout_ms = 15000;    // tt: 100..15000, all attempts together
  int retries = 1;                 // rc: 0..5, extra attempts after the first
  std::string retry_policy = "ct"; // rp: comma-separated "ct", "rt", "4xx", "5xx" or "all"
};

struct ParsedUrl {
  std::string url_without_fragment;
  Overrides overrides;
};

// Validates `url` (absolute http:// or https:// with a host; no spaces or
// control characters) and applies its fragment's overrides on top of
// `defaults`. Keys ct, rt, tt, rc must be decimal integers within their range
// and rp a known policy; e and sni are accepted and ignored (callwire has no
// edges and always sends SNI); any other key is ignored, so a fragment the
// application uses for itself does not break its webhook. Errors: Errc::BadUrl
// (11100, also for a bad ct/rt/tt/rc value) or Errc::BadRetryPolicy (11243).
[[nodiscard]] Result<ParsedUrl> parse_webhook_url(std::string_view url, const Overrides& defaults = {});

// Whether `policy` (as validated above) retries a failure of `kind`:
// "ct" connection failures, "rt" read timeouts or broken responses, "4xx",
// "5xx" HTTP statuses; "all" every one of these.
bool retry_policy_covers(std::string_view policy, std::string_view kind);

// application/x-www-form-urlencoded: "a=1&b=x%20y". Every byte except
// ALPHA / DIGIT / "-" / "." / "_" / "~" is %XX-encoded (space as %20, which
// every form decoder, twilio's validators included, reads as a space).
std::string form_encode(const Params& params);

// `url` (without fragment) with `params` appended to its query: '?' or '&'
// as needed, nothing when `params` is empty. This is the URL a GET webhook
// requests and signs.
std::string append_query(std::string_view url, const Params& params);

struct Request {
  std::string url;                // as configured (may carry #fragment overrides)
  std::string method = "POST";    // "GET" or "POST", any case; anything else → Failure 11100
  Params params;                  // POST: form body; GET: merged into the query
  std::string auth_token;         // signing key (the account's auth token)
  std::string idempotency_token;  // I-Twilio-Idempotency-Token; empty → generated; same on retries
};

struct Response {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string url;  // final URL after redirects
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response
  std::chrono::microseconds elapsed{};                        // all attempts
};

struct Failure {
  // Twilio code: 11100 bad URL or method, 11200 non-2xx or timeout, 11205
  // connection failed (also: address refused by the SSRF guard, client
  // stopped), 11206 protocol violation, 11210 DNS, 11215 > max redirects,
  // 11220 TLS handshake, 11235/11236/11237 certificate invalid / hostname
  // mismatch / not trusted, 11750 body larger than max_body.
  int error_code = 0;
  std::string message;        // human text for logs and the debugger alert
  std::string url;            // the configured URL without fragment
  int http_status = 0;        // when a response arrived
  std::string response_body;  // its first 1 kB
};

using Outcome = std::expected<Response, Failure>;

}  // namespace callwire::webhook
