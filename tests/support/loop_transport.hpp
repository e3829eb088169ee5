#pragma once
// An in-memory Transport for state-machine tests (transactions, dialogs, the
// stack): records every send with its route, the shared buffer and, given a
// clock, the time; can be switched to fail sends (all, or from the Nth on).
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "core/timers.hpp"
#include "sip/transport/transport.hpp"

namespace callwire::sip::test {

class LoopTransport final : public Transport {
 public:
  struct Sent {
    Route route;
    std::string bytes;
    std::shared_ptr<const std::string> shared;  // the buffer itself, to check retransmissions reuse it
    Clock::time_point at;
  };

  explicit LoopTransport(const Timers* clock = nullptr, Advertised advertised = {"192.0.2.1", 5060})
      : clock_(clock), advertised_(std::move(advertised)) {}

  void send(const Route& route, std::shared_ptr<const std::string> bytes, Done done) override {
    bool failing = fail_all || (fail_from != 0 && attempts + 1 >= fail_from);
    ++attempts;
    if (failing) {
      if (done) done(std::make_error_code(std::errc::connection_refused));
      return;
    }
    sent.push_back({route, *bytes, bytes, clock_ ? clock_->now() : Clock::time_point{}});
    if (done) done({});
  }
  Advertised advertised(Protocol) const override { return advertised_; }

  std::vector<Sent> sent;
  std::size_t attempts = 0;
  bool fail_all = false;
  std::size_t fail_from = 0;  // 1-based attempt number from which sends fail; 0: never

 private:
  const Timers* clock_;
  Advertised advertised_;
};

}  // namespace callwire::sip::test
