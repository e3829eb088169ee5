#pragma once
// Conversions between Asio endpoints and the socket-free rtp::PeerAddress
// (internal to the engine).
#include <algorithm>
#include <boost/asio/ip/udp.hpp>
#include <chrono>

#include "media/rtp/peer_address.hpp"

namespace callwire::media::engine::detail {

inline rtp::PeerAddress to_peer(const boost::asio::ip::udp::endpoint& ep) {
  rtp::PeerAddress p;
  p.port = ep.port();
  if (ep.address().is_v6()) {
    p.v6 = true;
    auto b = ep.address().to_v6().to_bytes();
    std::copy(b.begin(), b.end(), p.ip.begin());
  } else {
    auto b = ep.address().to_v4().to_bytes();
    std::copy(b.begin(), b.end(), p.ip.begin());
  }
  return p;
}

inline boost::asio::ip::udp::endpoint to_endpoint(const rtp::PeerAddress& p) {
  if (p.v6) {
    boost::asio::ip::address_v6::bytes_type b;
    std::copy_n(p.ip.begin(), 16, b.begin());
    return {boost::asio::ip::address_v6(b), p.port};
  }
  return {boost::asio::ip::address_v4({p.ip[0], p.ip[1], p.ip[2], p.ip[3]}), p.port};
}

// Same digit from the other detection path within this window is the same key press.
inline constexpr auto kCrossSourceWindow = std::chrono::milliseconds(300);

}  // namespace callwire::media::engine::detail
