#include "media/audio/mono_sink.hpp"

#include <algorithm>
#include <string>

namespace callwire::media::audio {

MonoSink::MonoSink(std::uint32_t out_rate, const DecodeLimits& limits)
    : out_rate_(out_rate),
      max_out_samples_(static_cast<std::size_t>(limits.max_duration.count()) * out_rate),
      max_channels_(limits.max_channels) {}

Status MonoSink::set_input(std::uint32_t in_rate, int channels) {
  if (channels < 1 || channels > max_channels_)
    return fail(Errc::UnsupportedFormat, std::to_string(channels) + " channels");
  channels_ = channels;
  if (resampler_ && resampler_->in_rate() == in_rate) return {};
  if (resampler_) {
    if (auto s = drain_resampler(); !s) return s;
  }
  auto r = codec::Resampler::create(in_rate, out_rate_);
  if (!r) return fail(Errc::UnsupportedFormat, "sample rate " + std::to_string(in_rate) + " Hz");
  resampler_.emplace(std::move(*r));
  return {};
}

void MonoSink::expect_frames(std::uint64_t frames) {
  if (!resampler_) return;
  const std::uint64_t want = frames * out_rate_ / resampler_->in_rate() + 16;
  out_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(want, max_out_samples_ + 16)));
}

Status MonoSink::append(std::span<const std::int16_t> mono) {
  if (out_.size() + mono.size() > max_out_samples_)
    return fail(Errc::TooLong, "longer than " + std::to_string(max_out_samples_ / out_rate_) + " s");
  out_.insert(out_.end(), mono.begin(), mono.end());
  return {};
}

Status MonoSink::push(std::span<const std::int16_t> interleaved) {
  if (!resampler_) return fail(Errc::Corrupt, "samples before a format");
  const auto ch = static_cast<std::size_t>(channels_);
  const std::size_t frames = interleaved.size() / ch;
  mono_.resize(frames);
  if (ch == 1) {
    std::copy_n(interleaved.begin(), frames, mono_.begin());
  } else {
    for (std::size_t f = 0; f < frames; ++f) {
      std::int32_t sum = 0;
      for (std::size_t c = 0; c < ch; ++c) sum += interleaved[f * ch + c];
      mono_[f] = static_cast<std::int16_t>(sum / static_cast<std::int32_t>(ch));
    }
  }
  std::span<const std::int16_t> in(mono_);
  scratch_.resize(resampler_->max_output(in.size()));
  while (!in.empty()) {
    const auto p = resampler_->process(in, scratch_);
    if (auto s = append(std::span(scratch_).first(p.produced)); !s) return s;
    in = in.subspan(p.consumed);
    if (p.consumed == 0 && p.produced == 0) break;
  }
  return {};
}

Status MonoSink::drain_resampler() {
  scratch_.resize(resampler_->max_output(1024));
  const std::size_t n = resampler_->flush(scratch_);
  return append(std::span(scratch_).first(n));
}

Result<Audio> MonoSink::finish() {
  if (resampler_) {
    if (auto s = drain_resampler(); !s) return std::unexpected(s.error());
  }
  if (out_.empty()) return fail(Errc::Empty);
  Audio audio;
  audio.sample_rate = out_rate_;
  out_.shrink_to_fit();
  audio.samples = std::move(out_);
  return audio;
}

}  // namespace callwire::media::audio
