#include "media/audio/decoder.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "media/audio/mono_sink.hpp"
#include "media/audio/readers.hpp"
#include "media/codec/g711.hpp"

namespace callwire::media::audio {

namespace {

std::string media_type(std::string_view content_type) {
  const auto semi = content_type.find(';');
  std::string_view t = content_type.substr(0, semi);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  std::string out(t);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool starts_with(std::span<const std::uint8_t> b, std::size_t at, std::string_view magic) {
  if (b.size() < at + magic.size()) return false;
  return std::equal(magic.begin(), magic.end(), b.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char m, std::uint8_t c) { return static_cast<std::uint8_t>(m) == c; });
}

// An MPEG audio frame header (ISO 11172-3 2.4.1.3) with no reserved field.
bool mpeg_frame_header(std::span<const std::uint8_t> b) {
  if (b.size() < 4 || b[0] != 0xFF || (b[1] & 0xE0) != 0xE0) return false;
  const int version = (b[1] >> 3) & 3;
  const int layer = (b[1] >> 1) & 3;
  const int bitrate = b[2] >> 4;
  const int rate = (b[2] >> 2) & 3;
  return version != 1 && layer != 0 && bitrate != 15 && rate != 3;
}

Status read_raw_ulaw(std::span<const std::uint8_t> bytes, MonoSink& sink) {
  if (auto s = sink.set_input(8000, 1); !s) return s;
  sink.expect_frames(bytes.size());
  std::array<std::int16_t, 4096> pcm;
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), pcm.size());
    codec::g711::decode_ulaw(bytes.first(n), pcm);
    if (auto s = sink.push(std::span(pcm).first(n)); !s) return s;
    bytes = bytes.subspan(n);
  }
  return {};
}

}  // namespace

Format format_for_content_type(std::string_view content_type) {
  const std::string t = media_type(content_type);
  static constexpr std::array<std::pair<std::string_view, Format>, 20> kTypes{{
      {"audio/wav", Format::Wav},       {"audio/x-wav", Format::Wav},     {"audio/wave", Format::Wav},
      {"audio/vnd.wave", Format::Wav},  {"audio/x-pn-wav", Format::Wav},  {"audio/aiff", Format::Aiff},
      {"audio/x-aiff", Format::Aiff},   {"audio/aifc", Format::Aiff},     {"audio/x-aifc", Format::Aiff},
      {"audio/mpeg", Format::Mp3},      {"audio/mp3", Format::Mp3},       {"audio/mpeg3", Format::Mp3},
      {"audio/x-mpeg", Format::Mp3},    {"audio/x-mp3", Format::Mp3},     {"audio/basic", Format::RawUlaw},
      {"audio/ulaw", Format::RawUlaw},  {"audio/x-ulaw", Format::RawUlaw}, {"audio/x-mulaw", Format::RawUlaw},
      {"audio/gsm", Format::RawGsm},    {"audio/x-gsm", Format::RawGsm},
  }};
  for (const auto& [name, format] : kTypes)
    if (t == name) return format;
  return Format::Unknown;
}

Format sniff_format(std::span<const std::uint8_t> b) {
  if ((starts_with(b, 0, "RIFF") || starts_with(b, 0, "RF64")) && starts_with(b, 8, "WAVE")) return Format::Wav;
  if (starts_with(b, 0, "FORM") && (starts_with(b, 8, "AIFF") || starts_with(b, 8, "AIFC"))) return Format::Aiff;
  if (starts_with(b, 0, ".snd")) return Format::Au;
  if (starts_with(b, 0, "ID3") || mpeg_frame_header(b)) return Format::Mp3;
  return Format::Unknown;
}

Result<Audio> decode_audio(std::span<const std::uint8_t> bytes, std::string_view content_type, int target_rate,
                           const DecodeLimits& limits) {
  if (target_rate < 8000 || target_rate > 48000) return fail(Errc::BadTargetRate, std::to_string(target_rate));
  if (bytes.size() > limits.max_input_bytes)
    return fail(Errc::TooLarge, std::to_string(bytes.size()) + " bytes, limit " +
                                    std::to_string(limits.max_input_bytes));
  // The bytes win over the label: servers often send audio as
  // application/octet-stream, or a WAV named .mp3. Headerless formats can
  // only come from the label.
  Format format = sniff_format(bytes);
  if (format == Format::Unknown) {
    format = format_for_content_type(content_type);
    if (format == Format::Unknown)
      return fail(Errc::UnsupportedContentType,
                  "Content-Type '" + std::string(content_type.substr(0, 100)) + "' is not audio we can play");
    if (bytes.empty()) return fail(Errc::Empty);
    // These formats start with their magic: without it, libsndfile would
    // only try its other parsers (FLAC, Ogg, ...) on the bytes.
    if (format == Format::Wav || format == Format::Aiff || format == Format::Au)
      return fail(Errc::Corrupt, "no WAV/AIFF/AU header");
  }

  MonoSink sink(static_cast<std::uint32_t>(target_rate), limits);
  Status s;
  switch (format) {
    case Format::Mp3: s = detail::read_mpeg(bytes, sink); break;
    case Format::RawUlaw: s = read_raw_ulaw(bytes, sink); break;
    default: s = detail::read_sndfile(bytes, format, sink); break;
  }
  if (!s) return std::unexpected(s.error());
  return sink.finish();
}

}  // namespace callwire::media::audio
