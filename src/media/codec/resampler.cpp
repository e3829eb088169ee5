#include "media/codec/resampler.hpp"

#include <algorithm>
#include <array>
#include <string>

#include <speex/speex_resampler.h>

#include "media/codec/errc.hpp"

namespace callwire::media::codec {

void Resampler::Free::operator()(SpeexResamplerState_* s) const { speex_resampler_destroy(s); }

Result<Resampler> Resampler::create(std::uint32_t in_rate, std::uint32_t out_rate, int quality) {
  if (in_rate < 1000 || in_rate > 192000 || out_rate < 1000 || out_rate > 192000)
    return fail(Errc::BadSampleRate, std::to_string(in_rate) + " -> " + std::to_string(out_rate));
  quality = std::clamp(quality, 0, 10);
  if (in_rate == out_rate) return Resampler(nullptr, in_rate, out_rate, quality);
  int err = RESAMPLER_ERR_SUCCESS;
  SpeexResamplerState* s = speex_resampler_init(1, in_rate, out_rate, quality, &err);
  if (!s || err != RESAMPLER_ERR_SUCCESS) return fail(Errc::InitFailed, speex_resampler_strerror(err));
  speex_resampler_skip_zeros(s);
  return Resampler(s, in_rate, out_rate, quality);
}

Resampler::Progress Resampler::process(std::span<const std::int16_t> in, std::span<std::int16_t> out) {
  const Progress p = run(in, out);
  in_total_ += p.consumed;
  out_total_ += p.produced;
  return p;
}

Resampler::Progress Resampler::run(std::span<const std::int16_t> in, std::span<std::int16_t> out) {
  if (!state_) {
    const std::size_t n = std::min(in.size(), out.size());
    std::copy_n(in.begin(), n, out.begin());
    return {n, n};
  }
  spx_uint32_t in_len = static_cast<spx_uint32_t>(in.size());
  spx_uint32_t out_len = static_cast<spx_uint32_t>(out.size());
  speex_resampler_process_int(state_.get(), 0, in.data(), &in_len, out.data(), &out_len);
  return {in_len, out_len};
}

std::size_t Resampler::flush(std::span<std::int16_t> out) {
  if (!state_) return 0;
  static constexpr std::array<std::int16_t, 64> kZeros{};
  // The filter holds input_latency samples; push that many zeros through and
  // keep only the outputs those real samples still owe.
  const std::uint64_t expected = in_total_ * out_rate_ / in_rate_;
  const std::size_t owed =
      std::min<std::size_t>(out.size(), expected > out_total_ ? static_cast<std::size_t>(expected - out_total_) : 0);
  std::size_t pending = 2 * static_cast<std::size_t>(speex_resampler_get_input_latency(state_.get())) + 1;
  std::size_t produced = 0;
  while (pending > 0 && produced < owed) {
    const std::size_t chunk = std::min(pending, kZeros.size());
    const Progress p = run(std::span(kZeros.data(), chunk), out.subspan(produced, owed - produced));
    if (p.consumed == 0 && p.produced == 0) break;
    pending -= p.consumed;
    produced += p.produced;
  }
  reset();
  return produced;
}

void Resampler::reset() {
  in_total_ = out_total_ = 0;
  if (!state_) return;
  speex_resampler_reset_mem(state_.get());
  speex_resampler_skip_zeros(state_.get());
}

std::size_t Resampler::max_output(std::size_t in_samples) const {
  return in_samples * out_rate_ / in_rate_ + 2;
}

Result<std::vector<std::int16_t>> resample(std::span<const std::int16_t> in, std::uint32_t in_rate,
                                          std::uint32_t out_rate, int quality) {
  auto r = Resampler::create(in_rate, out_rate, quality);
  if (!r) return std::unexpected(r.error());
  // Room for the converted input plus the drained filter tail.
  std::vector<std::int16_t> out(r->max_output(in.size()) + r->max_output(1024));
  std::size_t produced = 0;
  while (!in.empty()) {
    const auto p = r->process(in, std::span(out).subspan(produced));
    in = in.subspan(p.consumed);
    produced += p.produced;
    if (p.consumed == 0) break;
  }
  produced += r->flush(std::span(out).subspan(produced));
  out.resize(produced);
  return out;
}

}  // namespace callwire::media::codec
