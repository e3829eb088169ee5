#pragma once
// What a handler returns, and the Twilio-shaped constructors for it.
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "http/headers.hpp"

namespace callwire::http {

struct Response {
  int status = 200;
  Headers headers;   // Content-Length and Connection are set by the server
  std::string body;
};

// Twilio error codes the layer itself answers with (contract §1.6).
inline constexpr int kCodeBadRequest = 20001;       // malformed path, query or form body; body/header too large
inline constexpr int kCodeMethodNotAllowed = 20004;
inline constexpr int kCodeNotFound = 20404;
inline constexpr int kCodeTooManyRequests = 20429;  // connection limit reached
inline constexpr int kCodeInternal = 20500;         // a handler threw

// `body` serialized compactly with Content-Type application/json. Strings that
// are not valid UTF-8 are written with U+FFFD instead of failing.
Response json_response(int status, const nlohmann::json& body);
// No body, no Content-Type (204 for DELETE).
Response empty_response(int status = 204);
Response text_response(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");

// {"code":code,"message":message,"more_info":"https://www.twilio.com/docs/errors/<code>","status":http_status}
Response error_response(int http_status, int code, std::string message);
nlohmann::json error_json(int http_status, int code, const std::string& message);
std::string more_info_url(int code);

// The standard reason phrase ("Not Found"), "" for an unknown status.
const char* reason_phrase(int status);

}  // namespace callwire::http
