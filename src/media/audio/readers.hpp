#pragma once
// Internal to decoding: one reader per decoding library, each feeding a
// MonoSink whose input format it sets.
#include <cstdint>
#include <span>

#include "core/result.hpp"
#include "media/audio/decoder.hpp"
#include "media/audio/mono_sink.hpp"

namespace callwire::media::audio::detail {

// WAV/RF64, AIFF/AIFC, Sun AU, or headerless GSM 06.10 (Format::RawGsm),
// through libsndfile's virtual I/O over `bytes`.
[[nodiscard]] Status read_sndfile(std::span<const std::uint8_t> bytes, Format format, MonoSink& sink);
// MPEG audio (MP3, also layers I/II) through libmpg123's feed decoder.
[[nodiscard]] Status read_mpeg(std::span<const std::uint8_t> bytes, MonoSink& sink);

}  // namespace callwire::media::audio::detail
