#pragma once
// A receive sink that writes what the peer says as an 8 kHz 16-bit mono WAV
// (the RIFF header is written by hand). Why this I/O scheme: samples are
// buffered in memory and written in 64 KiB chunks (4 s of audio) with one
// write(2) each, which lands in the page cache in microseconds, so the worker
// never waits for the disk in practice; the header is patched and trailing
// silence cut with ftruncate when the recording ends. A recording thus holds
// at most 64 KiB of memory however long it is.
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "media/engine/errc.hpp"
#include "media/codec/resampler.hpp"
#include "media/engine/silence_detector.hpp"

namespace callwire::media::engine {

struct RecorderConfig {
  std::string path;
  std::chrono::milliseconds max_length{std::chrono::hours(1)};
  bool trim_silence = false;                 // drop leading and trailing silence
  std::optional<std::chrono::milliseconds> silence_timeout;  // end after this much silence
  double silence_threshold = 300.0;          // RMS, see SilenceDetector
  std::uint32_t input_rate = 8000;           // PCM rate given to write(); resampled to 8 kHz
};

enum class RecordEnd { MaxLength, Silence, Stopped, Closed, Error };

struct RecordingInfo {
  std::string path;
  std::uint64_t samples = 0;                 // 8 kHz samples in the file
  std::chrono::milliseconds duration{0};
  RecordEnd end = RecordEnd::Stopped;
  bool heard_sound = false;
  std::uint16_t channels = 1;                // 2: a dual-channel call recording (CallRecorder)
};

class Recorder {
 public:
  static constexpr std::uint32_t kRate = 8000;
  static constexpr std::size_t kChunkSamples = 32 * 1024;  // 64 KiB

  [[nodiscard]] static Result<std::unique_ptr<Recorder>> open(const RecorderConfig& cfg);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // One received frame. Returns why the recording must end now (max length
  // reached, silence timeout), else nullopt.
  std::optional<RecordEnd> write(std::span<const std::int16_t> pcm);
  // `samples` lost input samples (written as silence, at most 1 s at a time).
  std::optional<RecordEnd> write_gap(std::size_t samples);
  // Flushes, trims, writes the header and closes the file.
  [[nodiscard]] Result<RecordingInfo> finish(RecordEnd why);

  std::uint64_t samples_received() const { return received_; }

 private:
  explicit Recorder(const RecorderConfig& cfg);
  std::optional<RecordEnd> append(std::span<const std::int16_t> pcm8k);
  Status flush();

  RecorderConfig cfg_;
  int fd_ = -1;
  std::optional<codec::Resampler> resampler_;
  std::vector<std::int16_t> chunk_;     // pending samples, up to kChunkSamples
  std::vector<std::int16_t> scratch_;   // resampler output
  SilenceDetector silence_;
  std::uint64_t received_ = 0;          // 8 kHz samples seen (counts toward max_length)
  std::uint64_t in_file_ = 0;           // samples written or buffered
  std::uint64_t last_sound_end_ = 0;    // in_file_ after the last non-silent frame
  bool started_ = false;                // leading silence over (or not trimming)
  bool failed_ = false;
  bool finished_ = false;
};

// The 44-byte canonical WAV header for `samples` 16-bit frames of `channels`.
std::array<std::uint8_t, 44> wav_header(std::uint64_t samples, std::uint32_t rate = Recorder::kRate,
                                        std::uint16_t channels = 1);

}  // namespace callwire::media::engine
