#include "media/srtp/errc.hpp"

#include <string>

namespace callwire::media::srtp {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.media.srtp"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::InitFailed: return "libsrtp could not be initialised";
      case Errc::UnknownSuite: return "unsupported SRTP crypto suite";
      case Errc::BadKey: return "SRTP master key and salt unusable";
      case Errc::AuthFailed: return "SRTP authentication failed";
      case Errc::Replayed: return "SRTP packet replayed";
      case Errc::BadPacket: return "SRTP packet refused";
      case Errc::BufferTooSmall: return "no room for the SRTP authentication tag";
    }
    return "srtp error " + std::to_string(ev);
  }
};
}  // namespace

const std::error_category& srtp_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::media::srtp
