#include "net/errc.hpp"

#include <string>

namespace callwire::net {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.net"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::BadAddress: return "bad address";
      case Errc::QueueFull: return "write queue full";
      case Errc::ConnectTimeout: return "connect timed out";
      case Errc::HandshakeTimeout: return "TLS handshake timed out";
      case Errc::IdleTimeout: return "idle timeout";
      case Errc::ReadBufferFull: return "read buffer full";
      case Errc::Closed: return "closed";
      case Errc::NoListener: return "no listener for this protocol and address family";
      case Errc::TlsConfig: return "TLS configuration error";
    }
    return "unknown net error";
  }
};
}  // namespace

const std::error_category& net_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::net
