#pragma once
// An in-memory Transport for state-machine tests: records every send with
// its route, and can be switched to fail sends (all, or from the Nth on).
#include <string>
#include <system_error>
#include <vector>

#include "sip/transport/transport.hpp"

namespace callwire::sip::test {

class LoopTransport final : public Transport {
 public:
  struct Sent {
    Route route;
    std::string bytes;
  };

  void send(const Route& route, std::shared_ptr<const std::string> bytes, Done done) override {
    bool failing = fail_all || (fail_from != 0 && attempts + 1 >= fail_from);
    ++attempts;
    if (failing) {
      if (done) done(std::make_error_code(std::errc::connection_refused));
      return;
    }
    sent.push_back({route, *bytes});
    if (done) done({});
  }
  Advertised advertised(Protocol) const override { return {"192.0.2.1", 5060}; }

  std::vector<Sent> sent;
  std::size_t attempts = 0;
  bool fail_all = false;
  std::size_t fail_from = 0;  // 1-based attempt number from which sends fail; 0: never
};

}  // namespace callwire::sip::test
