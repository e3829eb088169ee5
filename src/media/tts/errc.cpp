#include "media/tts/errc.hpp"

#include <string>

namespace callwire::media::tts {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.media.tts"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::EmptyText: return "nothing to say";
      case Errc::TextTooLong: return "text too long";
      case Errc::BadSampleRate: return "unsupported output sample rate";
      case Errc::QueueFull: return "too many speech syntheses waiting";
      case Errc::EngineFailed: return "speech synthesis failed";
      case Errc::ShuttingDown: return "speech synthesizer stopped";
    }
    return "tts error " + std::to_string(ev);
  }
};
}  // namespace

const std::error_category& tts_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::media::tts
