#pragma once
// Test helpers: a worker thread running an io_context, and a far end made of
// a plain socket plus the raw rtp/codec libraries.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "media/codec/dtmf_detector.hpp"
#include "media/codec/g711.hpp"
#include "media/codec/tone_generator.hpp"
#include "media/engine/media_engine.hpp"
#include "media/rtp/rtcp_packet.hpp"
#include "media/rtp/rtp_packet.hpp"
#include "media/rtp/telephone_event.hpp"

namespace ce = callwire::media::engine;
namespace rtp = callwire::media::rtp;
namespace g711 = callwire::media::codec::g711;
using callwire::Clock;
using namespace std::chrono_literals;

namespace engine_test {

// Runs an io_context on its own thread, as a WorkerPool worker does.
class Worker {
 public:
  Worker() : guard_(io.get_executor()), thread_([this] { io.run(); }) {}
  ~Worker() {
    guard_.reset();
    io.stop();
    thread_.join();
  }
  template <class F>
  auto call(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto fut = task.get_future();
    boost::asio::post(io, [&task] { task(); });
    return fut.get();
  }
  boost::asio::io_context io;

 private:
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
};

struct Packet {
  std::vector<std::uint8_t> bytes;
  std::uint16_t from_port = 0;
  Clock::time_point at;
  rtp::RtpView view() const { return *rtp::parse_rtp(bytes); }
};

// The far end: a plain blocking socket with a receive timeout.
class Peer {
 public:
  Peer() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    timeval tv{0, 20000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int buf = 8 << 20;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  }
  ~Peer() { ::close(fd_); }
  std::uint16_t port() const { return port_; }
  ce::Endpoint endpoint() const { return {boost::asio::ip::make_address("127.0.0.1"), port_}; }

  std::optional<Packet> receive(Clock::duration timeout) {
    auto deadline = Clock::now() + timeout;
    std::uint8_t buf[2048];
    while (Clock::now() < deadline) {
      sockaddr_in from{};
      socklen_t len = sizeof from;
      auto n = ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n > 0) return Packet{{buf, buf + n}, ntohs(from.sin_port), Clock::now()};
    }
    return std::nullopt;
  }
  // RTP packets only (RTCP on a muxed port is skipped).
  std::vector<Packet> collect(std::size_t n, Clock::duration timeout) {
    std::vector<Packet> out;
    auto deadline = Clock::now() + timeout;
    while (out.size() < n && Clock::now() < deadline) {
      auto p = receive(deadline - Clock::now());
      if (p && !rtp::looks_like_rtcp(p->bytes) && rtp::parse_rtp(p->bytes)) out.push_back(std::move(*p));
    }
    return out;
  }
  void send(std::span<const std::uint8_t> bytes, std::uint16_t to_port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(to_port);
    ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  void send_rtp(std::uint8_t pt, std::uint16_t seq, std::uint32_t ts, std::span<const std::uint8_t> payload,
                std::uint16_t to_port, bool marker = false, std::uint32_t ssrc = 0x1234) {
    std::uint8_t buf[1500];
    auto n = rtp::write_rtp({marker, pt, seq, ts, ssrc, {}}, payload, buf);
    send({buf, *n}, to_port);
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

inline std::vector<std::int16_t> sine(std::size_t n, double amp = 8000, double hz = 440) {
  std::vector<std::int16_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int16_t>(amp * std::sin(2 * M_PI * hz * i / 8000.0));
  return v;
}

inline std::vector<std::uint8_t> ulaw(std::span<const std::int16_t> pcm) {
  std::vector<std::uint8_t> out(pcm.size());
  g711::encode_ulaw(pcm, out);
  return out;
}

template <class Pred>
inline bool wait_for(Pred pred, Clock::duration timeout) {
  auto deadline = Clock::now() + timeout;
  while (!pred()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// Each test process takes its own 2,000-port block (the engine also skips pairs it cannot bind).
inline std::uint16_t port_base() { return static_cast<std::uint16_t>(30000 + (::getpid() % 15) * 2000); }

}  // namespace engine_test
