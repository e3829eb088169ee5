#include "media/audio/errc.hpp"

#include <string>

namespace callwire::media::audio {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.media.audio"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::UnsupportedContentType: return "unsupported audio content type";
      case Errc::TooLarge: return "audio file too large";
      case Errc::TooLong: return "audio too long";
      case Errc::Corrupt: return "audio file does not decode";
      case Errc::UnsupportedFormat: return "unsupported audio encoding";
      case Errc::Empty: return "audio file has no samples";
      case Errc::BadTargetRate: return "unsupported output sample rate";
      case Errc::DecoderFailed: return "audio decoder failed to start";
    }
    return "audio error " + std::to_string(ev);
  }
};
}  // namespace

const std::error_category& audio_category() {
  static const Category category;
  return category;
}

int alert_code(std::error_code code) {
  if (code.category() != audio_category()) return 0;
  switch (static_cast<Errc>(code.value())) {
    case Errc::UnsupportedContentType: return 12300;
    case Errc::TooLarge:
    case Errc::TooLong:
    case Errc::Corrupt:
    case Errc::UnsupportedFormat:
    case Errc::Empty: return 13420;
    case Errc::BadTargetRate:
    case Errc::DecoderFailed: return 12400;
  }
  return 12400;
}

}  // namespace callwire::media::audio
