#pragma once
// The recording of a bridged call (<Dial record>): an 8 kHz 16-bit WAV with
// two channels (channel 1 what the first session receives, i.e. the caller's
// voice; channel 2 what the second receives, the callee's) or both mixed to
// mono.
//
// Why a wall clock: the two legs have unrelated RTP clocks and either may
// send nothing for a while (late start, hold, silence suppression), so the
// file's time line is the time since start. Lost packets inside a stream come
// as gaps (from the RTP timestamps) and are written as silence; a channel that
// falls more than `slack` behind the time line is padded with silence up to
// it, so a stream that starts or resumes late lands where it was heard. Frames
// go to the file as soon as both channels have them, so memory stays bounded
// (about `slack` of audio plus one 64 KiB chunk). trim_silence drops the
// leading and trailing audio where both channels are silent.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/timers.hpp"
#include "media/codec/resampler.hpp"
#include "media/engine/errc.hpp"
#include "media/engine/recorder.hpp"

namespace callwire::media::engine {

struct CallRecorderConfig {
  std::string path;
  bool dual = true;                          // two channels; false: one channel, both sides mixed
  bool trim_silence = false;                 // drop leading and trailing audio silent on both sides
  double silence_threshold = 300.0;          // RMS, see SilenceDetector
  std::chrono::milliseconds max_length{std::chrono::hours(4)};
  std::chrono::milliseconds slack{200};      // jitter tolerated before a late channel is padded
};

class CallRecorder {
 public:
  static constexpr std::uint32_t kRate = 8000;
  static constexpr std::size_t kChunkSamples = 32 * 1024;  // 64 KiB

  // `start` is time zero of the file.
  [[nodiscard]] static Result<std::unique_ptr<CallRecorder>> open(const CallRecorderConfig& cfg,
                                                                   Clock::time_point start);
  ~CallRecorder();
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;

  // Decoded audio of channel 0 or 1 at `rate` (resampled to 8 kHz), received
  // at `now`. Returns why the recording must end now (max length), else nullopt.
  std::optional<RecordEnd> write(int channel, std::span<const std::int16_t> pcm, std::uint32_t rate,
                                 Clock::time_point now);
  // `samples` (at `rate`) lost on a channel: silence, never past the time line.
  std::optional<RecordEnd> write_gap(int channel, std::size_t samples, std::uint32_t rate, Clock::time_point now);
  // Pads the shorter channel, flushes, trims, writes the header and closes.
  [[nodiscard]] Result<RecordingInfo> finish(RecordEnd why);

  std::uint16_t channels() const { return cfg_.dual ? 2 : 1; }
  std::uint64_t frames_received() const { return received_; }

 private:
  struct Channel {
    std::uint32_t rate = kRate;
    std::optional<codec::Resampler> resampler;
    std::vector<std::int16_t> pending;  // placed on the time line, not yet written
    std::uint64_t placed = 0;           // samples on the time line (written + pending)
    bool heard = false;                 // a frame arrived
    Clock::time_point last_at{};        // when the last frame arrived
  };
  explicit CallRecorder(const CallRecorderConfig& cfg, Clock::time_point start);
  std::uint64_t expected(Clock::time_point now) const;
  void pad_to(Channel& c, std::uint64_t position);
  bool set_rate(Channel& c, std::uint32_t rate);
  std::optional<RecordEnd> emit();
  std::optional<RecordEnd> append_frames(std::span<const std::int16_t> a, std::span<const std::int16_t> b);
  Status flush();

  CallRecorderConfig cfg_;
  Clock::time_point start_;
  int fd_ = -1;
  Channel ch_[2];
  std::uint64_t emitted_ = 0;            // frames taken from the channels
  std::vector<std::int16_t> chunk_;      // pending interleaved samples
  std::vector<std::int16_t> scratch_;    // resampler output
  std::uint64_t received_ = 0;           // frames on the time line written so far (counts toward max_length)
  std::uint64_t in_file_ = 0;            // frames written or buffered
  std::uint64_t last_sound_end_ = 0;     // in_file_ after the last non-silent span
  bool started_ = false;                 // leading silence over (or not trimming)
  bool heard_ = false;
  bool failed_ = false;
  bool finished_ = false;
  bool at_max_ = false;
};

}  // namespace callwire::media::engine
