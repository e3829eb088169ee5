#pragma once
// A transport address as plain bytes, so packet logic needs no socket
// library: the engine converts its Asio endpoints into this.
#include <array>
#include <cstdint>

namespace callwire::media::rtp {

struct PeerAddress {
  std::array<std::uint8_t, 16> ip{};  // IPv4 in the first 4 bytes, rest zero
  std::uint16_t port = 0;
  bool v6 = false;

  static PeerAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint16_t port) {
    PeerAddress p;
    p.ip = {a, b, c, d};
    p.port = port;
    return p;
  }
  friend bool operator==(const PeerAddress&, const PeerAddress&) = default;
};

}  // namespace callwire::media::rtp
