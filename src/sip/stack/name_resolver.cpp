#include "sip/stack/name_resolver.hpp"

#include <algorithm>

namespace callwire::sip {

AsioNameResolver::AsioNameResolver(boost::asio::io_context& io) : resolver_(io) {}

AsioNameResolver::~AsioNameResolver() { resolver_.cancel(); }

void AsioNameResolver::resolve(std::string host, Done done) {
  std::weak_ptr<int> alive = alive_;
  resolver_.async_resolve(host, "", [alive, done = std::move(done)](const boost::system::error_code& ec,
                                                                     boost::asio::ip::tcp::resolver::results_type results) {
    if (alive.expired()) return;
    if (ec) {
      done(fail(std::error_code(ec.value(), ec.category()), ec.message()));
      return;
    }
    std::vector<boost::asio::ip::address> addresses;
    for (const auto& entry : results) {
      auto a = entry.endpoint().address();
      if (std::find(addresses.begin(), addresses.end(), a) == addresses.end()) addresses.push_back(a);
    }
    done(std::move(addresses));
  });
}

}  // namespace callwire::sip
