// SDP bodies from INVITEs, UPDATEs, 200s and ACKs. Properties: parse never
// crashes and fails only with Malformed/LimitExceeded; what it accepts is
// written and parsed again to the same text (a fixed point after one
// normalisation); answering it either fails with a 488-class error or
// yields an answer that parses, has one m= line per offered one and uses a
// payload type the offer listed; taking it as the answer to our own offer
// never crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "media/sdp/errc.hpp"
#include "media/sdp/negotiation.hpp"
#include "media/sdp/parser.hpp"
#include "media/sdp/writer.hpp"

using namespace callwire::media::sdp;

namespace {

LocalMedia local_media(SrtpPolicy policy) {
  LocalMedia local;
  local.address = "192.0.2.1";
  local.address_v6 = "2001:db8::1";
  local.rtp_port = 10000;
  local.session_id = "42";
  local.srtp = policy;
  local.random = [](std::span<std::uint8_t> out) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(i * 31 + 7);
    return true;
  };
  return local;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto sdp = parse(text);
  if (!sdp) {
    auto code = sdp.error().code;
    if (code != Errc::Malformed && code != Errc::LimitExceeded) __builtin_trap();
    if (sip_status(code) != 400) __builtin_trap();
    return 0;
  }
  // Written text may be longer than the input (CRLF for LF, t=0 0 added).
  Limits roomy;
  roomy.max_size *= 4;
  roomy.max_line_length *= 2;
  std::string written = to_string(*sdp);
  auto again = parse(written, roomy);
  if (!again || to_string(*again) != written) __builtin_trap();

  for (auto policy : {SrtpPolicy::Optional, SrtpPolicy::Required, SrtpPolicy::Refuse}) {
    LocalMedia local = local_media(policy);
    auto answered = answer(*sdp, local);
    if (!answered) {
      if (sip_status(answered.error().code) != 488) __builtin_trap();
    } else {
      const auto& a = answered->local;
      if (a.media.size() != sdp->media.size()) __builtin_trap();
      const auto& offered = sdp->media[answered->media_index].formats;
      bool listed = false;
      for (const auto& f : offered) listed = listed || f == std::to_string(answered->codec.payload_type);
      if (!listed) __builtin_trap();
      if (policy == SrtpPolicy::Required && !answered->srtp) __builtin_trap();
      if (policy == SrtpPolicy::Refuse && answered->srtp) __builtin_trap();
      if (!parse(to_string(a), roomy)) __builtin_trap();
      auto re = answer_reoffer(*sdp, local, *answered);
      if (re && re->local.origin.session_version != answered->local.origin.session_version + 1) __builtin_trap();
      auto ours = reoffer(local, *answered);
      if (!ours || ours->origin.session_version != answered->local.origin.session_version + 1) __builtin_trap();
    }
    auto ours = offer(local);
    if (!ours) __builtin_trap();
    (void)accept_answer(*ours, *sdp, local);
  }
  return 0;
}
