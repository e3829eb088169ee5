// Voice webhook for `make bench` (bench/calls): answers every request with
// <Reject reason="busy"/>, keeping connections alive so callwire's pooled
// client never reconnects. One thread, Boost.Asio, no HTTP library: the
// bench measures callwire, so the webhook must cost the machine as little as
// possible (a node server cost about 150 µs of CPU per request here).
//
//   callwire_bench_webhook [PORT] [--twiml XML]
//
// Loopback only; port 0 (default) picks one. --twiml replaces the answer
// (bench/media uses <Response><Say loop="0">…</Say></Response>).
//
// Prints "listening PORT" once ready; SIGTERM/SIGINT print "requests N" and
// end it. Each request's SipHeader_X-Bench-Sent (the time SIPp sent the INVITE,
// `seconds.micros` as SIPp's [clock_tick]-free timestamp `S.ms.us`, put there
// by the bench scenarios) is subtracted from the arrival time: GET /stats
// answers {count, p50_us, p99_us} over the requests since the last /stats.
#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <charconv>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::size_t kMaxSamples = 1'000'000;
constexpr std::size_t kMaxRequest = 256 * 1024;
constexpr std::string_view kDefaultBody =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Reject reason=\"busy\"/></Response>\n";

struct Stats {
  std::vector<long long> samples;
  unsigned long long requests = 0;
};

long long now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "SipHeader_X-Bench-Sent=S.MS.US" (form-encoded, dots survive) → µs since the epoch.
std::optional<long long> bench_sent(std::string_view body) {
  constexpr std::string_view key = "SipHeader_X-Bench-Sent=";
  auto at = body.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view v = body.substr(at + key.size());
  long long fields[3] = {0, 0, 0};
  for (long long& f : fields) {
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), f);
    if (ec != std::errc()) return std::nullopt;
    v.remove_prefix(static_cast<std::size_t>(end - v.data()));
    if (!v.empty() && v.front() == '.') v.remove_prefix(1);
  }
  // S.ms.us as SIPp's [timestamp] prints it: the last field carries the micros.
  return fields[0] * 1'000'000 + fields[2];
}

std::string stats_json(Stats& s) {
  auto& v = s.samples;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) -> std::string {
    if (v.empty()) return "null";
    return std::to_string(v[std::min(v.size() - 1, static_cast<std::size_t>(q * (v.size() - 1) + 0.5))]);
  };
  std::string out = "{\"count\":" + std::to_string(v.size()) + ",\"p50_us\":" + at(0.5) + ",\"p99_us\":" + at(0.99) + "}";
  v.clear();
  return out;
}

std::size_t content_length(std::string_view head) {
  // Case-insensitive search for the header name at a line start.
  constexpr std::string_view name = "\r\ncontent-length:";
  for (std::size_t i = 0; i + name.size() <= head.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < name.size() && match; ++k) {
      match = std::tolower(static_cast<unsigned char>(head[i + k])) == name[k];
    }
    if (!match) continue;
    std::string_view v = head.substr(i + name.size());
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    std::size_t n = 0;
    std::from_chars(v.data(), v.data() + v.size(), n);
    return n;
  }
  return 0;
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Stats& stats, const std::string& body)
      : socket_(std::move(socket)), stats_(stats), body_(body) {}
  void start() { read(); }

 private:
  void read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(chunk_), [self](boost::system::error_code ec, std::size_t n) {
      if (ec) return;
      self->in_.append(self->chunk_.data(), n);
      if (!self->serve()) return;
      self->read();
    });
  }

  // Answers every complete request in the buffer. False closes the connection.
  bool serve() {
    std::string out;
    while (true) {
      auto end = in_.find("\r\n\r\n");
      if (end == std::string::npos) break;
      std::string_view head(in_.data(), end + 2);
      std::size_t total = end + 4 + content_length(head);
      if (total > kMaxRequest) return false;
      if (in_.size() < total) break;
      const long long arrived = now_us();
      std::string_view body(in_.data() + end + 4, total - end - 4);
      if (head.starts_with("GET /stats ")) {
        std::string json = stats_json(stats_);
        out += "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(json.size()) +
               "\r\n\r\n" + json;
      } else {
        ++stats_.requests;
        if (auto sent = bench_sent(body); sent && stats_.samples.size() < kMaxSamples) {
          stats_.samples.push_back(arrived - *sent);
        }
        out += "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + std::to_string(body_.size()) +
               "\r\n\r\n";
        out += body_;
      }
      in_.erase(0, total);
    }
    if (in_.size() > kMaxRequest) return false;
    if (!out.empty()) {
      auto buffer = std::make_shared<std::string>(std::move(out));
      asio::async_write(socket_, asio::buffer(*buffer),
                        [self = shared_from_this(), buffer](boost::system::error_code, std::size_t) {});
    }
    return true;
  }

  tcp::socket socket_;
  Stats& stats_;
  const std::string& body_;
  std::array<char, 16 * 1024> chunk_{};
  std::string in_;
};

void accept(tcp::acceptor& acceptor, Stats& stats, const std::string& body) {
  acceptor.async_accept([&acceptor, &stats, &body](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;
    socket.set_option(tcp::no_delay(true));
    std::make_shared<Connection>(std::move(socket), stats, body)->start();
    accept(acceptor, stats, body);
  });
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  std::string body(kDefaultBody);
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--twiml" && i + 1 < argc) {
      body = argv[++i];
    } else if (!a.empty() && a.front() != '-') {
      port = static_cast<unsigned short>(std::stoi(argv[i]));
    } else {
      std::fprintf(stderr, "usage: %s [PORT] [--twiml XML]\n", argv[0]);
      return 2;
    }
  }
  asio::io_context io(1);
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  Stats stats;
  accept(acceptor, stats, body);
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](boost::system::error_code, int) {
    std::printf("requests %llu\n", stats.requests);
    std::fflush(stdout);
    io.stop();
  });
  std::printf("listening %u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  io.run();
  return 0;
}
