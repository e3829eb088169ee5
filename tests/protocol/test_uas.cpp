// A SIP user agent server built from callwire's real stack, for protocol
// tests with SIPp that need call behaviour the product does not have yet:
//   user "answer" → 180 then 200 OK with SDP (the test sends ACK, then BYE);
//   user "busy"   → 486 Busy Here;
//   anyone else   → 180 Ringing, held until the caller CANCELs.
// Prints "ready" on stdout once listening.
#include <CLI/CLI.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <memory>
#include <vector>

#include "core/log.hpp"
#include "net/asio_timers.hpp"
#include "net/worker_pool.hpp"
#include "sip/message/uri.hpp"
#include "sip/stack/admission.hpp"
#include "sip/stack/dispatcher.hpp"
#include "sip/stack/stack.hpp"
#include "sip/transport/asio_transport.hpp"

namespace {

using namespace callwire;

class TestCalls final : public sip::SessionHandler {
 public:
  void on_invite(sip::Stack& stack, sip::InviteId id, const sip::Message& invite, const sip::Source&) override {
    auto uri = sip::parse_uri(invite.request_uri());
    std::string_view user = uri ? uri->user : std::string_view{};
    if (user == "busy") {
      (void)stack.respond(id, 486);
      return;
    }
    (void)stack.respond(id, 180);
    if (user != "answer") return;  // ring until CANCEL
    sip::MessageParts parts;
    parts.content_type = "application/sdp";
    parts.body =
        "v=0\r\no=callwire 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    (void)stack.respond(id, 200, {}, parts);
  }
  void on_invite_cancelled(sip::Stack&, sip::InviteId) override {}
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"callwire test UAS"};
  std::string listen = "127.0.0.1:5060";
  std::string log_level = "warn";
  app.add_option("--sip-listen", listen, "ADDR:PORT for UDP and TCP");
  app.add_option("--log-level", log_level);
  CLI11_PARSE(app, argc, argv);
  log::configure(log_level);

  auto listen_config = sip::parse_listen(listen, false);
  if (!listen_config) {
    std::cerr << "bad --sip-listen: " << listen_config.error().what() << "\n";
    return 2;
  }
  sip::TransportConfig tc;
  tc.listen.push_back(*listen_config);

  net::WorkerPool pool(2);
  sip::AsioTransport transport(pool, tc);
  sip::AdmitAll admission;
  TestCalls calls;
  std::vector<std::unique_ptr<net::AsioTimers>> timers;
  std::vector<std::unique_ptr<sip::Stack>> stacks;
  std::vector<sip::Stack*> raw;
  for (std::size_t w = 0; w < pool.size(); ++w) {
    timers.push_back(std::make_unique<net::AsioTimers>(pool.context(w)));
    stacks.push_back(std::make_unique<sip::Stack>(sip::StackConfig{}, transport.worker(w), *timers.back(),
                                                  admission, calls));
    raw.push_back(stacks.back().get());
  }
  sip::Dispatcher dispatcher(pool, raw);
  transport.set_handler(dispatcher);
  if (auto opened = transport.open(); !opened) {
    std::cerr << "cannot listen: " << opened.error().what() << "\n";
    return 1;
  }
  boost::asio::signal_set signals(pool.context(0), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) pool.stop();
  });
  pool.start();
  std::cout << "ready" << std::endl;
  pool.join();
  transport.close();
  return 0;
}
