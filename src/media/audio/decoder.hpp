#pragma once
// <Play> media bytes (as fetched) to mono PCM16 at the call's rate. WAV,
// AIFF and Sun AU go through libsndfile reading from memory; MP3 through
// libmpg123's feed decoder; headerless audio/ulaw (and audio/basic without
// an .snd header) is 8 kHz µ-law. All of it is untrusted input: sizes,
// channel counts, sample rates and decoded duration are bounded, and a bad
// file is an error, never a crash. Blocking CPU work: run it off the I/O
// threads.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "media/audio/errc.hpp"
#include "media/tts/request.hpp"

namespace callwire::media::audio {

// The same representation as synthesized speech, so the player takes both.
using Audio = tts::Audio;

// RawUlaw: headerless 8 kHz µ-law (audio/ulaw, audio/basic). RawGsm: headerless
// GSM 06.10 frames at 8 kHz (audio/x-gsm, audio/gsm).
enum class Format { Unknown, Wav, Aiff, Au, Mp3, RawUlaw, RawGsm };

struct DecodeLimits {
  std::size_t max_input_bytes = 32u << 20;        // 32 MiB: a 35 min 128 kbit/s MP3
  std::chrono::seconds max_duration{60 * 60};     // Twilio may cut files past ~40 min
  int max_channels = 64;
};

// The format a Content-Type names (parameters and case ignored); Unknown for
// anything else, including application/octet-stream.
Format format_for_content_type(std::string_view content_type);
// The format the first bytes show: RIFF/WAVE (also RF64), FORM/AIFF|AIFC,
// ".snd", ID3v2 or an MPEG audio frame header; Unknown otherwise.
Format sniff_format(std::span<const std::uint8_t> bytes);

// Decodes `bytes`, downmixed to mono and resampled to `target_rate`
// (8000..48000). The Content-Type picks the format when it names one and
// the bytes do not clearly say otherwise; else the bytes are sniffed.
[[nodiscard]] Result<Audio> decode_audio(std::span<const std::uint8_t> bytes, std::string_view content_type,
                                         int target_rate, const DecodeLimits& limits = {});

}  // namespace callwire::media::audio
