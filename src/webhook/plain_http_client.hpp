#pragma once
// The webhook client's lane for plain http:// URLs (no TLS, no credentials in
// the URL): HTTP/1.1 over Asio TCP sockets on the caller's io_context, so a
// webhook costs a write and a read on a kept-alive connection and nothing
// else. Internal to webhook::Client, which keeps libcurl for https:// (peer
// verification), for user:pass@ URLs (401 challenges) and in thread mode.
//
// It behaves as the curl lane does (client.hpp): connections kept alive per
// host:port, at most max_connections_per_host open (more requests wait, the
// wait counting against their connect timeout); TCP_NODELAY; the SSRF guard
// on every address connected to; a connection that the server closed while
// it was idle, or that fails before any byte of the answer came back, is
// replaced once without counting as an attempt; interim 1xx answers are
// skipped; redirects within max_redirects (301/302/303 turn a POST into a
// GET, 307/308 repeat it; the same custom headers on every request); a
// redirect to https:// or to a URL with credentials is handed back to the
// caller (Outcome::Handover) to continue with curl; the body over max_body
// stops the transfer (too_large). DNS names are resolved with Asio's
// resolver (getaddrinfo on its own thread), IP literals directly.
//
// All calls on the io_context's thread.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "webhook/client.hpp"
#include "webhook/failure_map.hpp"

namespace callwire::webhook::detail {

// http://host[:port][/path][?query], split for the wire. Only the http scheme
// (any case), no userinfo, an ASCII host; the fragment is dropped.
struct PlainUrl {
  std::string host;         // as written, without brackets for IPv6
  std::uint16_t port = 80;
  std::string host_header;  // the authority as written (the Host header)
  std::string target;       // path (dot segments removed, "/" when empty) and query
  std::string normalized;   // "http://" + host_header + target: the effective URL
};
std::optional<PlainUrl> parse_plain_url(std::string_view url);

// A Location header resolved against the URL it answered (RFC 3986 §5.2);
// absolute results only. Empty when `location` is empty or unusable.
std::string resolve_location(std::string_view base, std::string_view location);

struct PlainStart {
  bool get = false;
  std::string url;                       // plain (parse_plain_url accepts it)
  const std::string* body = nullptr;     // POST body; outlives the attempt
  const std::string* headers = nullptr;  // "Name: value\r\n" lines sent after Host and User-Agent
  std::chrono::milliseconds connect_timeout{};  // each connection
  std::chrono::milliseconds total_timeout{};    // the attempt, redirects included
  int max_redirects = 0;
};

struct PlainOutcome {
  enum class Kind { Response, Failed, Handover };
  Kind kind = Kind::Failed;
  // Response: the final answer (any status); too_large when its body passed
  // max_body (body holds what was read, status is known).
  int status = 0;
  bool too_large = false;
  std::string content_type;
  std::string url;  // effective URL (Response) or where curl continues (Handover)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Failed: what the transfer ran into.
  FailureClass failure;
  std::string message;
  std::string refused_address;  // the SSRF guard refused every address (11205)
  // Handover: the method and redirect budget to continue with.
  bool get = false;
  int redirects_left = 0;
};

class PlainHttpClient {
 public:
  struct Attempt;
  // `done(tag, outcome)` runs once per attempt that is not cancelled, never
  // inside start().
  using Done = std::function<void(void* tag, PlainOutcome)>;

  PlainHttpClient(boost::asio::io_context& io, const ClientConfig& config, Done done);
  ~PlainHttpClient();  // shutdown()
  PlainHttpClient(const PlainHttpClient&) = delete;
  PlainHttpClient& operator=(const PlainHttpClient&) = delete;

  std::shared_ptr<Attempt> start(void* tag, PlainStart request);
  // Ends the attempt without calling `done`; its connection is closed when a
  // request was in flight on it.
  void cancel(const std::shared_ptr<Attempt>& attempt);
  // Closes every connection; attempts still running are dropped silently
  // (the caller fails them).
  void shutdown();

  struct Conn;
  struct Host;

 private:
  friend struct Conn;
  Host& host_for(const PlainUrl& url);
  void begin(const std::shared_ptr<Attempt>& a);
  void connect(Host& host, const std::shared_ptr<Attempt>& a);
  void try_endpoints(const std::shared_ptr<Conn>& c, std::size_t index);
  void assign(const std::shared_ptr<Conn>& c, const std::shared_ptr<Attempt>& a);
  void send_request(const std::shared_ptr<Conn>& c);
  void read(const std::shared_ptr<Conn>& c);
  void on_read(const std::shared_ptr<Conn>& c, const boost::system::error_code& ec, std::size_t n);
  void on_response(const std::shared_ptr<Conn>& c);
  void on_transport_error(const std::shared_ptr<Conn>& c, const boost::system::error_code& ec, bool writing);
  void release(const std::shared_ptr<Conn>& c, bool reusable);
  void close(const std::shared_ptr<Conn>& c);
  void arm_timer(const std::shared_ptr<Attempt>& a, std::chrono::steady_clock::time_point at, int phase);
  void on_timeout(const std::shared_ptr<Attempt>& a);
  void finish(const std::shared_ptr<Attempt>& a, PlainOutcome outcome);
  void fail(const std::shared_ptr<Attempt>& a, FailureClass cls, std::string message);

  boost::asio::io_context& io_;
  const ClientConfig& config_;
  Done done_;
  std::unordered_map<std::string, std::unique_ptr<Host>> hosts_;  // by "host:port"
  std::unordered_map<Conn*, std::weak_ptr<Conn>> conns_;           // every open connection
  bool down_ = false;
  bool in_start_ = false;
};

}  // namespace callwire::webhook::detail
