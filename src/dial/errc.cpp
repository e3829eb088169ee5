#include "dial/errc.hpp"

#include <string>

namespace callwire::dial {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.dial"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::InvalidNumber: return "invalid phone number";
      case Errc::NoRoute: return "no trunk routes this number";
      case Errc::TrunkNotFound: return "trunk not found";
      case Errc::TrunkDisabled: return "trunk disabled";
      case Errc::InvalidSipUri: return "invalid SIP URI";
      case Errc::SipsNotSupported: return "sips: URIs are not supported";
      case Errc::UriTooLong: return "SIP URI too long";
      case Errc::HeadersTooLong: return "SIP URI headers too long";
      case Errc::HeaderNotAllowed: return "SIP header not allowed";
    }
    return "unknown dial error";
  }
};
}  // namespace

const std::error_category& dial_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::dial
