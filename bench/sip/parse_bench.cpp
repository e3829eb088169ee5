// SIP message layer speed: parse of a typical INVITE and 200 OK, lazy
// parsers, stream framing and response building.
#include <benchmark/benchmark.h>

#include <string>

#include "messages.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/message.hpp"
#include "sip/message/name_addr.hpp"
#include "sip/message/uri.hpp"

namespace {

using namespace callwire::sip;

using callwire::bench::invite;
using callwire::bench::ok;

void BM_ParseInvite(benchmark::State& state) {
  const std::string& bytes = invite();
  for (auto _ : state) {
    auto m = Message::parse(bytes);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.counters["bytes"] = static_cast<double>(bytes.size());
}
BENCHMARK(BM_ParseInvite);

void BM_Parse200Ok(benchmark::State& state) {
  const std::string& bytes = ok();
  for (auto _ : state) {
    auto m = Message::parse(bytes);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
  state.counters["bytes"] = static_cast<double>(bytes.size());
}
BENCHMARK(BM_Parse200Ok);

void BM_ParseRequestUri(benchmark::State& state) {
  auto m = Message::parse(invite());
  for (auto _ : state) benchmark::DoNotOptimize(parse_uri(m->request_uri()));
}
BENCHMARK(BM_ParseRequestUri);

void BM_ParseContact(benchmark::State& state) {
  auto m = Message::parse(invite());
  for (auto _ : state) benchmark::DoNotOptimize(parse_name_addr(m->header(HeaderId::Contact), true));
}
BENCHMARK(BM_ParseContact);

void BM_FrameStream(benchmark::State& state) {
  std::string buffer = invite() + ok();
  for (auto _ : state) benchmark::DoNotOptimize(frame_stream(buffer));
}
BENCHMARK(BM_FrameStream);

void BM_ResponseTo(benchmark::State& state) {
  auto m = Message::parse(invite());
  for (auto _ : state) benchmark::DoNotOptimize(Builder::response_to(*m, 180, {}, "8321234356").build());
}
BENCHMARK(BM_ResponseTo);

void BM_ParseAndRespond(benchmark::State& state) {
  const std::string& bytes = invite();
  for (auto _ : state) {
    auto m = Message::parse(bytes);
    benchmark::DoNotOptimize(Builder::response_to(*m, 100).build());
  }
}
BENCHMARK(BM_ParseAndRespond);

}  // namespace
