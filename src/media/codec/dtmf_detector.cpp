#include "media/codec/dtmf_detector.hpp"

#include <spandsp.h>

#include "media/codec/errc.hpp"

namespace callwire::media::codec {

struct DtmfDetector::Impl {
  DigitHandler on_digit;
  dtmf_rx_state_t* rx = nullptr;

  ~Impl() {
    if (rx) dtmf_rx_free(rx);
  }
  static void on_digits(void* user, const char* digits, int len) {
    auto* self = static_cast<Impl*>(user);
    for (int i = 0; i < len; ++i)
      if (self->on_digit) self->on_digit(digits[i]);
  }
};

Result<DtmfDetector> DtmfDetector::create(DigitHandler on_digit) {
  auto impl = std::make_unique<Impl>();
  impl->on_digit = std::move(on_digit);
  impl->rx = dtmf_rx_init(nullptr, &Impl::on_digits, impl.get());
  if (!impl->rx) return fail(Errc::InitFailed, "dtmf_rx");
  return DtmfDetector(std::move(impl));
}

DtmfDetector::DtmfDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DtmfDetector::DtmfDetector(DtmfDetector&&) noexcept = default;
DtmfDetector& DtmfDetector::operator=(DtmfDetector&&) noexcept = default;
DtmfDetector::~DtmfDetector() = default;

void DtmfDetector::process(std::span<const std::int16_t> pcm) {
  dtmf_rx(impl_->rx, pcm.data(), static_cast<int>(pcm.size()));
}

void DtmfDetector::skip(std::size_t samples) { dtmf_rx_fillin(impl_->rx, static_cast<int>(samples)); }

}  // namespace callwire::media::codec
