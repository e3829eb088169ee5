#pragma once
// rtpengine's ng control protocol, as far as the bridge load generator needs
// it to set up the same calls through rtpengine that callwire bridges: a
// datagram is "<cookie> <bencoded dictionary>", the reply repeats the cookie
// (a retransmitted command with the same cookie gets the cached reply).
// offer (the caller's SDP) → the SDP for the callee; answer (the callee's
// SDP) → the SDP for the caller; delete ends the call.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callwire::bench {

// A bencoded dictionary of byte strings; keys are sorted here, as bencode requires.
std::string bencode_dict(std::vector<std::pair<std::string_view, std::string_view>> items);

// The byte string stored under `key` at the top level of the bencoded
// dictionary `dict` (nested values are skipped); nullopt when absent or malformed.
std::optional<std::string_view> bencode_find(std::string_view dict, std::string_view key);

struct NgReply {
  std::string_view cookie;
  std::string_view result;          // "ok", "error", ...
  std::string_view error_reason;
  std::uint16_t sdp_audio_port = 0; // of the SDP in the reply, 0 when none
};
std::optional<NgReply> parse_ng_reply(std::string_view datagram);

}  // namespace callwire::bench
