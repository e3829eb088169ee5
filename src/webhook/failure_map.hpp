#pragma once
// libcurl results → Twilio error codes (contract 10.13) and the retry-policy
// class of each failure (request.hpp: "ct", "rt", "4xx", "5xx"; empty = never
// retried). Internal to the client; kept apart so the table reads at a glance.
#include <string>
#include <string_view>

namespace callwire::webhook::detail {

struct FailureClass {
  int error_code = 0;
  std::string_view retry_kind;  // "" when no policy retries it
};

// `curl_code` is a CURLcode; `ssl_verify_result` is CURLINFO_SSL_VERIFYRESULT
// (an X509_V_* value); `curl_message` is the transfer's error buffer.
FailureClass classify_curl_failure(int curl_code, long ssl_verify_result, std::string_view curl_message);

// A completed exchange with a non-2xx status.
FailureClass classify_status(int http_status);

}  // namespace callwire::webhook::detail
