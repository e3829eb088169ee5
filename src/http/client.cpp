#include "http/client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>

#include "http/basic_auth.hpp"
#include "http/errc.hpp"
#include "http/form.hpp"
#include "http/values.hpp"

namespace callwire::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Client::Impl {
  std::string host;
  std::uint16_t port = 80;
  std::string base_path;
  ClientOptions options;
  std::optional<std::string> authorization;
  boost::asio::io_context io{1};
  tcp::resolver resolver{io};
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  std::size_t opened = 0;

  // Runs one asynchronous step to completion or until `deadline`.
  template <class Start>
  boost::system::error_code run(Start&& start, Clock::time_point deadline) {
    std::optional<boost::system::error_code> result;
    start([&result](boost::system::error_code ec) { result = ec; });
    io.restart();
    io.run_until(deadline);
    if (!result) {
      resolver.cancel();
      disconnect();
      io.restart();
      io.run();  // lets the cancelled operations complete
      return make_error_code(Errc::Timeout);
    }
    if (*result == beast::error::timeout) return make_error_code(Errc::Timeout);
    return *result;
  }

  void disconnect() {
    if (stream) {
      boost::system::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->socket().close(ignored);
    }
    stream.reset();
    buffer.clear();
  }

  boost::system::error_code connect(Clock::time_point deadline) {
    tcp::resolver::results_type endpoints;
    auto ec = run(
        [&](auto done) {
          resolver.async_resolve(host, std::to_string(port),
                                 [&endpoints, done](boost::system::error_code e, tcp::resolver::results_type r) {
                                   endpoints = std::move(r);
                                   done(e);
                                 });
        },
        deadline);
    if (ec) return ec;
    stream.emplace(io);
    stream->expires_at(deadline);
    ec = run(
        [&](auto done) {
          stream->async_connect(endpoints, [done](boost::system::error_code e, const tcp::endpoint&) { done(e); });
        },
        deadline);
    if (ec) {
      stream.reset();
      return ec;
    }
    ++opened;
    return {};
  }

  // One exchange on the current connection. `sent_nothing` tells the caller
  // whether a retry on a fresh connection is safe (the server saw nothing).
  Result<ClientResponse> exchange(bhttp::request<bhttp::string_body>& req, Clock::time_point deadline,
                                  bool& retryable) {
    retryable = false;
    stream->expires_at(deadline);
    auto ec = run([&](auto done) { bhttp::async_write(*stream, req, [done](auto e, std::size_t) { done(e); }); },
                  deadline);
    if (ec) {
      retryable = ec != make_error_code(Errc::Timeout);
      disconnect();
      return fail(ec, "HTTP request to " + host + " failed: " + ec.message());
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options.body_limit);
    ec = run([&](auto done) { bhttp::async_read(*stream, buffer, parser, [done](auto e, std::size_t) { done(e); }); },
             deadline);
    if (ec) {
      // A kept-alive connection the server closed meanwhile ends before any byte.
      retryable = !parser.got_some() && ec != make_error_code(Errc::Timeout);
      disconnect();
      if (ec == make_error_code(Errc::Timeout)) return fail(Errc::Timeout, "HTTP request to " + host + " timed out");
      if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category() &&
          ec != bhttp::error::end_of_stream) {
        return fail(Errc::BadResponse, "invalid HTTP response from " + host + ": " + ec.message());
      }
      return fail(ec, "HTTP request to " + host + " failed: " + ec.message());
    }
    auto& res = parser.get();
    ClientResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res) out.headers.add(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive()) disconnect();
    return out;
  }
};

Result<Client> Client::from_url(std::string_view url, ClientOptions options) {
  constexpr std::string_view kScheme = "http://";
  if (url.size() <= kScheme.size() || !iequals(url.substr(0, kScheme.size()), kScheme)) {
    return fail(Errc::BadUrl, "only http:// URLs are supported: " + std::string(url));
  }
  url.remove_prefix(kScheme.size());
  auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
  if (authority.find('@') != std::string_view::npos || path.find_first_of("?#") != std::string_view::npos) {
    return fail(Errc::BadUrl, "URL with user info, query or fragment: " + std::string(url));
  }
  std::string_view host;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return fail(Errc::BadUrl, "unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return fail(Errc::BadUrl, "junk after IPv6 address");
      port_text = rest.substr(1);
    }
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (host.empty()) return fail(Errc::BadUrl, "URL without a host");
  std::uint16_t port = 80;
  if (!port_text.empty() || authority.ends_with(':')) {
    auto p = parse_int(port_text, 1, 65535);
    if (!p) return fail(Errc::BadUrl, "bad port in URL: " + std::string(port_text));
    port = static_cast<std::uint16_t>(*p);
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  Client c(std::string(host), port, options);
  c.impl_->base_path = std::string(path);
  return c;
}

Client::Client(std::string host, std::uint16_t port, ClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->options = options;
}

Client::~Client() {
  if (impl_) impl_->disconnect();
}
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

void Client::set_basic_auth(std::string user, std::string password) {
  impl_->authorization = format_basic_auth(user, password);
}

std::size_t Client::connections_opened() const { return impl_->opened; }

Result<ClientResponse> Client::request(Method method, std::string_view target, const Params& form) {
  auto& d = *impl_;
  auto deadline = Clock::now() + d.options.timeout;
  bhttp::request<bhttp::string_body> req;
  req.method_string(std::string(to_string(method)));
  req.target(d.base_path + std::string(target));
  req.version(11);
  bool v6 = d.host.find(':') != std::string::npos;
  std::string host_header = v6 ? "[" + d.host + "]" : d.host;
  if (d.port != 80) host_header += ":" + std::to_string(d.port);
  req.set(bhttp::field::host, host_header);
  req.set(bhttp::field::user_agent, "callwire-cli");
  req.set(bhttp::field::accept, "application/json");
  if (d.authorization) req.set(bhttp::field::authorization, *d.authorization);
  if (!form.empty() || method == Method::Post) {
    req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
    req.body() = form_encode(form);
  }
  req.keep_alive(true);
  req.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    bool reused = d.stream.has_value();
    if (!reused) {
      if (auto ec = d.connect(deadline)) {
        if (ec == make_error_code(Errc::Timeout)) return fail(Errc::Timeout, "connecting to " + d.host + " timed out");
        return fail(ec, "cannot connect to " + d.host + ":" + std::to_string(d.port) + ": " + ec.message());
      }
    }
    bool retryable = false;
    auto r = d.exchange(req, deadline, retryable);
    if (r || !reused || !retryable || attempt > 0) return r;
  }
}

}  // namespace callwire::http
