#include "sip/message/errc.hpp"

#include <string>

namespace callwire::sip {
namespace {

class SipCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sip"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::Incomplete: return "Incomplete message";
      case Errc::MessageTooLarge: return "Message too large";
      case Errc::TooManyHeaders: return "Too many headers";
      case Errc::LineTooLong: return "Header line too long";
      case Errc::BadStartLine: return "Malformed start line";
      case Errc::VersionNotSupported: return "SIP version not supported";
      case Errc::BadHeader: return "Malformed header line";
      case Errc::BadHeaderValue: return "Malformed header value";
      case Errc::MissingHeader: return "Missing mandatory header";
      case Errc::BadContentLength: return "Bad Content-Length";
      case Errc::BadCSeq: return "Bad CSeq";
      case Errc::BadVia: return "Bad Via";
      case Errc::BadUri: return "Bad URI";
      case Errc::BadParam: return "Bad parameter";
    }
    return "Unknown SIP error " + std::to_string(ev);
  }
};

}  // namespace

const std::error_category& sip_category() {
  static const SipCategory category;  // stateless; a function-local static is the standard idiom
  return category;
}

int status_for(const Error& e) {
  if (e.code.category() != sip_category()) return 400;
  switch (static_cast<Errc>(e.code.value())) {
    case Errc::VersionNotSupported: return 505;
    case Errc::MessageTooLarge: return 513;
    default: return 400;
  }
}

}  // namespace callwire::sip
