#pragma once
// A small blocking HTTP/1.1 client for the callwire CLI (`callwire domains
// list` talks to the REST API like any other client). Plain http only, one
// kept-alive connection, Basic auth, form bodies, a timeout per request.
// Blocking by design: never use it on an I/O thread.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/headers.hpp"
#include "http/method.hpp"
#include "http/params.hpp"

namespace callwire::http {

struct ClientOptions {
  // For each request: resolve + connect + write + read together.
  std::chrono::milliseconds timeout{10'000};
  std::uint64_t body_limit = 64 * 1024 * 1024;
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

class Client {
 public:
  // "http://127.0.0.1:8080", "http://[::1]:8080", "http://localhost:8080/base".
  // A path in the URL is a prefix for every target. Errc::BadUrl otherwise.
  [[nodiscard]] static Result<Client> from_url(std::string_view base_url, ClientOptions options = {});
  Client(std::string host, std::uint16_t port, ClientOptions options = {});
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;

  void set_basic_auth(std::string user, std::string password);

  // Sends `method target` ("/2010-04-01/Accounts.json?PageSize=5"). A non-empty
  // `form` (or any POST) is sent as an application/x-www-form-urlencoded body.
  // Any HTTP status is a success here; failures are transport errors
  // (connection refused, Errc::Timeout, Errc::BadResponse).
  [[nodiscard]] Result<ClientResponse> request(Method method, std::string_view target, const Params& form = {});
  [[nodiscard]] Result<ClientResponse> get(std::string_view target) { return request(Method::Get, target); }
  [[nodiscard]] Result<ClientResponse> post(std::string_view target, const Params& form) {
    return request(Method::Post, target, form);
  }
  [[nodiscard]] Result<ClientResponse> del(std::string_view target) { return request(Method::Delete, target); }

  // Connections opened so far (a kept-alive connection is reused).
  std::size_t connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace callwire::http
