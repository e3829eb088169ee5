// callwire_bridge_load: N calls that callwire bridges with <Dial>, both ends
// played here (see bridge_load.hpp). Driven by bench_bridge.py for
// `make bench`; usable by hand once callwire has a domain whose webhook
// answers <Dial> and a trunk whose TerminationUri is sip:127.0.0.1:CARRIER:
//
//   callwire_bridge_load --server-port 5060 --carrier-port 5090 --domain bench.sip.localhost --calls 100
//                        [--rate 100] [--bye-rate 500] [--hold-seconds 60] [--rtp-ports 2000-16383]
//                        [--no-fail-fast] [--max-seconds 300] [--rtp-sockets 16]
//
// The same calls through rtpengine (no SIP; its ng control on 127.0.0.1:PORT):
//
//   callwire_bridge_load --rtpengine-ng PORT --calls 100 [...]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bridge_load.hpp"

namespace {

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "callwire_bridge_load: %s\nusage: callwire_bridge_load --server-port PORT --carrier-port PORT "
               "--domain HOST --calls N [--rate R] [--bye-rate R] [--hold-seconds S] [--rtp-ports FIRST-LAST] "
               "[--no-fail-fast] [--max-seconds S] [--rtp-sockets N] [--rtpengine-ng PORT]\n",
               why);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  callwire::bench::BridgeConfig cfg;
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
    } else if (a == "--carrier-port") {
      cfg.carrier_port = static_cast<std::uint16_t>(std::stoul(value()));
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
    } else if (a == "--max-seconds") {
      cfg.max_seconds = std::stoi(value());
    } else if (a == "--rtpengine-ng") {
      cfg.ng_port = static_cast<std::uint16_t>(std::stoul(value()));
    } else if (a == "--rtp-sockets") {
      cfg.rtp_sockets = std::stoul(value());
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
  if (cfg.ng_port != 0) {  // no SIP: placeholders for the unused SIP side
    have_port = true;
    if (cfg.domain.empty()) cfg.domain = "rtpengine.invalid";
  }
  if (cfg.rtp_sockets == 0) usage("--rtp-sockets must be positive");
  if (!have_port || cfg.domain.empty() || cfg.calls == 0 || cfg.calls > 30000 || cfg.rate <= 0 || cfg.bye_rate <= 0) {
    usage("--server-port, --domain and 0 < --calls <= 30000 are required; rates must be positive");
  }
  callwire::bench::BridgeLoad gen(cfg);
  if (!gen.open()) return 1;
  const std::string result = gen.run();
  std::printf("result %s\n", result.c_str());
  std::fflush(stdout);
  return 0;
}
