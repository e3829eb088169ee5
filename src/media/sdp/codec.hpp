#pragma once
// Audio codecs as SDP names them: the static payload types of RFC 3551 we
// know without an rtpmap, our preference list, and matching of an offer's
// formats against it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/sdp/session_description.hpp"

namespace callwire::media::sdp {

// A codec as negotiated for one stream.
struct Codec {
  std::string name;                  // rtpmap encoding name as sent, e.g. "PCMU", "opus"
  int payload_type = 0;
  std::uint32_t clock_rate = 8000;   // RTP timestamp clock
  std::uint32_t sample_rate = 8000;  // audio sampling rate (G722: 16000 on an 8000 clock)
  std::uint32_t channels = 1;
  std::string fmtp;                  // the peer's fmtp parameters for this payload type
  bool operator==(const Codec&) const = default;
};

// One entry of our preference list.
struct CodecSpec {
  std::string name;                  // compared case-insensitively
  std::uint32_t clock_rate = 8000;   // 0 for telephone-event: follows the audio codec's clock
  std::uint32_t channels = 1;
  std::string fmtp;                  // what we put in our own a=fmtp, if anything
  bool operator==(const CodecSpec&) const = default;
};

// PCMU, PCMA, G722, opus/48000/2, telephone-event.
std::vector<CodecSpec> default_codecs();

bool is_telephone_event(std::string_view name);
// 0 PCMU, 8 PCMA, 9 G722, 18 G729 (all 8000 Hz RTP clock); nullopt otherwise.
std::optional<Codec> static_codec(int payload_type);
// The static payload type of a spec (PCMU → 0), if it has one.
std::optional<int> static_payload_type(const CodecSpec& spec);
// What format `format` of `m` means: its rtpmap, else the static table.
std::optional<Codec> resolve_format(const MediaDescription& m, std::string_view format);
// Same name (any case) and clock rate; channels only where they matter (opus is always 2).
bool matches(const CodecSpec& spec, const Codec& codec);
// Audio sampling rate for an RTP clock rate (G722's 8000 clock carries 16 kHz audio).
std::uint32_t sample_rate_for(std::string_view name, std::uint32_t clock_rate);

}  // namespace callwire::media::sdp
