#include "media/sdp/codec.hpp"

#include "media/sdp/parse_util.hpp"

namespace callwire::media::sdp {

std::vector<CodecSpec> default_codecs() {
  return {
      {"PCMU", 8000, 1, ""},
      {"PCMA", 8000, 1, ""},
      {"G722", 8000, 1, ""},
      {"opus", 48000, 2, "minptime=10;useinbandfec=1"},
      {"telephone-event", 0, 1, "0-16"},
  };
}

bool is_telephone_event(std::string_view name) { return detail::iequals(name, "telephone-event"); }

std::optional<Codec> static_codec(int payload_type) {
  switch (payload_type) {
    case 0: return Codec{"PCMU", 0, 8000, 8000, 1, ""};
    case 8: return Codec{"PCMA", 8, 8000, 8000, 1, ""};
    case 9: return Codec{"G722", 9, 8000, 16000, 1, ""};
    case 18: return Codec{"G729", 18, 8000, 8000, 1, ""};
    default: return std::nullopt;
  }
}

std::optional<int> static_payload_type(const CodecSpec& spec) {
  for (int pt : {0, 8, 9, 18}) {
    auto c = static_codec(pt);
    if (matches(spec, *c)) return pt;
  }
  return std::nullopt;
}

std::uint32_t sample_rate_for(std::string_view name, std::uint32_t clock_rate) {
  if (detail::iequals(name, "G722") && clock_rate == 8000) return 16000;
  return clock_rate;
}

std::optional<Codec> resolve_format(const MediaDescription& m, std::string_view format) {
  auto pt = detail::parse_uint<int>(format, 127);
  if (!pt) return std::nullopt;
  std::optional<Codec> c;
  if (const RtpMap* r = m.rtpmap(*pt)) {
    c = Codec{r->encoding, *pt, r->clock_rate, sample_rate_for(r->encoding, r->clock_rate),
              r->channels ? r->channels : 1, ""};
  } else {
    c = static_codec(*pt);
  }
  if (!c) return std::nullopt;
  if (const Fmtp* f = m.fmtp(format)) c->fmtp = f->parameters;
  return c;
}

bool matches(const CodecSpec& spec, const Codec& codec) {
  if (!detail::iequals(spec.name, codec.name)) return false;
  if (spec.clock_rate != 0 && spec.clock_rate != codec.clock_rate) return false;
  // RFC 7587: opus is always opus/48000/2; mono/stereo is an fmtp matter.
  if (detail::iequals(spec.name, "opus")) return true;
  return is_telephone_event(spec.name) || spec.channels == codec.channels;
}

}  // namespace callwire::media::sdp
