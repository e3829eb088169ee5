#pragma once
// A LocalMedia for tests with a deterministic key source.
#include <cstdint>
#include <span>

#include "media/sdp/negotiation.hpp"

namespace callwire::media::sdp::test {

inline LocalMedia local_media(std::uint8_t key_seed = 1) {
  LocalMedia local;
  local.address = "192.0.2.1";
  local.rtp_port = 30000;
  local.session_id = "1001";
  local.session_version = 1;
  local.random = [key_seed](std::span<std::uint8_t> out) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(key_seed + i);
    return true;
  };
  return local;
}

inline std::vector<std::uint8_t> seeded_key(std::uint8_t key_seed) {
  std::vector<std::uint8_t> key(30);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(key_seed + i);
  return key;
}

}  // namespace callwire::media::sdp::test
