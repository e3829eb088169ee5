#include "store/errc.hpp"

#include <string>

namespace callwire::store {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.store"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::NotFound: return "not found";
      case Errc::Conflict: return "already exists";
      case Errc::ForeignKey: return "referenced row missing or still in use";
      case Errc::Invalid: return "invalid value";
      case Errc::Unavailable: return "database unavailable";
      case Errc::Internal: return "internal database error";
      case Errc::SecretKey: return "secret key missing or not the one the data was encrypted with";
    }
    return "unknown store error";
  }
};
}  // namespace

const std::error_category& store_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::store
