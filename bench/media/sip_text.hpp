#pragma once
// The few SIP messages the media load generator sends, and the little it
// reads from what callwire sends back. Not a SIP parser: callwire is the
// only peer, and anything unexpected is simply not matched.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callwire::bench {

struct Local {
  std::string ip = "127.0.0.1";
  std::uint16_t sip_port = 0;
  std::string run_id;  // in every Call-ID, so strays from another run are ignored
  std::string domain;  // Request-URI host: sip:test@<domain>
};

struct Incoming {
  bool is_response = false;
  int status = 0;             // responses
  std::string_view method;    // requests: from the request line; responses: from CSeq
  std::string_view call_id;
  std::string_view to;        // the whole To header value (tag included)
  std::string_view contact;   // the URI inside Contact's <>
  std::string_view text;      // the whole message
  std::uint16_t sdp_audio_port = 0;
};

[[nodiscard]] std::optional<Incoming> parse_incoming(std::string_view text);

// The value of the first header `name` (or its compact form) in `text`.
[[nodiscard]] std::string_view header(std::string_view text, std::string_view name, std::string_view compact = {});

// "ml-<index>-<run_id>@ip" → index, when the run id matches.
[[nodiscard]] std::optional<std::size_t> call_index(std::string_view call_id, std::string_view run_id);

std::string call_id(const Local& l, std::size_t index);
std::string invite(const Local& l, std::size_t index, std::string_view branch, std::uint16_t rtp_port);
// ACK of a 2xx (own transaction) or of a failure (`branch` of the INVITE, Request-URI of the INVITE).
std::string ack(const Local& l, std::size_t index, std::string_view ruri, std::string_view branch, std::string_view to);
std::string bye(const Local& l, std::size_t index, std::string_view ruri, std::string_view branch, std::string_view to);
// 200 OK to a request from callwire (its Via, From, To, Call-ID and CSeq copied).
std::string ok_response(std::string_view request);

}  // namespace callwire::bench
