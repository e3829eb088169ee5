// A fixed-work driver for instruction counts, which unlike wall time do not
// depend on machine load:
//   valgrind --tool=callgrind build/bench/callwire_parse_count invite 10000
// then divide the total instructions by the count (the setup is a few
// thousand instructions). Kinds: invite, ok, frame (frame_stream on the
// INVITE); trickle / trickle-stateless feed a ~60 KB header block one byte
// at a time to MessageFramer / to frame_stream (COUNT times).
//
// time-invite / time-ok COUNT: COUNT trials of 200 parses each, printing the
// fastest and the median trial in ns per parse. On a shared machine the
// fastest trial is the one least disturbed by other work.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "messages.hpp"
#include "sip/message/message.hpp"
#include "sip/message/message_framer.hpp"

namespace {

using namespace callwire::sip;
namespace bench = callwire::bench;

int run(std::string_view kind, long n) {
  const std::string& bytes = kind == "ok" ? bench::ok() : bench::invite();
  long ok = 0;
  if (kind == "invite" || kind == "ok") {
    for (long i = 0; i < n; ++i) ok += Message::parse(bytes).has_value();
  } else if (kind == "frame") {
    for (long i = 0; i < n; ++i) ok += frame_stream(bytes).has_value();
  } else if (kind == "trickle" || kind == "trickle-stateless") {
    std::string stream = "OPTIONS sip:a@example.com SIP/2.0\r\n";
    while (stream.size() < 60000) stream += "X-Filler: 0123456789abcdef0123456789abcdef\r\n";
    stream += "Content-Length: 0\r\n\r\n";
    bool resumable = kind == "trickle";
    for (long i = 0; i < n; ++i) {
      MessageFramer framer;
      for (std::size_t len = 1; len <= stream.size(); ++len) {
        std::string_view part(stream.data(), len);
        if (resumable ? framer.next(part).has_value() : frame_stream(part).has_value()) {
          ++ok;
          break;
        }
      }
    }
  } else if (kind == "time-invite" || kind == "time-ok") {
    const std::string& msg = kind == "time-ok" ? bench::ok() : bench::invite();
    constexpr int kPerTrial = 200;
    std::vector<double> ns;
    for (long i = 0; i < n; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      for (int k = 0; k < kPerTrial; ++k) ok += Message::parse(msg).has_value();
      auto t1 = std::chrono::steady_clock::now();
      ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / kPerTrial);
    }
    std::sort(ns.begin(), ns.end());
    std::printf("%s: fastest trial %.0f ns/parse, median %.0f ns/parse (%ld trials of %d)\n", kind.data() + 5,
                ns.front(), ns[ns.size() / 2], n, kPerTrial);
    return ok == n * kPerTrial ? 0 : 1;
  } else {
    std::fprintf(stderr, "unknown kind %.*s\n", static_cast<int>(kind.size()), kind.data());
    return 2;
  }
  std::printf("%ld of %ld succeeded\n", ok, n);
  return ok == n ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s invite|ok|frame|trickle|trickle-stateless|time-invite|time-ok COUNT\n", argv[0]);
    return 2;
  }
  return run(argv[1], std::strtol(argv[2], nullptr, 10));
}
