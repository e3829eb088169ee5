// SIP message layer speed: parse of a typical INVITE and 200 OK, lazy
// parsers, stream framing and response building.
#include <benchmark/benchmark.h>

#include <string>

#include "sip/message/builder.hpp"
#include "sip/message/message.hpp"
#include "sip/message/name_addr.hpp"
#include "sip/message/uri.hpp"

namespace {

using namespace callwire::sip;

std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// ~900 bytes: what a softphone or trunk typically sends.
const std::string& invite() {
  static const std::string bytes = [] {
    std::string sdp = crlf(
        "v=0\n"
        "o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\n"
        "s=-\n"
        "c=IN IP4 192.0.2.101\n"
        "t=0 0\n"
        "m=audio 49172 RTP/AVP 0 8 101\n"
        "a=rtpmap:0 PCMU/8000\n"
        "a=rtpmap:8 PCMA/8000\n"
        "a=rtpmap:101 telephone-event/8000\n"
        "a=fmtp:101 0-16\n"
        "a=ptime:20\n"
        "a=sendrecv\n");
    return crlf("INVITE sip:+15551234567@sip.example.com;transport=udp SIP/2.0\n"
                "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9a8c1e2d;rport\n"
                "Max-Forwards: 70\n"
                "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
                "To: <sip:+15551234567@sip.example.com>\n"
                "Call-ID: 3848276298220188511@atlanta.example.com\n"
                "CSeq: 1 INVITE\n"
                "Contact: <sip:alice@192.0.2.101:5060;transport=udp>;expires=3600\n"
                "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY\n"
                "Supported: replaces, timer, 100rel\n"
                "User-Agent: ExamplePhone/4.2.1\n"
                "Session-Expires: 1800;refresher=uac\n"
                "Min-SE: 90\n"
                "P-Asserted-Identity: \"Alice Liddell\" <sip:alice@atlanta.example.com>\n"
                "Content-Type: application/sdp\n"
                "Content-Length: " + std::to_string(sdp.size()) + "\n\n") +
           sdp;
  }();
  return bytes;
}

// ~400 bytes.
const std::string& ok() {
  static const std::string bytes = crlf(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9a8c1e2d;rport=5060;received=192.0.2.101\n"
      "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
      "To: <sip:+15551234567@sip.example.com>;tag=8321234356\n"
      "Call-ID: 3848276298220188511@atlanta.example.com\n"
      "CSeq: 1 INVITE\n"
      "Contact: <sip:gw@198.51.100.7:5060>\n"
      "Server: callwire/0.1\n"
      "Content-Length: 0\n\n");
  return bytes;
}

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
