#pragma once
// Host name → addresses for outgoing requests (A/AAAA only: no RFC 3263
// NAPTR/SRV). The stack asks it when a Request-URI or next hop names a host;
// the answer must come back later on the stack's worker, never inside
// resolve(), and the worker must never block on it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace callwire::sip {

class NameResolver {
 public:
  using Done = std::function<void(Result<std::vector<boost::asio::ip::address>>)>;
  virtual ~NameResolver() = default;
  virtual void resolve(std::string host, Done done) = 0;
};

// getaddrinfo through Asio's async_resolve (which runs it on Asio's own
// thread) with the answer delivered on `io`'s thread. Create one per worker,
// on that worker's io_context; it must outlive the stack using it, and a
// late answer after its destruction is dropped.
class AsioNameResolver final : public NameResolver {
 public:
  explicit AsioNameResolver(boost::asio::io_context& io);
  ~AsioNameResolver() override;
  void resolve(std::string host, Done done) override;

 private:
  boost::asio::ip::tcp::resolver resolver_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace callwire::sip
