#include "media/engine/recorder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace callwire::media::engine {

namespace {
void put32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}
}  // namespace

std::array<std::uint8_t, 44> wav_header(std::uint64_t samples, std::uint32_t rate, std::uint16_t channels) {
  std::array<std::uint8_t, 44> h{};
  auto data = static_cast<std::uint32_t>(std::min<std::uint64_t>(samples * 2 * channels, 0xFFFFFFFFull - 36));
  std::memcpy(h.data(), "RIFF", 4);
  put32(h.data() + 4, 36 + data);
  std::memcpy(h.data() + 8, "WAVEfmt ", 8);
  put32(h.data() + 16, 16);
  put16(h.data() + 20, 1);   // PCM
  put16(h.data() + 22, channels);
  put32(h.data() + 24, rate);
  put32(h.data() + 28, rate * 2 * channels);  // byte rate
  put16(h.data() + 32, static_cast<std::uint16_t>(2 * channels));  // block align
  put16(h.data() + 34, 16);
  std::memcpy(h.data() + 36, "data", 4);
  put32(h.data() + 40, data);
  return h;
}

Recorder::Recorder(const RecorderConfig& cfg)
    : cfg_(cfg),
      silence_(SilenceConfig{cfg.silence_threshold, cfg.silence_timeout.value_or(std::chrono::milliseconds::max())},
               kRate) {}

Recorder::~Recorder() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<Recorder>> Recorder::open(const RecorderConfig& cfg) {
  std::unique_ptr<Recorder> r(new Recorder(cfg));
  if (cfg.input_rate != kRate) {
    auto rs = codec::Resampler::create(cfg.input_rate, kRate);
    if (!rs) return std::unexpected(rs.error());
    r->resampler_.emplace(std::move(*rs));
    r->scratch_.resize(r->resampler_->max_output(2048));
  }
  r->fd_ = ::open(cfg.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (r->fd_ < 0) return fail(std::error_code(errno, std::generic_category()), "cannot create " + cfg.path);
  auto h = wav_header(0);
  if (::write(r->fd_, h.data(), h.size()) != static_cast<ssize_t>(h.size()))
    return fail(std::error_code(errno, std::generic_category()), "cannot write " + cfg.path);
  r->chunk_.reserve(kChunkSamples);
  r->started_ = !cfg.trim_silence;
  return r;
}

std::optional<RecordEnd> Recorder::write(std::span<const std::int16_t> pcm) {
  if (finished_) return std::nullopt;
  if (!resampler_) return append(pcm);
  while (!pcm.empty()) {
    auto slice = pcm.first(std::min<std::size_t>(pcm.size(), 2048));
    auto p = resampler_->process(slice, scratch_);
    pcm = pcm.subspan(p.consumed);
    if (auto end = append(std::span<const std::int16_t>(scratch_.data(), p.produced))) return end;
    if (p.consumed == 0) break;
  }
  return std::nullopt;
}

std::optional<RecordEnd> Recorder::write_gap(std::size_t samples) {
  static constexpr std::int16_t kZeros[160] = {};
  std::size_t out = std::min<std::size_t>(samples, cfg_.input_rate) * kRate / cfg_.input_rate;
  while (out > 0) {
    std::size_t n = std::min<std::size_t>(out, 160);
    if (auto end = append(std::span<const std::int16_t>(kZeros, n))) return end;
    out -= n;
  }
  return std::nullopt;
}

std::optional<RecordEnd> Recorder::append(std::span<const std::int16_t> pcm) {
  if (pcm.empty()) return std::nullopt;
  std::uint64_t max_samples = static_cast<std::uint64_t>(cfg_.max_length.count()) * kRate / 1000;
  if (received_ + pcm.size() > max_samples) pcm = pcm.first(static_cast<std::size_t>(max_samples - received_));
  received_ += pcm.size();
  bool silent = silence_.process(pcm);
  if (!started_ && !silent) started_ = true;
  if (started_) {
    for (auto s : pcm) {
      chunk_.push_back(s);
      if (chunk_.size() == kChunkSamples && !flush()) failed_ = true;
    }
    in_file_ += pcm.size();
    if (!silent) last_sound_end_ = in_file_;
  }
  if (failed_) return RecordEnd::Error;
  if (received_ >= max_samples) return RecordEnd::MaxLength;
  if (cfg_.silence_timeout && silence_.timed_out()) return RecordEnd::Silence;
  return std::nullopt;
}

Status Recorder::flush() {
  const auto* p = reinterpret_cast<const char*>(chunk_.data());
  std::size_t left = chunk_.size() * sizeof(std::int16_t);
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(std::error_code(errno, std::generic_category()), "recording write failed");
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  chunk_.clear();
  return {};
}

Result<RecordingInfo> Recorder::finish(RecordEnd why) {
  if (finished_) return fail(Errc::Busy, "recording already finished");
  finished_ = true;
  if (auto st = flush(); !st) return std::unexpected(st.error());
  std::uint64_t samples = cfg_.trim_silence ? last_sound_end_ : in_file_;
  if (samples != in_file_ && ::ftruncate(fd_, static_cast<off_t>(44 + samples * 2)) != 0)
    return fail(std::error_code(errno, std::generic_category()), "recording truncate failed");
  auto h = wav_header(samples);
  if (::pwrite(fd_, h.data(), h.size(), 0) != static_cast<ssize_t>(h.size()))
    return fail(std::error_code(errno, std::generic_category()), "recording header write failed");
  ::close(fd_);
  fd_ = -1;
  RecordingInfo info;
  info.path = cfg_.path;
  info.samples = samples;
  info.duration = std::chrono::milliseconds(samples * 1000 / kRate);
  info.end = failed_ ? RecordEnd::Error : why;
  info.heard_sound = silence_.heard_sound();
  return info;
}

}  // namespace callwire::media::engine
