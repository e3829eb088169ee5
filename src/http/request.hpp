#pragma once
// What a handler sees of a request: already split, decoded and checked, so
// handlers never parse HTTP syntax themselves.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "http/basic_auth.hpp"
#include "http/headers.hpp"
#include "http/method.hpp"
#include "http/params.hpp"
#include "net/endpoint.hpp"

namespace callwire::http {

class Request {
 public:
  // Builds the view of one request. `target` is the request-target as sent
  // ("/a/b.json?x=1"). Fails with Errc::BadPath when the target is not an
  // origin-form path or its path does not percent-decode, and with
  // Errc::BadFormBody when the query or (for Content-Type
  // application/x-www-form-urlencoded) the body does not decode. The server
  // answers those with 400; tests and in-process callers use this directly.
  [[nodiscard]] static Result<Request> make(Method method, std::string_view target, Headers headers = {},
                                            std::string body = {}, net::Endpoint remote = {});

  Method method() const { return method_; }
  // The request-target exactly as received, query included.
  const std::string& target() const { return target_; }
  // The path part of the target, still percent-encoded ("/a/b%20c.json").
  std::string_view path() const { return std::string_view(target_).substr(0, path_len_); }
  // The raw query (no '?'), empty when there is none.
  std::string_view raw_query() const;

  const Params& query() const { return query_; }
  // Decoded form parameters; empty unless the body is form-encoded.
  const Params& form() const { return form_; }

  // Route captures, percent-decoded ("{Sid}" → "SD…"). Empty view for a name
  // the matched pattern does not have.
  std::string_view capture(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& captures() const { return captures_; }

  const Headers& headers() const { return headers_; }
  std::optional<std::string_view> header(std::string_view name) const { return headers_.get(name); }
  // Credentials from "Authorization: Basic …"; nullopt when absent or malformed.
  const std::optional<BasicCredentials>& basic_auth() const { return basic_auth_; }
  const std::string& body() const { return body_; }
  const net::Endpoint& remote() const { return remote_; }

  // Set by the router when the request matches a pattern.
  void set_captures(std::vector<std::pair<std::string, std::string>> c) { captures_ = std::move(c); }

 private:
  Request() = default;

  Method method_ = Method::Get;
  std::string target_;
  std::size_t path_len_ = 0;
  Params query_;
  Params form_;
  std::vector<std::pair<std::string, std::string>> captures_;
  Headers headers_;
  std::optional<BasicCredentials> basic_auth_;
  std::string body_;
  net::Endpoint remote_;
};

}  // namespace callwire::http
