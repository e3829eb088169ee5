#pragma once
// One direction of a bridge between legs with different codecs: received
// payloads are decoded, resampled when the sample rates differ, buffered as
// PCM and re-encoded in frames of the outgoing ptime. With equal ptimes each
// received packet yields one outgoing frame; otherwise frames come out as
// soon as enough PCM is buffered (the simplest correct scheme: the extra
// delay is under one outgoing frame). Its own codec instances, so the
// sessions' decoder and encoder state (Opus) is untouched. Buffers are sized
// at creation; push() and pop() never allocate.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "media/codec/codec.hpp"
#include "media/codec/resampler.hpp"
#include "media/engine/prompt_cache.hpp"

namespace callwire::media::engine {

class Transcoder {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Transcoder>> create(const CodecParams& from, const CodecParams& to,
                                                                  std::chrono::milliseconds to_ptime);

  // Decodes one received payload into the buffer; returns the incoming RTP
  // timestamp units it covered (0: it did not decode).
  std::uint32_t push(std::span<const std::uint8_t> payload);
  // The next whole outgoing frame, encoded; empty while less than a frame
  // is buffered. Valid until the next call.
  std::span<const std::uint8_t> pop();
  // Forgets the buffered partial frame (after a gap or a new stream).
  void clear();

  std::size_t buffered() const { return fill_; }           // samples at the outgoing rate
  std::uint32_t frame_units() const { return frame_units_; }  // outgoing RTP units per frame
  const codec::Codec& decoder() const { return *dec_; }
  const codec::Codec& encoder() const { return *enc_; }

 private:
  Transcoder() = default;

  std::unique_ptr<codec::Codec> dec_;
  std::unique_ptr<codec::Codec> enc_;
  std::unique_ptr<codec::Resampler> rs_;  // null when the sample rates match
  bool fresh_ = true;                     // next push starts a stream (resampler delay padded)
  std::size_t spf_ = 0;                   // outgoing samples per frame
  std::uint32_t frame_units_ = 0;
  std::vector<std::int16_t> decoded_;
  std::vector<std::int16_t> fifo_;
  std::size_t fill_ = 0;
  std::vector<std::uint8_t> out_;
};

}  // namespace callwire::media::engine
