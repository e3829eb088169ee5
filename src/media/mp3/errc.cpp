#include "media/mp3/errc.hpp"

#include <string>

namespace callwire::media::mp3 {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.media.mp3"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::BadSampleRate: return "sample rate not supported by MP3";
      case Errc::BadBitrate: return "bitrate not supported by MP3 at this sample rate";
      case Errc::BadQuality: return "MP3 encoder quality out of range";
      case Errc::EncoderFailed: return "MP3 encoder failed";
    }
    return "mp3 error " + std::to_string(ev);
  }
};
}  // namespace

const std::error_category& mp3_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::media::mp3
