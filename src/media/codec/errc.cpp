#include "media/codec/errc.hpp"

#include <string>

namespace callwire::media::codec {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.media.codec"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::UnknownCodec: return "unknown codec";
      case Errc::BadClockRate: return "unsupported RTP clock rate for the codec";
      case Errc::BadChannels: return "unsupported channel count for the codec";
      case Errc::BadSampleRate: return "unsupported sample rate";
      case Errc::BadDigits: return "invalid DTMF digit";
      case Errc::OutputTooSmall: return "output buffer too small";
      case Errc::CorruptPayload: return "payload could not be decoded";
      case Errc::InitFailed: return "codec state could not be created";
    }
    return "codec error " + std::to_string(ev);
  }
};
}  // namespace

const std::error_category& codec_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::media::codec
