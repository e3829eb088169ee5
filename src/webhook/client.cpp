#include "webhook/client.hpp"

#include <curl/curl.h>
#include <sys/socket.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/log.hpp"
#include "core/random.hpp"
#include "webhook/address_guard.hpp"
#include "webhook/curl_loop.hpp"
#include "webhook/failure_map.hpp"
#include "webhook/plain_http_client.hpp"
#include "webhook/signature.hpp"

namespace callwire::webhook {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kSnippet = 1024;

// 8-4-4-4-12 lowercase hex, like the UUIDs Twilio's tokens resemble.
std::string new_idempotency_token() {
  std::string token = random_hex(32);
  token.reserve(36);
  for (std::size_t at : {8u, 13u, 18u, 23u}) token.insert(token.begin() + static_cast<std::ptrdiff_t>(at), '-');
  return token;
}

bool iequals_ascii(std::string_view a, std::string_view upper) {
  if (a.size() != upper.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != upper[i]) return false;
  }
  return true;
}

}  // namespace

// Named, not anonymous: Client::Impl holds Transfers, and a member of a class
// with external linkage must not have a type with internal linkage.
namespace detail {

// How one attempt ended, from either lane (curl or the Asio lane for plain http).
struct AttemptEnd {
  bool complete = false;  // an answer arrived whole (its status is final)
  int status = 0;         // of the last answer, 0 when none arrived
  bool too_large = false; // its body passed max_body
  std::string refused_address;  // the SSRF guard refused every address
  detail::FailureClass transport{};  // otherwise, when not complete: the transport failure
  std::string transport_message;
  std::string content_type;  // when complete
  std::string url;           // effective URL, when complete
};

struct Transfer {
  Request request;
  std::function<void(Outcome)> done;
  const ClientConfig* config = nullptr;
  ParsedUrl parsed;
  bool get = false;
  std::string target_url;  // what is requested and signed
  std::string body;
  std::string signature;
  curl_slist* headers = nullptr;
  CURL* easy = nullptr;
  bool in_multi = false;  // easy is added to the multi handle
  // Loop mode with a plain http:// URL: attempts start on the Asio lane.
  bool plain_lane = false;
  std::string plain_headers;  // the custom headers as request lines
  std::shared_ptr<detail::PlainHttpClient::Attempt> plain;  // the lane's attempt in flight
  int attempts = 0;
  Clock::time_point started{};
  Clock::time_point deadline{};
  Clock::time_point attempt_deadline{};
  // Per attempt:
  std::string response_body;
  std::vector<std::pair<std::string, std::string>> response_headers;
  bool too_large = false;
  std::string refused_address;
  char errbuf[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (headers != nullptr) curl_slist_free_all(headers);
  }
  void reset_attempt() {
    response_body.clear();
    response_headers.clear();
    too_large = false;
    refused_address.clear();
    errbuf[0] = '\0';
  }
};

}  // namespace detail

namespace {

using detail::AttemptEnd;
using detail::Transfer;

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t bytes = size * n;
  if (t->response_body.size() + bytes > t->config->max_body) {
    t->too_large = true;
    return 0;  // CURLE_WRITE_ERROR
  }
  t->response_body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    t->response_headers.clear();  // a new response (after a redirect or a 100)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
    auto value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    t->response_headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * n;
}

curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(user);
  if (t->config->refuse_private_addresses && is_private_address(&address->addr)) {
    t->refused_address = address_text(&address->addr);
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace

struct Client::Impl {
  ClientConfig config;
  std::shared_ptr<spdlog::logger> log = callwire::log::get("webhook");
  CURLM* multi = nullptr;
  std::mutex mutex;
  std::vector<std::unique_ptr<Transfer>> queue;  // guarded by mutex
  bool stopping = false;                         // guarded by mutex
  bool joined = false;                           // guarded by join_mutex
  std::mutex join_mutex;
  std::unordered_map<Transfer*, std::unique_ptr<Transfer>> active;  // client thread (or loop) only
  std::thread thread;
  // Loop mode (no thread): the io_context that drives curl.
  boost::asio::io_context* loop = nullptr;
  std::unique_ptr<CurlLoop> driver;
  std::unique_ptr<detail::PlainHttpClient> plain;  // loop mode: plain http:// without curl
  std::atomic<bool> loop_stopped{false};

  Impl(ClientConfig c, boost::asio::io_context* io) : config(std::move(c)), loop(io) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(config.max_connections_per_host));
    if (loop != nullptr) {
      driver = std::make_unique<CurlLoop>(*loop, multi, [this] { collect(); });
      plain = std::make_unique<detail::PlainHttpClient>(
          *loop, config, [this](void* tag, detail::PlainOutcome o) { on_plain(*static_cast<Transfer*>(tag), std::move(o)); });
    } else {
      thread = std::thread([this] { run(); });
    }
  }

  ~Impl() {
    if (multi != nullptr) curl_multi_cleanup(multi);  // closes pooled connections through the driver
    driver.reset();
    curl_global_cleanup();
  }

  void run() {
    while (true) {
      std::vector<std::unique_ptr<Transfer>> incoming;
      {
        std::lock_guard lock(mutex);
        if (stopping) break;
        incoming.swap(queue);
      }
      for (auto& t : incoming) start(std::move(t));
      int running = 0;
      curl_multi_perform(multi, &running);
      collect();
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    // Stopped: everything still here fails, once.
    std::vector<std::unique_ptr<Transfer>> rest;
    {
      std::lock_guard lock(mutex);
      rest.swap(queue);
    }
    for (auto& [ptr, t] : active) {
      if (t->in_multi) curl_multi_remove_handle(multi, t->easy);
      rest.push_back(std::move(t));
    }
    active.clear();
    for (auto& t : rest) {
      deliver(*t, std::unexpected(make_failure(*t, 11205, "client stopped")));
    }
  }

  void deliver(Transfer& t, Outcome outcome) {
    try {
      t.done(std::move(outcome));
    } catch (const std::exception& e) {
      log->error("webhook completion handler threw: {}", e.what());
    } catch (...) {
      log->error("webhook completion handler threw");
    }
  }

  static Failure make_failure(const Transfer& t, int code, std::string message) {
    Failure f;
    f.error_code = code;
    f.message = std::move(message);
    f.url = t.parsed.url_without_fragment.empty() ? t.request.url.substr(0, t.request.url.find('#'))
                                                  : t.parsed.url_without_fragment;
    return f;
  }

  void fail_now(std::unique_ptr<Transfer> t, int code, std::string message) {
    deliver(*t, std::unexpected(make_failure(*t, code, std::move(message))));
  }

  void start(std::unique_ptr<Transfer> t) {
    t->config = &config;
    auto parsed = parse_webhook_url(t->request.url, config.defaults);
    if (!parsed) return fail_now(std::move(t), parsed.error().code.value(), parsed.error().what());
    t->parsed = std::move(*parsed);
    const std::string& method = t->request.method;
    t->get = iequals_ascii(method, "GET");
    if (!t->get && !iequals_ascii(method, "POST")) {
      std::string shown = method;
      for (char& c : shown) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return fail_now(std::move(t), 11100, "unsupported method " + shown);
    }
    if (t->request.idempotency_token.empty()) t->request.idempotency_token = new_idempotency_token();

    if (t->get) {
      t->target_url = append_query(t->parsed.url_without_fragment, t->request.params);
      t->signature = sign(t->target_url, {}, t->request.auth_token);
    } else {
      t->target_url = t->parsed.url_without_fragment;
      t->body = form_encode(t->request.params);
      t->signature = sign(t->target_url, t->request.params, t->request.auth_token);
    }
    t->plain_lane = plain != nullptr && detail::parse_plain_url(t->target_url).has_value();
    if (t->plain_lane) {
      std::string& h = t->plain_headers;
      h.reserve(160);
      h += "X-Twilio-Signature: ";
      h += t->signature;
      h += "\r\nI-Twilio-Idempotency-Token: ";
      h += t->request.idempotency_token;
      h += "\r\nAccept: */*\r\n";
      if (!t->get) h += "Content-Type: application/x-www-form-urlencoded\r\n";
    } else if (!setup_curl(*t, t->target_url, t->get, config.max_redirects)) {
      return fail_now(std::move(t), 11205, "out of memory creating a transfer");
    }

    t->started = Clock::now();
    t->deadline = t->started + std::chrono::milliseconds(t->parsed.overrides.total_timeout_ms);
    Transfer* raw = t.get();
    active.emplace(raw, std::move(t));
    if (!launch(*raw)) complete(*raw, std::unexpected(make_failure(*raw, 11200, "no time left")));
  }

  // The curl easy handle for `url` with `get` or the POST body, following at
  // most `max_redirects`. Created once per transfer; set again when the Asio
  // lane hands a redirect over (to https:// or a URL with credentials).
  bool setup_curl(Transfer& t, const std::string& url, bool get, int max_redirects) {
    if (t.headers == nullptr) {
      auto add = [&](const std::string& line) { t.headers = curl_slist_append(t.headers, line.c_str()); };
      add("X-Twilio-Signature: " + t.signature);
      add("I-Twilio-Idempotency-Token: " + t.request.idempotency_token);
      add("Accept: */*");
      if (!t.get) add("Content-Type: application/x-www-form-urlencoded");
      add("Expect:");  // no 100-continue round trip
    }
    CURL* e = t.easy;
    if (e == nullptr) {
      e = t.easy = curl_easy_init();
      if (e == nullptr) return false;
      if (driver) driver->adopt(e);
      curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
      curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(e, CURLOPT_PROXY, "");
      curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
      curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
      curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(e, CURLOPT_USERAGENT, config.user_agent.c_str());
      // user:pass@ URLs: first request without credentials, then answer the
      // 401's Basic or Digest challenge (what Twilio documents).
      curl_easy_setopt(e, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC | CURLAUTH_DIGEST));
      curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
      curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
      curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
      curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
      curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
      curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
      curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &t);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
      if (!config.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, config.ca_file.c_str());
      curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(config.max_body));
      curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errbuf);
    }
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, static_cast<long>(max_redirects));
    if (get) {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t.body.size()));
      curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.body.c_str());
    }
    return true;
  }

  // Starts an attempt within what is left of `tt`. False when no time is left.
  bool launch(Transfer& t) {
    const auto now = Clock::now();
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(t.deadline - now).count();
    if (left < 1) return false;
    const Overrides& o = t.parsed.overrides;
    ++t.attempts;
    t.reset_attempt();
    const long long connect_ms = std::min<long long>(o.connect_timeout_ms, left);
    const long long total_ms = std::min<long long>(o.connect_timeout_ms + o.read_timeout_ms, left);
    t.attempt_deadline = now + std::chrono::milliseconds(total_ms);
    if (t.plain_lane) {
      detail::PlainStart s;
      s.get = t.get;
      s.url = t.target_url;
      s.body = &t.body;
      s.headers = &t.plain_headers;
      s.connect_timeout = std::chrono::milliseconds(connect_ms);
      s.total_timeout = std::chrono::milliseconds(total_ms);
      s.max_redirects = config.max_redirects;
      t.plain = plain->start(&t, std::move(s));
      return true;
    }
    add_to_multi(t, connect_ms, total_ms);
    return true;
  }

  void add_to_multi(Transfer& t, long long connect_ms, long long total_ms) {
    curl_easy_setopt(t.easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_ms));
    curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, static_cast<long>(total_ms));
    curl_multi_add_handle(multi, t.easy);
    t.in_multi = true;
  }

  // The Asio lane ended an attempt.
  void on_plain(Transfer& t, detail::PlainOutcome o) {
    t.plain.reset();
    AttemptEnd e;
    switch (o.kind) {
      case detail::PlainOutcome::Kind::Handover: {
        // A redirect to https:// or to credentials: curl goes on from there,
        // within what is left of this attempt.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(t.attempt_deadline - Clock::now()).count();
        if (left >= 1 && setup_curl(t, o.url, o.get, o.redirects_left)) {
          add_to_multi(t, std::min<long long>(t.parsed.overrides.connect_timeout_ms, left), left);
          return;
        }
        e.transport = {11200, "rt"};
        e.transport_message = "Operation timed out before following a redirect to " + o.url;
        break;
      }
      case detail::PlainOutcome::Kind::Response:
        e.complete = !o.too_large;
        e.too_large = o.too_large;
        e.status = o.status;
        e.content_type = std::move(o.content_type);
        e.url = std::move(o.url);
        t.response_body = std::move(o.body);
        t.response_headers = std::move(o.headers);
        break;
      case detail::PlainOutcome::Kind::Failed:
        e.transport = o.failure;
        e.transport_message = std::move(o.message);
        e.refused_address = std::move(o.refused_address);
        break;
    }
    finish_attempt(t, std::move(e));
  }

  void collect() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* e = msg->easy_handle;
      CURLcode code = msg->data.result;
      Transfer* raw = nullptr;
      curl_easy_getinfo(e, CURLINFO_PRIVATE, &raw);
      curl_multi_remove_handle(multi, e);
      raw->in_multi = false;
      finish_curl(*raw, code);
    }
  }

  void finish_curl(Transfer& t, CURLcode code) {
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    AttemptEnd e;
    e.status = static_cast<int>(status);
    e.complete = code == CURLE_OK;
    e.too_large = t.too_large || code == CURLE_FILESIZE_EXCEEDED;
    if (code == CURLE_COULDNT_CONNECT) e.refused_address = t.refused_address;
    if (e.complete) {
      if (char* ct = nullptr; curl_easy_getinfo(t.easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) e.content_type = ct;
      if (char* url = nullptr; curl_easy_getinfo(t.easy, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url) e.url = url;
    } else {
      long verify = 0;
      curl_easy_getinfo(t.easy, CURLINFO_SSL_VERIFYRESULT, &verify);
      std::string_view text = t.errbuf[0] ? std::string_view(t.errbuf) : std::string_view(curl_easy_strerror(code));
      e.transport = detail::classify_curl_failure(code, verify, text);
      e.transport_message = std::string(text);
    }
    finish_attempt(t, std::move(e));
  }

  void finish_attempt(Transfer& t, AttemptEnd e) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t.started);

    if (e.complete && e.status >= 200 && e.status < 300) {
      Response r;
      r.status = e.status;
      r.content_type = std::move(e.content_type);
      r.url = std::move(e.url);
      r.body = std::move(t.response_body);
      r.headers = std::move(t.response_headers);
      r.elapsed = elapsed;
      return complete(t, std::move(r));
    }

    Failure f;
    f.url = t.parsed.url_without_fragment;
    detail::FailureClass cls;
    if (e.complete || (e.too_large && e.status >= 300)) {
      cls = detail::classify_status(e.status);
      f.message = "HTTP " + std::to_string(e.status) + " from " + f.url;
    } else if (!e.refused_address.empty()) {
      cls = {11205, ""};
      f.message = "connecting to " + e.refused_address + " is not allowed (private or loopback address) for " + f.url;
    } else if (e.too_large) {
      cls = {11750, ""};
      f.message = "response body larger than " + std::to_string(config.max_body) + " bytes from " + f.url;
    } else {
      cls = e.transport;
      f.message = e.transport_message + " (" + f.url + ")";
    }
    f.error_code = cls.error_code;
    f.http_status = e.status;
    f.response_body = t.response_body.substr(0, kSnippet);

    const bool retry = !cls.retry_kind.empty() && t.attempts <= t.parsed.overrides.retries &&
                       retry_policy_covers(t.parsed.overrides.retry_policy, cls.retry_kind);
    if (retry) {
      log->debug("webhook attempt {} failed ({} {}), retrying", t.attempts, f.error_code, f.message);
      if (launch(t)) return;
    }
    if (t.attempts > 1) f.message += " after " + std::to_string(t.attempts) + " attempts";
    complete(t, std::unexpected(std::move(f)));
  }

  void complete(Transfer& t, Outcome outcome) {
    auto node = active.extract(&t);
    deliver(*node.mapped(), std::move(outcome));
  }

  void queue_or_reject(std::unique_ptr<Transfer> t) {
    if (loop != nullptr) {
      if (loop_stopped.load()) return fail_now(std::move(t), 11205, "client stopped");
      boost::asio::dispatch(*loop, [this, t = std::move(t)]() mutable {
        if (loop_stopped.load()) return fail_now(std::move(t), 11205, "client stopped");
        start(std::move(t));
      });
      return;
    }
    {
      std::lock_guard lock(mutex);
      if (!stopping) {
        queue.push_back(std::move(t));
        curl_multi_wakeup(multi);
        return;
      }
    }
    fail_now(std::move(t), 11205, "client stopped");
  }

  // Loop mode: on the loop's thread, or with the loop not running.
  void stop_loop() {
    if (loop_stopped.exchange(true)) return;
    driver->shutdown();
    std::vector<std::unique_ptr<Transfer>> rest;
    for (auto& [ptr, t] : active) {
      if (t->in_multi) curl_multi_remove_handle(multi, t->easy);
      if (t->plain) plain->cancel(t->plain);
      rest.push_back(std::move(t));
    }
    active.clear();
    plain->shutdown();
    for (auto& t : rest) deliver(*t, std::unexpected(make_failure(*t, 11205, "client stopped")));
  }

  void stop() {
    if (loop != nullptr) return stop_loop();
    std::lock_guard join_lock(join_mutex);
    if (joined) return;
    {
      std::lock_guard lock(mutex);
      stopping = true;
      curl_multi_wakeup(multi);
    }
    if (thread.joinable()) thread.join();
    joined = true;
  }
};

Client::Client(ClientConfig config) : impl_(std::make_unique<Impl>(std::move(config), nullptr)) {}

Client::Client(ClientConfig config, boost::asio::io_context& loop)
    : impl_(std::make_unique<Impl>(std::move(config), &loop)) {}

Client::~Client() { stop(); }

void Client::stop() { impl_->stop(); }

void Client::send(Request request, std::function<void(Outcome)> done) {
  auto t = std::make_unique<Transfer>();
  t->request = std::move(request);
  t->done = std::move(done);
  impl_->queue_or_reject(std::move(t));
}

}  // namespace callwire::webhook
