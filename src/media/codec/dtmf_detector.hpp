#pragma once
// In-band DTMF detection (spandsp dtmf_rx) on 8 kHz PCM16. Feed every
// received frame to process(); each confirmed key press is reported once.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "core/result.hpp"

namespace callwire::media::codec {

class DtmfDetector {
 public:
  // Called from process() with '0'-'9', '*', '#', 'A'-'D'.
  using DigitHandler = std::function<void(char digit)>;

  [[nodiscard]] static Result<DtmfDetector> create(DigitHandler on_digit);
  DtmfDetector(DtmfDetector&&) noexcept;
  DtmfDetector& operator=(DtmfDetector&&) noexcept;
  ~DtmfDetector();

  // `pcm` is 8 kHz audio; any frame length.
  void process(std::span<const std::int16_t> pcm);
  // A frame that was lost (keeps the detector's timing right).
  void skip(std::size_t samples);

 private:
  struct Impl;
  explicit DtmfDetector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;  // on the heap: spandsp keeps a pointer to it
};

}  // namespace callwire::media::codec
