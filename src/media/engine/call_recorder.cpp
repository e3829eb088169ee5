#include "media/engine/call_recorder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <limits>

#include "media/engine/silence_detector.hpp"

namespace callwire::media::engine {

namespace {
std::error_code last_errno() { return std::error_code(errno, std::generic_category()); }
}  // namespace

CallRecorder::CallRecorder(const CallRecorderConfig& cfg, Clock::time_point start) : cfg_(cfg), start_(start) {}

CallRecorder::~CallRecorder() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<CallRecorder>> CallRecorder::open(const CallRecorderConfig& cfg, Clock::time_point start) {
  std::unique_ptr<CallRecorder> r(new CallRecorder(cfg, start));
  r->fd_ = ::open(cfg.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (r->fd_ < 0) return fail(last_errno(), "cannot create " + cfg.path);
  auto h = wav_header(0, kRate, r->channels());
  if (::write(r->fd_, h.data(), h.size()) != static_cast<ssize_t>(h.size()))
    return fail(last_errno(), "cannot write " + cfg.path);
  r->chunk_.reserve(kChunkSamples);
  r->started_ = !cfg.trim_silence;
  return r;
}

std::uint64_t CallRecorder::expected(Clock::time_point now) const {
  if (now <= start_) return 0;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - start_).count();
  return static_cast<std::uint64_t>(us) * kRate / 1'000'000;
}

void CallRecorder::pad_to(Channel& c, std::uint64_t position) {
  if (c.placed >= position) return;
  c.pending.resize(c.pending.size() + static_cast<std::size_t>(position - c.placed), 0);
  c.placed = position;
}

bool CallRecorder::set_rate(Channel& c, std::uint32_t rate) {
  if (rate == 0) return false;
  if (rate == c.rate && (rate == kRate || c.resampler)) return true;
  c.resampler.reset();
  c.rate = rate;
  if (rate == kRate) return true;
  auto rs = codec::Resampler::create(rate, kRate);
  if (!rs) return false;
  c.resampler.emplace(std::move(*rs));
  scratch_.resize(std::max(scratch_.size(), c.resampler->max_output(2048)));
  return true;
}

std::optional<RecordEnd> CallRecorder::write(int channel, std::span<const std::int16_t> pcm, std::uint32_t rate,
                                             Clock::time_point now) {
  if (finished_ || at_max_ || channel < 0 || channel > 1) return std::nullopt;
  auto& c = ch_[channel];
  if (!set_rate(c, rate)) {
    failed_ = true;
    return RecordEnd::Error;
  }
  std::size_t n8k = pcm.size() * kRate / c.rate;
  auto pos = expected(now);
  auto slack = static_cast<std::uint64_t>(cfg_.slack.count()) * kRate / 1000;
  // A first frame, or the first after a pause longer than the slack (late
  // start, hold, silence suppression): it ends now. Within a stream, jitter
  // moves nothing (loss comes as gaps).
  if ((!c.heard || now - c.last_at > cfg_.slack) && pos > n8k) pad_to(c, pos - n8k);
  c.heard = true;
  c.last_at = now;
  if (!c.resampler) {
    c.pending.insert(c.pending.end(), pcm.begin(), pcm.end());
    c.placed += pcm.size();
  } else {
    while (!pcm.empty()) {
      auto p = c.resampler->process(pcm.first(std::min<std::size_t>(pcm.size(), 2048)), scratch_);
      pcm = pcm.subspan(p.consumed);
      c.pending.insert(c.pending.end(), scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(p.produced));
      c.placed += p.produced;
      if (p.consumed == 0) break;
    }
  }
  // The other side sends nothing: keep it on the time line so frames flow.
  auto& o = ch_[1 - channel];
  if (o.placed + slack < pos) pad_to(o, pos - slack);
  return emit();
}

std::optional<RecordEnd> CallRecorder::write_gap(int channel, std::size_t samples, std::uint32_t rate,
                                                 Clock::time_point now) {
  if (finished_ || at_max_ || channel < 0 || channel > 1 || rate == 0) return std::nullopt;
  auto& c = ch_[channel];
  auto slack = static_cast<std::uint64_t>(cfg_.slack.count()) * kRate / 1000;
  std::uint64_t limit = expected(now) + slack;  // a timestamp jump never runs ahead of the clock
  std::uint64_t want = c.placed + static_cast<std::uint64_t>(samples) * kRate / rate;
  pad_to(c, std::min(want, limit));
  return emit();
}

std::optional<RecordEnd> CallRecorder::emit() {
  auto& a = ch_[0];
  auto& b = ch_[1];
  std::uint64_t ready = std::min(a.placed, b.placed) - emitted_;
  if (ready == 0) return failed_ ? std::optional(RecordEnd::Error) : std::nullopt;
  auto n = static_cast<std::size_t>(ready);
  auto end = append_frames(std::span<const std::int16_t>(a.pending.data(), n),
                           std::span<const std::int16_t>(b.pending.data(), n));
  a.pending.erase(a.pending.begin(), a.pending.begin() + static_cast<std::ptrdiff_t>(n));
  b.pending.erase(b.pending.begin(), b.pending.begin() + static_cast<std::ptrdiff_t>(n));
  emitted_ += n;
  return end;
}

std::optional<RecordEnd> CallRecorder::append_frames(std::span<const std::int16_t> a, std::span<const std::int16_t> b) {
  std::uint64_t max_frames = static_cast<std::uint64_t>(cfg_.max_length.count()) * kRate / 1000;
  std::size_t n = std::min(a.size(), b.size());
  if (received_ + n > max_frames) n = static_cast<std::size_t>(max_frames - received_);
  a = a.first(n);
  b = b.first(n);
  received_ += n;
  bool silent = SilenceDetector::rms(a) < cfg_.silence_threshold && SilenceDetector::rms(b) < cfg_.silence_threshold;
  if (!silent) heard_ = true;
  if (!started_ && !silent) started_ = true;
  if (started_ && n > 0) {
    for (std::size_t i = 0; i < n; ++i) {
      if (cfg_.dual) {
        chunk_.push_back(a[i]);
        chunk_.push_back(b[i]);
      } else {
        int mixed = static_cast<int>(a[i]) + b[i];
        chunk_.push_back(static_cast<std::int16_t>(std::clamp(mixed, -32768, 32767)));
      }
      if (chunk_.size() >= kChunkSamples && !flush()) failed_ = true;
    }
    in_file_ += n;
    if (!silent) last_sound_end_ = in_file_;
  }
  if (failed_) return RecordEnd::Error;
  if (received_ >= max_frames) {
    at_max_ = true;
    return RecordEnd::MaxLength;
  }
  return std::nullopt;
}

Status CallRecorder::flush() {
  const auto* p = reinterpret_cast<const char*>(chunk_.data());
  std::size_t left = chunk_.size() * sizeof(std::int16_t);
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(last_errno(), "recording write failed");
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  chunk_.clear();
  return {};
}

Result<RecordingInfo> CallRecorder::finish(RecordEnd why) {
  if (finished_) return fail(Errc::Busy, "recording already finished");
  // Both channels end together: the shorter one ends in silence.
  if (!at_max_) {
    auto longest = std::max(ch_[0].placed, ch_[1].placed);
    pad_to(ch_[0], longest);
    pad_to(ch_[1], longest);
    (void)emit();
  }
  finished_ = true;
  if (auto st = flush(); !st) return std::unexpected(st.error());
  std::uint64_t frames = cfg_.trim_silence ? last_sound_end_ : in_file_;
  auto bytes_per_frame = static_cast<std::uint64_t>(2 * channels());
  if (frames != in_file_ && ::ftruncate(fd_, static_cast<off_t>(44 + frames * bytes_per_frame)) != 0)
    return fail(last_errno(), "recording truncate failed");
  auto h = wav_header(frames, kRate, channels());
  if (::pwrite(fd_, h.data(), h.size(), 0) != static_cast<ssize_t>(h.size()))
    return fail(last_errno(), "recording header write failed");
  ::close(fd_);
  fd_ = -1;
  RecordingInfo info;
  info.path = cfg_.path;
  info.samples = frames;
  info.duration = std::chrono::milliseconds(frames * 1000 / kRate);
  info.end = failed_ ? RecordEnd::Error : why;
  info.heard_sound = heard_;
  info.channels = channels();
  return info;
}

}  // namespace callwire::media::engine
