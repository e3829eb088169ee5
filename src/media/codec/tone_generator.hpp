#pragma once
// In-band tones as a PCM16 source: DTMF digits (spandsp dtmf_tx) or a plain
// beep (spandsp tone_gen, e.g. Record's playBeep). spandsp works at 8 kHz;
// other output rates go through a Resampler. All state is set up at
// creation; generate() never allocates.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/result.hpp"

namespace callwire::media::codec {

struct DtmfTiming {
  std::chrono::milliseconds on{100};   // tone length per digit
  std::chrono::milliseconds off{100};  // gap after each digit
};

class ToneGenerator {
 public:

  // Digits '0'-'9', '*', '#', 'A'-'D' (a-d accepted), at most 128.
  [[nodiscard]] static Result<ToneGenerator> dtmf(std::string_view digits, DtmfTiming timing = {},
                                                  std::uint32_t sample_rate = 8000);
  // One tone of `frequency_hz` lasting `duration`; level in dBm0.
  [[nodiscard]] static Result<ToneGenerator> beep(int frequency_hz = 1000,
                                                  std::chrono::milliseconds duration = std::chrono::milliseconds{500},
                                                  std::uint32_t sample_rate = 8000, int level_dbm0 = -10);

  ToneGenerator(ToneGenerator&&) noexcept;
  ToneGenerator& operator=(ToneGenerator&&) noexcept;
  ~ToneGenerator();

  // Writes up to out.size() samples; returns how many. Fewer than asked
  // (and then 0) once the tones are over.
  std::size_t generate(std::span<std::int16_t> out);
  bool done() const;
  std::uint32_t sample_rate() const;

 private:
  struct Impl;
  explicit ToneGenerator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace callwire::media::codec
