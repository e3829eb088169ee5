#include "webhook/plain_http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <deque>

#include "webhook/address_guard.hpp"

namespace callwire::webhook::detail {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using PlainClock = std::chrono::steady_clock;

// Named (not anonymous): the layer's files compile together in unity batches.
namespace plain {

constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::uint32_t kHeaderLimit = 100 * 1024;  // what curl accepts for a response header

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool has_scheme_prefix(std::string_view url, std::string_view lower_scheme_sep) {
  return url.size() >= lower_scheme_sep.size() && iequal(url.substr(0, lower_scheme_sep.size()), lower_scheme_sep);
}

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view path) {
  if (path.find("/.") == std::string_view::npos && !path.starts_with('.')) return std::string(path);
  std::string out;
  auto pop_segment = [&out] {
    auto slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!path.empty()) {
    if (path.starts_with("../")) {
      path.remove_prefix(3);
    } else if (path.starts_with("./")) {
      path.remove_prefix(2);
    } else if (path.starts_with("/./")) {
      path.remove_prefix(2);
    } else if (path == "/.") {
      path = "/";
    } else if (path.starts_with("/../")) {
      path.remove_prefix(3);
      pop_segment();
    } else if (path == "/..") {
      path = "/";
      pop_segment();
    } else if (path == "." || path == "..") {
      path = {};
    } else {
      auto end = path.find('/', path.front() == '/' ? 1 : 0);
      out.append(path.substr(0, end));
      path.remove_prefix(end == std::string_view::npos ? path.size() : end);
    }
  }
  return out;
}

// Bytes a request line cannot carry, %XX-encoded (what curl does to a Location).
std::string encode_unsafe(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

bool reg_name_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~';
}

// An answer to a request we sent: the status line and fields are kept, the
// body is appended to `body` up to `max_body` (or only counted: `discard`).
class ResponseParser final : public bhttp::basic_parser<false> {
 public:
  ResponseParser(std::size_t max_body, PlainOutcome& out) : max_body_(max_body), out_(out) {
    header_limit(kHeaderLimit);
    body_limit(boost::none);  // max_body is checked here, with the status known
    eager(true);
  }
  int status = 0;
  std::string location;
  bool discard = false;  // a redirect's body: read and dropped
  bool too_large = false;

 private:
  void on_request_impl(bhttp::verb, boost::beast::string_view, boost::beast::string_view, int,
                       boost::beast::error_code& ec) override {
    ec = bhttp::error::bad_method;
  }
  void on_response_impl(int code, boost::beast::string_view, int, boost::beast::error_code&) override {
    status = code;
    out_.headers.clear();
    out_.content_type.clear();
  }
  void on_field_impl(bhttp::field, boost::beast::string_view name, boost::beast::string_view value,
                     boost::beast::error_code&) override {
    std::string_view n(name.data(), name.size()), v(value.data(), value.size());
    if (iequal(n, "Content-Type")) out_.content_type = v;
    if (iequal(n, "Location") && location.empty()) location = v;
    out_.headers.emplace_back(n, v);
  }
  void on_header_impl(boost::beast::error_code&) override {
    discard = status >= 300 && status < 400 && status != 304 && !location.empty();
  }
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) override {
    if (!discard && length && *length > max_body_) {
      too_large = true;
      ec = bhttp::error::body_limit;
    }
  }
  std::size_t on_body_impl(boost::beast::string_view data, boost::beast::error_code& ec) override {
    return take(data, ec);
  }
  void on_chunk_header_impl(std::uint64_t, boost::beast::string_view, boost::beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view data, boost::beast::error_code& ec) override {
    return take(data, ec);
  }
  void on_finish_impl(boost::beast::error_code&) override {}

  std::size_t take(boost::beast::string_view data, boost::beast::error_code& ec) {
    taken_ += data.size();
    if (taken_ > max_body_) {
      if (!discard) {
        out_.body.append(data.data(), data.size() - (taken_ - max_body_));
        too_large = true;
      }
      ec = bhttp::error::body_limit;
      return data.size();
    }
    if (!discard) out_.body.append(data.data(), data.size());
    return data.size();
  }

  std::size_t max_body_;
  std::size_t taken_ = 0;
  PlainOutcome& out_;
};

std::string millis_text(PlainClock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

}  // namespace plain

// --- URLs ----------------------------------------------------------------------

std::optional<PlainUrl> parse_plain_url(std::string_view url) {
  if (!plain::has_scheme_prefix(url, "http://")) return std::nullopt;
  url = url.substr(0, url.find('#'));
  std::string_view rest = url.substr(7);
  auto auth_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, auth_end);
  std::string_view path_query = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;

  PlainUrl u;
  std::string_view host, port;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    host = authority.substr(1, close - 1);
    for (char c : host) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return std::nullopt;
    }
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
      if (port.empty()) return std::nullopt;
    }
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), plain::reg_name_char)) return std::nullopt;
  }
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value < 1 || value > 65535) return std::nullopt;
    u.port = static_cast<std::uint16_t>(value);
  }
  for (char c : path_query) {
    auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7f) return std::nullopt;
  }
  u.host = std::string(host);
  // curl leaves the port out of Host when it is the scheme's default.
  u.host_header = authority.front() == '[' ? "[" + u.host + "]" : u.host;
  if (u.port != 80) u.host_header += ":" + std::to_string(u.port);
  auto q = path_query.find('?');
  std::string path = plain::remove_dot_segments(path_query.substr(0, q));
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  u.target = std::move(path);
  if (q != std::string_view::npos) u.target += path_query.substr(q);
  u.normalized.reserve(7 + authority.size() + u.target.size());
  u.normalized = "http://";
  u.normalized += authority;
  u.normalized += u.target;
  return u;
}

std::string resolve_location(std::string_view base, std::string_view location) {
  while (!location.empty() && (location.front() == ' ' || location.front() == '\t')) location.remove_prefix(1);
  while (!location.empty() && (location.back() == ' ' || location.back() == '\t')) location.remove_suffix(1);
  location = location.substr(0, location.find('#'));
  if (location.empty()) return {};
  base = base.substr(0, base.find('#'));
  // scheme ":" ...: already absolute.
  auto colon = location.find(':');
  if (colon != std::string_view::npos && colon > 0 && std::isalpha(static_cast<unsigned char>(location.front())) &&
      location.find_first_of("/?") > colon &&
      std::all_of(location.begin(), location.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
      })) {
    return plain::encode_unsafe(location);
  }
  auto scheme_end = base.find("://");
  if (scheme_end == std::string_view::npos) return {};
  if (location.starts_with("//")) return plain::encode_unsafe(std::string(base.substr(0, scheme_end + 1)) + std::string(location));
  auto path_start = base.find_first_of("/?", scheme_end + 3);
  std::string_view origin = base.substr(0, path_start);
  std::string_view base_path_query = path_start == std::string_view::npos ? std::string_view{} : base.substr(path_start);
  std::string_view base_path = base_path_query.substr(0, base_path_query.find('?'));
  std::string out(origin);
  if (location.front() == '/') {
    out += location;
  } else if (location.front() == '?') {
    out += base_path.empty() ? std::string_view("/") : base_path;
    out += location;
  } else {
    auto slash = base_path.rfind('/');
    out += slash == std::string_view::npos ? std::string_view("/") : base_path.substr(0, slash + 1);
    out += location;
  }
  // Dot segments of the merged path go (parse_plain_url or curl do the same).
  auto q = out.find('?', origin.size());
  std::string path = plain::remove_dot_segments(std::string_view(out).substr(origin.size(), q - origin.size()));
  std::string merged(origin);
  merged += path;
  if (q != std::string::npos) merged += std::string_view(out).substr(q);
  return plain::encode_unsafe(merged);
}

// --- state -------------------------------------------------------------------

struct PlainHttpClient::Attempt {
  Attempt(asio::io_context& io, void* t, PlainStart s) : tag(t), request(std::move(s)), timer(io) {}
  void* tag;
  PlainStart request;
  PlainUrl url;
  int redirects_done = 0;
  PlainClock::time_point started{};
  PlainClock::time_point deadline{};  // of the whole attempt
  asio::steady_timer timer;
  std::uint64_t timer_seq = 0;  // which wait is current (a stale expiry is ignored)
  enum class Phase { Waiting, Resolving, Connecting, Exchanging } phase = Phase::Waiting;
  bool finished = false;
  bool cancelled = false;
  bool replaced_stale = false;  // a dead kept-alive connection was replaced once already
  std::size_t received = 0;     // bytes of answers received on this attempt
  std::shared_ptr<Conn> conn;
  Host* host = nullptr;
};

struct PlainHttpClient::Conn {
  Conn(asio::io_context& io, Host* h) : socket(io), resolver(io), host(h) {}
  tcp::socket socket;
  tcp::resolver resolver;
  Host* host;
  std::vector<tcp::endpoint> endpoints;
  std::string refused_address;
  std::string connect_error;
  std::shared_ptr<Attempt> attempt;  // the request on it, if any
  std::optional<plain::ResponseParser> parser;
  PlainOutcome out;  // the answer being read
  std::string wire;  // request bytes (capacity kept)
  std::vector<char> in = std::vector<char>(plain::kReadChunk);
  std::size_t in_len = 0;
  std::size_t requests = 0;  // requests written on it (more than one: it was kept alive)
  bool connected = false;
  bool reading = false;
  bool closed = false;
};

struct PlainHttpClient::Host {
  std::string name;
  std::uint16_t port = 80;
  std::size_t open = 0;  // connections counted against max_connections_per_host
  std::vector<std::shared_ptr<Conn>> idle;
  std::deque<std::shared_ptr<Attempt>> waiting;
};

PlainHttpClient::PlainHttpClient(asio::io_context& io, const ClientConfig& config, Done done)
    : io_(io), config_(config), done_(std::move(done)) {}

PlainHttpClient::~PlainHttpClient() { shutdown(); }

void PlainHttpClient::shutdown() {
  if (down_) return;
  down_ = true;
  for (auto& [key, host] : hosts_) {
    for (auto& a : host->waiting) {
      a->finished = true;
      a->timer.cancel();
    }
  }
  for (auto& [raw, weak] : conns_) {
    auto c = weak.lock();
    if (!c) continue;
    if (auto a = c->attempt) {
      a->finished = true;
      a->timer.cancel();
    }
    close(c);  // down_: only the socket
  }
  conns_.clear();
  hosts_.clear();
}

PlainHttpClient::Host& PlainHttpClient::host_for(const PlainUrl& url) {
  std::string key = url.host;
  key += ':';
  key += std::to_string(url.port);
  auto& slot = hosts_[key];
  if (!slot) {
    slot = std::make_unique<Host>();
    slot->name = url.host;
    slot->port = url.port;
  }
  return *slot;
}

std::shared_ptr<PlainHttpClient::Attempt> PlainHttpClient::start(void* tag, PlainStart request) {
  auto a = std::make_shared<Attempt>(io_, tag, std::move(request));
  a->started = PlainClock::now();
  a->deadline = a->started + a->request.total_timeout;
  in_start_ = true;
  if (auto url = parse_plain_url(a->request.url); !url || down_) {
    fail(a, {11205, ""}, url ? "client stopped" : "not a plain http URL: " + a->request.url);
  } else {
    a->url = std::move(*url);
    begin(a);
  }
  in_start_ = false;
  return a;
}

void PlainHttpClient::begin(const std::shared_ptr<Attempt>& a) {
  Host& host = host_for(a->url);
  a->host = &host;
  while (!host.idle.empty()) {
    auto c = std::move(host.idle.back());
    host.idle.pop_back();
    if (c->closed) continue;
    arm_timer(a, a->deadline, 3);
    a->phase = Attempt::Phase::Exchanging;
    assign(c, a);
    return;
  }
  if (host.open < config_.max_connections_per_host) {
    connect(host, a);
    return;
  }
  // Every connection to this host is busy: wait for one (within ct).
  a->phase = Attempt::Phase::Waiting;
  arm_timer(a, std::min(a->deadline, PlainClock::now() + a->request.connect_timeout), 0);
  host.waiting.push_back(a);
}

void PlainHttpClient::arm_timer(const std::shared_ptr<Attempt>& a, PlainClock::time_point at, int phase) {
  (void)phase;
  const std::uint64_t current = ++a->timer_seq;
  a->timer.expires_at(at);
  a->timer.async_wait([this, a, current](const boost::system::error_code& ec) {
    if (ec || a->finished || a->timer_seq != current) return;
    on_timeout(a);
  });
}

void PlainHttpClient::on_timeout(const std::shared_ptr<Attempt>& a) {
  const auto elapsed = plain::millis_text(PlainClock::now() - a->started);
  switch (a->phase) {
    case Attempt::Phase::Waiting: {
      if (a->host) {
        auto& w = a->host->waiting;
        w.erase(std::remove(w.begin(), w.end(), a), w.end());
      }
      return fail(a, {11205, "ct"}, "Connection timed out after " + elapsed + " milliseconds (no free connection)");
    }
    case Attempt::Phase::Resolving:
      return fail(a, {11210, "ct"}, "Resolving timed out after " + elapsed + " milliseconds");
    case Attempt::Phase::Connecting:
      return fail(a, {11205, "ct"}, "Connection timed out after " + elapsed + " milliseconds");
    case Attempt::Phase::Exchanging:
      return fail(a, {11200, "rt"}, "Operation timed out after " + elapsed + " milliseconds with " +
                                        std::to_string(a->received) + " bytes received");
  }
}

void PlainHttpClient::connect(Host& host, const std::shared_ptr<Attempt>& a) {
  ++host.open;
  auto c = std::make_shared<Conn>(io_, &host);
  conns_.emplace(c.get(), c);
  c->attempt = a;
  a->conn = c;
  arm_timer(a, std::min(a->deadline, PlainClock::now() + a->request.connect_timeout), 1);
  boost::system::error_code ec;
  auto literal = asio::ip::make_address(host.name, ec);
  if (!ec) {
    c->endpoints.emplace_back(literal, host.port);
    a->phase = Attempt::Phase::Connecting;
    return try_endpoints(c, 0);
  }
  a->phase = Attempt::Phase::Resolving;
  c->resolver.async_resolve(host.name, std::to_string(host.port),
                            [this, c](const boost::system::error_code& rec, tcp::resolver::results_type results) {
                              if (c->closed) return;
                              auto a = c->attempt;
                              if (!a || a->finished) return;
                              if (rec || results.empty()) {
                                return fail(a, {11210, "ct"}, "Could not resolve host: " + c->host->name);
                              }
                              for (const auto& r : results) c->endpoints.push_back(r.endpoint());
                              a->phase = Attempt::Phase::Connecting;
                              try_endpoints(c, 0);
                            });
}

void PlainHttpClient::try_endpoints(const std::shared_ptr<Conn>& c, std::size_t index) {
  auto a = c->attempt;
  if (!a || a->finished) return;
  // The SSRF guard judges each address before a socket is opened for it.
  while (index < c->endpoints.size() && config_.refuse_private_addresses &&
         is_private_address(c->endpoints[index].data())) {
    c->refused_address = address_text(c->endpoints[index].data());
    ++index;
  }
  if (index >= c->endpoints.size()) {
    if (!c->refused_address.empty() && c->connect_error.empty()) {
      PlainOutcome o;
      o.kind = PlainOutcome::Kind::Failed;
      o.failure = {11205, ""};
      o.refused_address = c->refused_address;
      o.message = "connecting to " + c->refused_address + " is not allowed";
      return finish(a, std::move(o));
    }
    return fail(a, {11205, "ct"},
                "Failed to connect to " + c->host->name + " port " + std::to_string(c->host->port) + " after " +
                    plain::millis_text(PlainClock::now() - a->started) + " ms: " +
                    (c->connect_error.empty() ? std::string("Couldn't connect to server") : c->connect_error));
  }
  boost::system::error_code ec;
  if (c->socket.is_open()) c->socket.close(ec);
  const auto& endpoint = c->endpoints[index];
  c->socket.open(endpoint.protocol(), ec);
  if (!ec) c->socket.set_option(tcp::no_delay(true), ec);
  if (ec) {
    c->connect_error = ec.message();
    return try_endpoints(c, index + 1);
  }
  c->socket.async_connect(endpoint, [this, c, index](const boost::system::error_code& cec) {
    if (c->closed) return;
    auto a = c->attempt;
    if (!a || a->finished) return;
    if (cec) {
      c->connect_error = cec.message();
      return try_endpoints(c, index + 1);
    }
    c->connected = true;
    boost::system::error_code ignored;
    c->socket.non_blocking(true, ignored);
    a->phase = Attempt::Phase::Exchanging;
    arm_timer(a, a->deadline, 3);
    send_request(c);
  });
}

void PlainHttpClient::assign(const std::shared_ptr<Conn>& c, const std::shared_ptr<Attempt>& a) {
  c->attempt = a;
  a->conn = c;
  send_request(c);
}

void PlainHttpClient::send_request(const std::shared_ptr<Conn>& c) {
  auto& a = *c->attempt;
  const PlainStart& r = a.request;
  std::string& w = c->wire;
  w.clear();
  w += r.get ? "GET " : "POST ";
  w += a.url.target;
  w += " HTTP/1.1\r\nHost: ";
  w += a.url.host_header;
  w += "\r\nUser-Agent: ";
  w += config_.user_agent;
  w += "\r\n";
  if (r.headers) w += *r.headers;
  if (!r.get) {
    w += "Content-Length: ";
    w += std::to_string(r.body ? r.body->size() : 0);
    w += "\r\n\r\n";
    if (r.body) w += *r.body;
  } else {
    w += "\r\n";
  }
  ++c->requests;
  c->out = PlainOutcome{};
  c->parser.emplace(config_.max_body, c->out);
  // Usually the whole request fits the socket buffer at once: no wait.
  boost::system::error_code ec;
  std::size_t sent = c->socket.send(asio::buffer(w), 0, ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    ec = {};
    sent = 0;
  }
  if (ec) return on_transport_error(c, ec, true);
  if (sent < w.size()) {
    asio::async_write(c->socket, asio::buffer(w.data() + sent, w.size() - sent),
                      [this, c](const boost::system::error_code& wec, std::size_t) {
                        if (c->closed || !c->attempt || c->attempt->finished) return;
                        if (wec) on_transport_error(c, wec, true);
                      });
  }
  if (!c->reading) read(c);
}

void PlainHttpClient::read(const std::shared_ptr<Conn>& c) {
  if (c->in.size() - c->in_len < 4096) c->in.resize(std::max(c->in.size() * 2, c->in_len + plain::kReadChunk));
  c->reading = true;
  c->socket.async_read_some(asio::buffer(c->in.data() + c->in_len, c->in.size() - c->in_len),
                            [this, c](const boost::system::error_code& ec, std::size_t n) { on_read(c, ec, n); });
}

void PlainHttpClient::on_read(const std::shared_ptr<Conn>& c, const boost::system::error_code& ec, std::size_t n) {
  c->reading = false;
  if (c->closed) return;
  auto a = c->attempt;
  if (!a) {
    // Idle: the server closed it (or sent what nobody asked for).
    return close(c);
  }
  if (a->finished) return close(c);
  if (ec) return on_transport_error(c, ec, false);
  c->in_len += n;
  a->received += n;
  while (true) {
    boost::beast::error_code pec;
    std::size_t used = c->parser->put(asio::buffer(c->in.data(), c->in_len), pec);
    if (used > 0) {
      std::memmove(c->in.data(), c->in.data() + used, c->in_len - used);
      c->in_len -= used;
    }
    if (pec == bhttp::error::need_more) break;
    if (pec == bhttp::error::body_limit && c->parser->too_large) {
      // Over max_body: the answer ends here, the connection with it.
      PlainOutcome o = std::move(c->out);
      o.kind = PlainOutcome::Kind::Response;
      o.status = c->parser->status;
      o.too_large = true;
      o.url = a->url.normalized;
      close(c);
      return finish(a, std::move(o));
    }
    if (pec == bhttp::error::body_limit) {
      // A redirect's body over max_body: follow it without reading the rest.
      c->in_len = 0;
      return on_response(c);
    }
    if (pec) {
      close(c);
      return fail(a, {11206, "rt"}, "Weird server reply: " + pec.message());
    }
    if (!c->parser->is_done()) break;
    if (c->parser->status / 100 == 1) {
      c->parser.emplace(config_.max_body, c->out);  // an interim answer: the final one follows
      if (c->in_len == 0) break;
      continue;
    }
    return on_response(c);
  }
  read(c);
}

void PlainHttpClient::on_transport_error(const std::shared_ptr<Conn>& c, const boost::system::error_code& ec,
                                         bool writing) {
  auto a = c->attempt;
  const bool got_some = c->parser && c->parser->got_some();
  if (!writing && ec == asio::error::eof && got_some && c->parser->need_eof()) {
    // An answer delimited by the end of the connection.
    boost::beast::error_code pec;
    c->parser->put_eof(pec);
    if (!pec && c->parser->is_done()) return on_response(c);
  }
  const bool nothing_back = !got_some && c->in_len == 0;
  close(c);
  if (!a || a->finished) return;
  if (nothing_back && c->requests > 1 && !a->replaced_stale) {
    // The kept-alive connection was dead already: once more on a new one.
    a->replaced_stale = true;
    a->conn.reset();
    if (a->host) {
      if (a->host->open < config_.max_connections_per_host) return connect(*a->host, a);
      a->phase = Attempt::Phase::Waiting;
      arm_timer(a, std::min(a->deadline, PlainClock::now() + a->request.connect_timeout), 0);
      a->host->waiting.push_front(a);
      return;
    }
  }
  if (nothing_back) {
    if (ec == asio::error::eof) return fail(a, {11205, "rt"}, "Empty reply from server");
    return fail(a, {11205, "rt"}, std::string(writing ? "Send failure: " : "Recv failure: ") + ec.message());
  }
  if (ec == asio::error::eof) return fail(a, {11206, "rt"}, "Transfer closed with the answer incomplete");
  return fail(a, {11205, "rt"}, "Recv failure: " + ec.message());
}

void PlainHttpClient::on_response(const std::shared_ptr<Conn>& c) {
  auto a = c->attempt;
  auto& p = *c->parser;
  const int status = p.status;
  const bool reusable = p.is_done() && p.keep_alive() && c->in_len == 0;
  if (!p.discard) {
    PlainOutcome o = std::move(c->out);
    o.kind = PlainOutcome::Kind::Response;
    o.status = status;
    o.url = a->url.normalized;
    release(c, reusable);
    return finish(a, std::move(o));
  }
  // A redirect.
  std::string location = std::move(p.location);
  release(c, reusable);
  if (a->redirects_done >= a->request.max_redirects) {
    return fail(a, {11215, ""}, "Maximum (" + std::to_string(a->request.max_redirects) + ") redirects followed");
  }
  ++a->redirects_done;
  std::string next = resolve_location(a->url.normalized, location);
  if (next.empty()) return fail(a, {11206, "rt"}, "Unusable Location in a " + std::to_string(status) + " answer");
  if (status == 303 || ((status == 301 || status == 302) && !a->request.get)) a->request.get = true;
  if (auto u = parse_plain_url(next)) {
    a->url = std::move(*u);
    a->received = 0;
    return begin(a);
  }
  if (plain::has_scheme_prefix(next, "http://") || plain::has_scheme_prefix(next, "https://")) {
    PlainOutcome o;
    o.kind = PlainOutcome::Kind::Handover;
    o.url = std::move(next);
    o.get = a->request.get;
    o.redirects_left = a->request.max_redirects - a->redirects_done;
    return finish(a, std::move(o));
  }
  fail(a, {11206, "rt"}, "Protocol not supported or disabled in libcurl: redirect to " + next.substr(0, next.find(':')));
}

void PlainHttpClient::release(const std::shared_ptr<Conn>& c, bool reusable) {
  if (c->attempt) c->attempt->conn.reset();
  c->attempt.reset();
  c->parser.reset();
  if (!reusable || down_) return close(c);
  Host& host = *c->host;
  while (!host.waiting.empty()) {
    auto next = std::move(host.waiting.front());
    host.waiting.pop_front();
    if (next->finished) continue;
    next->phase = Attempt::Phase::Exchanging;
    arm_timer(next, next->deadline, 3);
    return assign(c, next);
  }
  host.idle.push_back(c);
  if (!c->reading) read(c);  // notices the server closing it meanwhile
}

void PlainHttpClient::close(const std::shared_ptr<Conn>& c) {
  if (c->closed) return;
  c->closed = true;
  boost::system::error_code ignored;
  c->resolver.cancel();
  c->socket.close(ignored);
  if (c->attempt) c->attempt->conn.reset();
  c->attempt.reset();
  if (down_) return;
  conns_.erase(c.get());
  Host& host = *c->host;
  --host.open;
  auto& idle = host.idle;
  idle.erase(std::remove(idle.begin(), idle.end(), c), idle.end());
  // A place for a waiting request.
  while (!host.waiting.empty() && host.open < config_.max_connections_per_host) {
    auto next = std::move(host.waiting.front());
    host.waiting.pop_front();
    if (next->finished) continue;
    connect(host, next);
    break;
  }
}

void PlainHttpClient::cancel(const std::shared_ptr<Attempt>& a) {
  if (!a) return;
  a->cancelled = true;
  if (a->finished) return;
  a->finished = true;
  a->timer.cancel();
  if (down_) return;
  if (auto c = a->conn) {
    a->conn.reset();
    close(c);  // a request may be in flight on it
  } else if (a->host) {
    auto& w = a->host->waiting;
    w.erase(std::remove(w.begin(), w.end(), a), w.end());
  }
}

void PlainHttpClient::fail(const std::shared_ptr<Attempt>& a, FailureClass cls, std::string message) {
  PlainOutcome o;
  o.kind = PlainOutcome::Kind::Failed;
  o.failure = cls;
  o.message = std::move(message);
  finish(a, std::move(o));
}

void PlainHttpClient::finish(const std::shared_ptr<Attempt>& a, PlainOutcome outcome) {
  if (a->finished) return;
  if (auto c = a->conn) {
    a->conn.reset();
    close(c);
  }
  a->finished = true;
  a->timer.cancel();
  if (in_start_) {
    // Failed before start() returned: report from the loop, unless cancelled meanwhile.
    asio::post(io_, [this, a, o = std::move(outcome)]() mutable {
      if (!a->cancelled) done_(a->tag, std::move(o));
    });
    return;
  }
  done_(a->tag, std::move(outcome));
}

}  // namespace callwire::webhook::detail
