#include "media/sdp/errc.hpp"

#include <string>

namespace callwire::media::sdp {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sdp"; }
  std::string message(int code) const override {
    switch (static_cast<Errc>(code)) {
      case Errc::Malformed: return "Malformed SDP";
      case Errc::LimitExceeded: return "SDP too large";
      case Errc::NoAudioStream: return "No audio stream offered";
      case Errc::NoCommonCodec: return "No common codec";
      case Errc::SrtpRequired: return "SRTP required";
      case Errc::SrtpNotAllowed: return "SRTP not allowed";
      case Errc::NoCommonCrypto: return "No common SRTP crypto suite";
      case Errc::BadAnswer: return "SDP answer does not match the offer";
      case Errc::InvalidLocal: return "Local media settings unusable";
    }
    return "SDP error " + std::to_string(code);
  }
};

}  // namespace

const std::error_category& sdp_category() {
  static const Category category;
  return category;
}

int sip_status(std::error_code code) {
  if (code.category() != sdp_category()) return 0;
  switch (static_cast<Errc>(code.value())) {
    case Errc::Malformed:
    case Errc::LimitExceeded: return 400;
    case Errc::NoAudioStream:
    case Errc::NoCommonCodec:
    case Errc::SrtpRequired:
    case Errc::SrtpNotAllowed:
    case Errc::NoCommonCrypto:
    case Errc::BadAnswer: return 488;
    case Errc::InvalidLocal: return 500;
  }
  return 0;
}

}  // namespace callwire::media::sdp
