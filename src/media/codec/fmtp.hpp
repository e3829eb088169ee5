#pragma once
// Reading "key=value; key=value" parameters of an SDP a=fmtp line (RFC 4566
// 6; the syntax each codec uses, e.g. RFC 7587 for opus). The text comes
// from the peer: anything malformed is skipped, never an error.
#include <optional>
#include <string_view>

namespace callwire::media::codec {

// The value of `key` (case-insensitive), trimmed; nullopt when absent.
std::optional<std::string_view> fmtp_value(std::string_view fmtp, std::string_view key);

// The value of `key` as an unsigned integer; nullopt when absent or not a number.
std::optional<unsigned long> fmtp_uint(std::string_view fmtp, std::string_view key);

}  // namespace callwire::media::codec
