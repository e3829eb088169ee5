// callwire_media_load: concurrent answered calls against `callwire serve`,
// measuring the RTP it sends (see load_generator.hpp). Driven by
// bench_media.py for `make bench`; usable by hand:
//
//   callwire_media_load --server-port 5060 --domain bench.sip.localhost --calls 1000
//                       [--rate 200] [--bye-rate 500] [--hold-seconds 60] [--rtp-ports 2000-16383]
//                       [--threads 1] [--send-rtp] [--no-fail-fast] [--max-seconds 300]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "load_generator.hpp"

namespace {

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "callwire_media_load: %s\nusage: callwire_media_load --server-port PORT --domain HOST --calls N "
               "[--rate R] [--bye-rate R] [--hold-seconds S] [--rtp-ports FIRST-LAST] [--threads T] [--send-rtp] "
               "[--no-fail-fast] [--max-seconds S]\n",
               why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  callwire::bench::LoadConfig cfg;
  bool have_port = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + std::string(a)).c_str());
      return argv[++i];
    };
    if (a == "--server-port") {
      cfg.server_port = static_cast<std::uint16_t>(std::stoul(value()));
      have_port = true;
    } else if (a == "--domain") {
      cfg.domain = value();
    } else if (a == "--calls") {
      cfg.calls = std::stoul(value());
    } else if (a == "--rate") {
      cfg.rate = std::stod(value());
    } else if (a == "--bye-rate") {
      cfg.bye_rate = std::stod(value());
    } else if (a == "--hold-seconds") {
      cfg.hold_seconds = std::stoi(value());
    } else if (a == "--threads") {
      cfg.threads = static_cast<unsigned>(std::stoul(value()));
    } else if (a == "--max-seconds") {
      cfg.max_seconds = std::stoi(value());
    } else if (a == "--send-rtp") {
      cfg.send_rtp = true;
    } else if (a == "--no-fail-fast") {
      cfg.fail_fast = false;
    } else if (a == "--rtp-ports") {
      auto v = value();
      unsigned first = 0, last = 0;
      if (std::sscanf(v.c_str(), "%u-%u", &first, &last) != 2 || first == 0 || last > 65535 || first + 1 >= last) {
        usage("--rtp-ports must be FIRST-LAST");
      }
      cfg.rtp_first = static_cast<std::uint16_t>(first);
      cfg.rtp_last = static_cast<std::uint16_t>(last);
    } else {
      usage(("unknown argument " + std::string(a)).c_str());
    }
  }
  if (!have_port || cfg.domain.empty() || cfg.calls == 0 || cfg.rate <= 0 || cfg.bye_rate <= 0 || cfg.threads == 0) {
    usage("--server-port, --domain and --calls > 0 are required; rates and threads must be positive");
  }
  callwire::bench::LoadGenerator gen(cfg);
  if (!gen.open()) return 1;
  const std::string result = gen.run();
  std::printf("result %s\n", result.c_str());
  std::fflush(stdout);
  return 0;
}
