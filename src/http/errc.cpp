#include "http/errc.hpp"

#include <string>

namespace callwire::http {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.http"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::BadPercentEncoding: return "invalid percent-encoding";
      case Errc::BadFormBody: return "invalid form encoding";
      case Errc::BadPath: return "invalid request path";
      case Errc::BadBoolean: return "invalid boolean";
      case Errc::BadInteger: return "invalid integer";
      case Errc::OutOfRange: return "integer out of range";
      case Errc::BadDate: return "invalid date";
      case Errc::BadUrl: return "invalid URL";
      case Errc::Timeout: return "HTTP request timed out";
      case Errc::BadResponse: return "invalid HTTP response";
      case Errc::AlreadyStarted: return "server already started";
    }
    return "unknown http error";
  }
};
}  // namespace

const std::error_category& http_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::http
