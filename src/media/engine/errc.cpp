#include "media/engine/errc.hpp"

#include <string>

namespace callwire::media::engine {

namespace {
class Category : public std::error_category {
 public:
  const char* name() const noexcept override { return "media_engine"; }
  std::string message(int c) const override {
    switch (static_cast<Errc>(c)) {
      case Errc::BadArgument: return "bad argument";
      case Errc::Closed: return "media session closed";
      case Errc::NotStarted: return "media session not started";
      case Errc::Busy: return "already in progress";
      case Errc::Unsupported: return "not supported";
      case Errc::NoPort: return "no RTP port pair available";
    }
    return "unknown media engine error";
  }
};
}  // namespace

const std::error_category& engine_category() {
  static const Category c;
  return c;
}

}  // namespace callwire::media::engine
