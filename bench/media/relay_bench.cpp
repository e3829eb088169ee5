// Cost per packet of the media bridge (the most common state of a long
// bridged call): the header rewrite alone, rewrite + send on a loopback UDP
// socket, a PCMU→PCMA transcode, and the whole engine path (receive, latch,
// relay, send) between two MediaSessions on one thread.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <cmath>
#include <vector>

#include "media/codec/g711.hpp"
#include "media/engine/media_bridge.hpp"
#include "media/engine/media_engine.hpp"
#include "media/engine/rtp_relay.hpp"
#include "media/engine/transcoder.hpp"
#include "media/rtp/rtp_packet.hpp"

namespace ce = callwire::media::engine;
namespace rtp = callwire::media::rtp;
using callwire::Clock;
using namespace std::chrono_literals;

namespace {

// One 20 ms PCMU packet of a 440 Hz tone.
std::vector<std::uint8_t> pcmu_packet() {
  std::array<std::int16_t, 160> pcm{};
  for (std::size_t i = 0; i < pcm.size(); ++i)
    pcm[i] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 440 * static_cast<double>(i) / 8000));
  std::array<std::uint8_t, 160> payload{};
  callwire::media::codec::g711::encode_ulaw(pcm, payload);
  std::vector<std::uint8_t> pkt(12 + 160);
  (void)rtp::write_rtp({false, 0, 1, 0, 0x1234, {}}, payload, pkt);
  return pkt;
}

// A bound loopback UDP socket (non-blocking) and its address.
struct Udp {
  Udp() {
    fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    int buf = 4 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  }
  ~Udp() { ::close(fd); }
  std::uint16_t port() const { return ntohs(addr.sin_port); }
  void send_to(std::uint16_t port, const std::uint8_t* p, std::size_t n) const {
    sockaddr_in to = addr;
    to.sin_port = htons(port);
    ::sendto(fd, p, n, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  }
  std::size_t drain() const {
    std::array<std::uint8_t, 2048> buf{};
    std::size_t n = 0;
    while (::recv(fd, buf.data(), buf.size(), 0) > 0) ++n;
    return n;
  }
  int fd = -1;
  sockaddr_in addr{};
};

// Same codec: map the timestamp, write the new header and copy the payload.
void BM_RelayRewrite(benchmark::State& state) {
  auto pkt = pcmu_packet();
  auto v = *rtp::parse_rtp(pkt);
  ce::RtpRelay relay({}, {0xCAFE, 1, 1000, {}});
  std::array<std::uint8_t, 2048> out{};
  std::uint32_t ts = 0;
  auto now = Clock::now();
  for (auto _ : state) {
    auto m = relay.map(v.ssrc, ts, now);
    auto n = relay.write(0, v.marker || m.reanchored, m.timestamp, v.payload, out, now);
    benchmark::DoNotOptimize(n);
    benchmark::ClobberMemory();
    ts += 160;
    now += 20ms;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RelayRewrite);

// The same plus the sendto(2) a bridged session does for each packet.
void BM_RelayRewriteSend(benchmark::State& state) {
  auto pkt = pcmu_packet();
  auto v = *rtp::parse_rtp(pkt);
  ce::RtpRelay relay({}, {0xCAFE, 1, 1000, {}});
  std::array<std::uint8_t, 2048> out{};
  Udp tx, rx;
  std::uint32_t ts = 0;
  auto now = Clock::now();
  std::size_t k = 0;
  for (auto _ : state) {
    auto m = relay.map(v.ssrc, ts, now);
    auto n = relay.write(0, v.marker || m.reanchored, m.timestamp, v.payload, out, now);
    tx.send_to(rx.port(), out.data(), n);
    ts += 160;
    now += 20ms;
    if (++k % 1024 == 0) {  // keep the receive queue from overflowing, off the clock
      state.PauseTiming();
      rx.drain();
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RelayRewriteSend);

// Different codecs: decode PCMU, encode PCMA, write the header.
void BM_TranscodePcmuToPcma(benchmark::State& state) {
  auto pkt = pcmu_packet();
  auto v = *rtp::parse_rtp(pkt);
  auto tc = *ce::Transcoder::create({"PCMU", 8000, 1, ""}, {"PCMA", 8000, 1, ""}, 20ms);
  ce::RtpRelay relay({}, {0xCAFE, 1, 1000, {}});
  std::array<std::uint8_t, 2048> out{};
  std::uint32_t ts = 0;
  auto now = Clock::now();
  for (auto _ : state) {
    auto m = relay.map(v.ssrc, ts, now);
    tc->push(v.payload);
    for (auto f = tc->pop(); !f.empty(); f = tc->pop()) {
      auto n = relay.write(8, m.reanchored, m.timestamp, f, out, now);
      benchmark::DoNotOptimize(n);
    }
    benchmark::ClobberMemory();
    ts += 160;
    now += 20ms;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TranscodePcmuToPcma);

// The whole path on one thread: a far end sends a burst of packets to leg a,
// the engine (polled here) receives, latches, relays and sends them out of
// leg b, and the far end of b reads them. Time per packet covers both far
// ends' syscalls too; engine_ns_per_packet counts only the polls that ran
// the engine (receive, latch, relay, send).
// Arg 0: same codec; 1: PCMU → PCMA.
void BM_BridgeEndToEnd(benchmark::State& state) {
  boost::asio::io_context io;
  ce::EngineConfig cfg;
  cfg.bind_address = "127.0.0.1";
  cfg.port_first = 41000;
  cfg.port_last = 41999;
  auto engine = ce::MediaEngine::create(io, cfg);
  if (!engine) {
    state.SkipWithError("no media engine");
    return;
  }
  Udp far_a, far_b;
  auto config = [](const Udp& u, bool alaw) {
    ce::SessionConfig c;
    if (alaw) {
      c.codec = ce::CodecParams{"PCMA", 8000, 1, ""};
      c.payload_type = 8;
    }
    c.remote_rtp = {boost::asio::ip::make_address("127.0.0.1"), u.port()};
    c.remote_rtcp = {boost::asio::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(u.port() + 1)};
    return c;
  };
  auto a = (*engine)->create_session();
  auto b = (*engine)->create_session();
  if (!a || !b || !(*a)->start(config(far_a, false)) || !(*b)->start(config(far_b, state.range(0) == 1))) {
    state.SkipWithError("no session");
    return;
  }
  auto bridge = ce::MediaBridge::connect(*a, *b);
  if (!bridge) {
    state.SkipWithError("no bridge");
    return;
  }
  auto pkt = pcmu_packet();
  constexpr int kBurst = 32;
  std::uint16_t seq = 0;
  std::uint32_t ts = 0;
  std::uint16_t to = (*a)->ports().rtp;
  std::array<std::uint8_t, 2048> buf{};
  Clock::duration engine_time{};  // inside polls that ran a handler: the engine's own share
  for (auto _ : state) {
    for (int i = 0; i < kBurst; ++i, ++seq, ts += 160) {
      pkt[2] = static_cast<std::uint8_t>(seq >> 8);
      pkt[3] = static_cast<std::uint8_t>(seq);
      pkt[4] = static_cast<std::uint8_t>(ts >> 24);
      pkt[5] = static_cast<std::uint8_t>(ts >> 16);
      pkt[6] = static_cast<std::uint8_t>(ts >> 8);
      pkt[7] = static_cast<std::uint8_t>(ts);
      far_a.send_to(to, pkt.data(), pkt.size());
    }
    int got = 0;
    auto deadline = Clock::now() + 1s;
    while (got < kBurst && Clock::now() < deadline) {
      auto t0 = Clock::now();
      if (io.poll() > 0) engine_time += Clock::now() - t0;
      while (::recv(far_b.fd, buf.data(), buf.size(), 0) > 0) ++got;
    }
    if (got < kBurst) {
      state.SkipWithError("packets lost");
      break;
    }
    far_a.drain();  // a's RTCP, if any
  }
  state.SetItemsProcessed(state.iterations() * kBurst);
  auto st = (*bridge)->stats();
  state.counters["relayed"] = static_cast<double>(st.relayed_a_to_b);
  state.counters["engine_ns_per_packet"] =
      static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(engine_time).count()) /
      static_cast<double>(std::max<std::uint64_t>(1, st.relayed_a_to_b));
  state.counters["transcoded"] = static_cast<double>(st.transcoded);
  (*bridge)->disconnect();
  (*a)->close();
  (*b)->close();
}
BENCHMARK(BM_BridgeEndToEnd)->Arg(0)->Arg(1)->UseRealTime();

}  // namespace
