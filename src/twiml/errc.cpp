#include "twiml/errc.hpp"

#include <string>

namespace callwire::twiml {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "twiml"; }
  std::string message(int code) const override {
    switch (static_cast<Errc>(code)) {
      case Errc::InvalidXml: return "Document parse failure";
      case Errc::InvalidXmlVersion: return "Invalid XML version";
      case Errc::BadRoot: return "The root element must be Response";
      case Errc::Schema: return "Schema validation warning";
      case Errc::InvalidContentType: return "Invalid Content-Type";
      case Errc::DialTimeout: return "Dial: invalid timeout value";
      case Errc::DialCallerId: return "Dial: invalid callerId value";
      case Errc::DialTimeLimit: return "Dial: invalid timeLimit value";
      case Errc::DialNumberFormat: return "Dial: invalid phone number format";
      case Errc::DialNumber: return "Dial: invalid phone number";
      case Errc::PlayLoop: return "Play: invalid loop value";
      case Errc::PlayUrl: return "Play: invalid URL or content";
      case Errc::SayLoop: return "Say: invalid loop value";
      case Errc::SayVoice: return "Say: invalid voice or language";
      case Errc::SayText: return "Say: invalid text";
      case Errc::RedirectMethod: return "Redirect: invalid method";
      case Errc::PauseLength: return "Pause: invalid length";
    }
    return "TwiML error " + std::to_string(code);
  }
};

}  // namespace

const std::error_category& twiml_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::twiml
