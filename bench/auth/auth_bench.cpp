// Digest authentication per call: nonce issue + verify, the 407 challenge,
// and the verification of the answering INVITE (parsed outside the timing).
#include <benchmark/benchmark.h>

#include "digest_scenario.hpp"

namespace {

using callwire::bench::DigestScenario;

void BM_NonceIssueVerify(benchmark::State& state) {
  callwire::auth::NonceSigner signer("0123456789abcdef0123456789abcdef");
  std::int64_t t = 1'700'000'000;
  for (auto _ : state) {
    auto nonce = signer.issue("192.0.2.1", ++t);
    benchmark::DoNotOptimize(signer.verify(nonce, "192.0.2.1"));
  }
}
BENCHMARK(BM_NonceIssueVerify);

void BM_Challenges(benchmark::State& state) {
  DigestScenario s;
  for (auto _ : state) benchmark::DoNotOptimize(s.authenticator().challenges(s.kSource, false, s.now()));
}
BENCHMARK(BM_Challenges);

void BM_Verify(benchmark::State& state) {
  DigestScenario s;
  auto now = s.now();
  for (auto _ : state) {
    state.PauseTiming();
    auto invite = s.answer(s.nonce_of(s.authenticator().challenges(s.kSource, false, now).back()));
    state.ResumeTiming();
    auto check = s.authenticator().verify(invite, "Proxy-Authorization", s.kSource, s.users(), now);
    if (check.verdict != callwire::auth::DigestVerdict::Ok) state.SkipWithError("not Ok");
  }
}
BENCHMARK(BM_Verify);

}  // namespace

BENCHMARK_MAIN();
