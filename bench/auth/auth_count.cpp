// A fixed-work driver for instruction counts of digest authentication:
//   valgrind --tool=callgrind build/bench/auth/callwire_auth_count digest 10000
//   callgrind_annotate --inclusive=yes callgrind.out.* | grep -E 'verify|challenges|issue'
// and divide a function's inclusive instructions by the count.
// Kinds: nonce (NonceSigner issue + verify), digest (challenges, then verify
// of the answering INVITE, whose building and parsing are the driver's own).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "digest_scenario.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s nonce|digest COUNT\n", argv[0]);
    return 2;
  }
  const std::string_view kind = argv[1];
  const long n = std::strtol(argv[2], nullptr, 10);
  callwire::bench::DigestScenario s;
  long ok = 0;
  if (kind == "nonce") {
    callwire::auth::NonceSigner signer("0123456789abcdef0123456789abcdef");
    for (long i = 0; i < n; ++i) ok += signer.verify(signer.issue("192.0.2.1", 1'700'000'000 + i), "192.0.2.1").has_value();
  } else if (kind == "digest") {
    auto& auth = s.authenticator();
    for (long i = 0; i < n; ++i) {
      auto now = s.now() + std::chrono::milliseconds(i);
      auto challenges = auth.challenges(s.kSource, false, now);
      auto invite = s.answer(s.nonce_of(challenges.back()));
      auto check = auth.verify(invite, "Proxy-Authorization", s.kSource, s.users(), now);
      ok += check.verdict == callwire::auth::DigestVerdict::Ok;
    }
  } else {
    std::fprintf(stderr, "unknown kind\n");
    return 2;
  }
  std::printf("%ld of %ld ok\n", ok, n);
  return ok == n ? 0 : 1;
}
