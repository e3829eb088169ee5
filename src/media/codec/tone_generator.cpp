#include "media/codec/tone_generator.hpp"

#include <array>
#include <optional>
#include <string>

#include <spandsp.h>

#include "media/codec/errc.hpp"
#include "media/codec/resampler.hpp"

namespace callwire::media::codec {

struct ToneGenerator::Impl {
  dtmf_tx_state_t* dtmf = nullptr;
  tone_gen_descriptor_t* tone_desc = nullptr;
  tone_gen_state_t* tone = nullptr;
  std::uint32_t rate = 8000;
  std::optional<Resampler> resampler;  // set when rate != 8000
  std::array<std::int16_t, 160> scratch{};  // 8 kHz samples waiting for the resampler
  std::size_t scratch_pos = 0;
  std::size_t scratch_len = 0;
  bool source_done = false;
  bool done = false;

  ~Impl() {
    if (dtmf) dtmf_tx_free(dtmf);
    if (tone) tone_gen_free(tone);
    if (tone_desc) tone_gen_descriptor_free(tone_desc);
  }

  Status set_rate(std::uint32_t r) {
    rate = r;
    if (r == 8000) return {};
    auto res = Resampler::create(8000, r);
    if (!res) return std::unexpected(res.error());
    resampler.emplace(std::move(*res));
    return {};
  }

  // Up to out.size() samples at 8 kHz from spandsp.
  std::size_t source(std::span<std::int16_t> out) {
    const int max = static_cast<int>(out.size());
    const int n = dtmf ? dtmf_tx(dtmf, out.data(), max) : tone_gen(tone, out.data(), max);
    return n < 0 ? 0 : static_cast<std::size_t>(n);
  }

  std::size_t generate(std::span<std::int16_t> out) {
    if (done) return 0;
    if (!resampler) {
      const std::size_t n = source(out);
      if (n < out.size()) done = true;
      return n;
    }
    std::size_t produced = 0;
    while (produced < out.size()) {
      if (scratch_pos == scratch_len && !source_done) {
        scratch_len = source(scratch);
        scratch_pos = 0;
        if (scratch_len < scratch.size()) source_done = true;
      }
      if (scratch_pos == scratch_len) {
        produced += resampler->flush(out.subspan(produced));
        done = true;
        break;
      }
      const auto p = resampler->process(std::span(scratch).subspan(scratch_pos, scratch_len - scratch_pos),
                                        out.subspan(produced));
      scratch_pos += p.consumed;
      produced += p.produced;
      if (p.consumed == 0 && p.produced == 0) break;
    }
    return produced;
  }
};


Result<ToneGenerator> ToneGenerator::dtmf(std::string_view digits, DtmfTiming timing, std::uint32_t sample_rate) {
  std::string clean;
  for (char c : digits) {
    if (c >= 'a' && c <= 'd') c = static_cast<char>(c - 'a' + 'A');
    const bool ok = (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
    if (!ok) return fail(Errc::BadDigits, std::string("'") + c + "'");
    clean += c;
  }
  if (clean.size() > MAX_DTMF_DIGITS) return fail(Errc::BadDigits, "more than 128 digits");
  auto impl = std::make_unique<Impl>();
  impl->dtmf = dtmf_tx_init(nullptr);
  if (!impl->dtmf) return fail(Errc::InitFailed, "dtmf_tx");
  dtmf_tx_set_timing(impl->dtmf, static_cast<int>(timing.on.count()), static_cast<int>(timing.off.count()));
  dtmf_tx_put(impl->dtmf, clean.c_str(), static_cast<int>(clean.size()));
  if (auto st = impl->set_rate(sample_rate); !st) return std::unexpected(st.error());
  return ToneGenerator(std::move(impl));
}

Result<ToneGenerator> ToneGenerator::beep(int frequency_hz, std::chrono::milliseconds duration,
                                          std::uint32_t sample_rate, int level_dbm0) {
  if (frequency_hz <= 0 || frequency_hz >= 4000) return fail(Errc::BadSampleRate, "tone above 4 kHz");
  auto impl = std::make_unique<Impl>();
  impl->tone_desc = tone_gen_descriptor_init(nullptr, frequency_hz, level_dbm0, 0, 0,
                                             static_cast<int>(duration.count()), 0, 0, 0, 0);
  if (!impl->tone_desc) return fail(Errc::InitFailed, "tone_gen descriptor");
  impl->tone = tone_gen_init(nullptr, impl->tone_desc);
  if (!impl->tone) return fail(Errc::InitFailed, "tone_gen");
  if (auto st = impl->set_rate(sample_rate); !st) return std::unexpected(st.error());
  return ToneGenerator(std::move(impl));
}

ToneGenerator::ToneGenerator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ToneGenerator::ToneGenerator(ToneGenerator&&) noexcept = default;
ToneGenerator& ToneGenerator::operator=(ToneGenerator&&) noexcept = default;
ToneGenerator::~ToneGenerator() = default;

std::size_t ToneGenerator::generate(std::span<std::int16_t> out) { return impl_->generate(out); }
bool ToneGenerator::done() const { return impl_->done; }
std::uint32_t ToneGenerator::sample_rate() const { return impl_->rate; }

}  // namespace callwire::media::codec
