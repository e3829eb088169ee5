#pragma once
// Mono PCM16 to MP3 (MPEG audio layer III, constant bitrate) through LAME.
// 8 kHz input, as recordings are written, gives MPEG-2.5 frames of 576
// samples; 16-24 kHz gives MPEG-2, 32-48 kHz MPEG-1. The stream starts with
// a LAME "Info" frame that records the encoder delay and padding, so
// gapless decoders (libmpg123, ffmpeg, browsers) return exactly the input's
// length. No ID3 tag is written. Blocking CPU work (about 3 s per hour of
// 8 kHz audio at the defaults): run it off the I/O threads.
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "media/mp3/errc.hpp"

namespace callwire::media::mp3 {

struct EncodeOptions {
  // Constant bitrate in kbit/s. 32 is valid for every MPEG version and keeps
  // 8 kHz speech close to its WAV (16 is audibly coarser). The Info frame
  // needs a frame of about 170 bytes (72 × bitrate / rate for MPEG-2 and
  // 2.5, 144 × bitrate / rate for MPEG-1): below that (16 kbit/s at 8 kHz,
  // 32 at 16 kHz, 48 at 48 kHz) LAME writes none, and decoders also return
  // its ~1100 samples of delay and the last frame's padding.
  int bitrate_kbps = 32;
  // LAME's algorithm quality: 0 best and slowest … 9 fastest; 5 is LAME's
  // own default and costs little at 8 kHz.
  int quality = 5;
};

// Encodes `pcm` (mono, `sample_rate` Hz) as one MP3 stream. Empty input
// gives a valid stream with no audio.
[[nodiscard]] Result<std::vector<std::uint8_t>> encode_mp3(std::span<const std::int16_t> pcm,
                                                           std::uint32_t sample_rate,
                                                           const EncodeOptions& options = {});

}  // namespace callwire::media::mp3
