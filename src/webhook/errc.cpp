#include "webhook/errc.hpp"

#include <string>

namespace callwire::webhook {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.webhook"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::BadUrl: return "invalid URL format";
      case Errc::BadRetryPolicy: return "invalid retry policy in the URL fragment";
    }
    return "webhook error " + std::to_string(ev);
  }
};
}  // namespace

const std::error_category& webhook_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::webhook
