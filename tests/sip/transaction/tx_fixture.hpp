#pragma once
// Shared set-up of the transaction tests: the test clock, the loop
// transport, a recording TransactionUser and SIP message templates.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/manual_timers.hpp"
#include "sip/message/builder.hpp"
#include "sip/message/message.hpp"
#include "sip/transaction/transaction_layer.hpp"
#include "support/loop_transport.hpp"

namespace callwire::sip::test {

using namespace std::chrono_literals;

inline Message parse_ok(std::string_view bytes) {
  auto m = Message::parse(bytes);
  EXPECT_TRUE(m.has_value()) << (m ? "" : m.error().what()) << "\n" << bytes;
  if (!m) std::abort();
  return std::move(*m);
}

// A request as a UA would send it; every field can be changed per test.
struct Req {
  std::string method = "INVITE";
  std::string uri = "sip:bob@example.com";
  std::string branch = "z9hG4bK-1";
  std::string sent_by = "192.0.2.10:5060";
  std::string transport = "UDP";
  std::string from_tag = "a1";
  std::string to_tag;
  std::string call_id = "call-1@192.0.2.10";
  std::uint32_t cseq = 1;
  std::string cseq_method;  // defaults to method
  std::vector<std::string> routes;

  std::string str() const {
    std::string s = method + " " + uri + " SIP/2.0\r\n";
    s += "Via: SIP/2.0/" + transport + " " + sent_by;
    if (!branch.empty()) s += ";branch=" + branch;
    s += ";rport\r\n";
    for (const auto& r : routes) s += "Route: " + r + "\r\n";
    s += "Max-Forwards: 70\r\n";
    s += "From: \"Alice\" <sip:alice@example.com>;tag=" + from_tag + "\r\n";
    s += "To: <sip:bob@example.com>" + (to_tag.empty() ? "" : ";tag=" + to_tag) + "\r\n";
    s += "Call-ID: " + call_id + "\r\n";
    s += "CSeq: " + std::to_string(cseq) + " " + (cseq_method.empty() ? method : cseq_method) + "\r\n";
    s += "Contact: <sip:alice@192.0.2.10:5060>\r\n";
    s += "Content-Length: 0\r\n\r\n";
    return s;
  }
  Message msg() const { return parse_ok(str()); }
};

// A response to `request_bytes` as the peer would send it.
inline std::string reply(std::string_view request_bytes, int status, std::string_view to_tag = "b1") {
  Message req = parse_ok(request_bytes);
  return Builder::response_to(req, status, {}, status == 100 ? std::string_view{} : to_tag).build();
}

class RecordingTu final : public TransactionUser {
 public:
  struct Request {
    TxId tx;
    std::string bytes;
    Method method;
  };
  void on_request(TxId tx, Message request, const Source&) override {
    requests.push_back({tx, std::string(request.bytes()), request.method()});
    if (on_request_hook) on_request_hook(tx, request);
  }
  void on_ack_for_2xx(Message ack, const Source&) override { acks.emplace_back(ack.bytes()); }
  void on_stray_response(Message response, const Source&) override {
    strays.emplace_back(response.bytes());
  }
  void on_cancel(TxId invite_tx, const Message& cancel) override {
    cancels.push_back(invite_tx);
    if (on_cancel_hook) on_cancel_hook(invite_tx);
  }
  void on_server_terminated(TxId tx, TxEnd why) override { ended.push_back({tx, why}); }

  std::vector<Request> requests;
  std::vector<std::string> acks, strays;
  std::vector<TxId> cancels;
  std::vector<std::pair<TxId, TxEnd>> ended;
  std::function<void(TxId, const Message&)> on_request_hook;
  std::function<void(TxId)> on_cancel_hook;
};

// What a client transaction reported.
struct ClientLog {
  std::vector<int> statuses;
  std::vector<std::string> responses;
  int timeouts = 0;
  std::vector<std::error_code> errors;

  ClientCallbacks callbacks() {
    return ClientCallbacks{
        [this](Message r) {
          statuses.push_back(r.status());
          responses.emplace_back(r.bytes());
        },
        [this] { ++timeouts; },
        [this](std::error_code ec) { errors.push_back(ec); }};
  }
};

inline Route route_to(Protocol p, std::uint16_t port = 5060) {
  Route r;
  r.protocol = p;
  r.address = boost::asio::ip::make_address("192.0.2.10");
  r.port = port;
  return r;
}

class TxTest : public ::testing::Test {
 protected:
  TransactionLayer& layer() {
    if (!layer_) {
      layer_.emplace(transport, timers, tu,
                     [](const Source& src, const Via&) {
                       Route r;
                       r.protocol = src.protocol;
                       r.address = src.remote_address;
                       r.port = src.remote_port;
                       r.connection = src.connection;
                       return r;
                     },
                     config_, via_for);
    }
    return *layer_;
  }
  void set_config(TimerConfig c) {
    ASSERT_FALSE(layer_) << "configure before first use";
    config_ = c;
  }

  Source source(Protocol p = Protocol::Udp) const {
    Source s;
    s.protocol = p;
    s.remote_address = boost::asio::ip::make_address("192.0.2.10");
    s.remote_port = 5060;
    s.local_address = boost::asio::ip::make_address("192.0.2.1");
    s.local_port = 5060;
    s.connection = p == Protocol::Udp ? 0 : 7;
    return s;
  }
  void feed(std::string_view bytes, Protocol p = Protocol::Udp) {
    layer().receive(parse_ok(bytes), source(p));
  }
  void feed(const Req& r, Protocol p = Protocol::Udp) { feed(r.str(), p); }

  std::size_t sent_count() const { return transport.sent.size(); }
  Message sent(std::size_t i) const { return parse_ok(transport.sent.at(i).bytes); }
  Message last_sent() const { return parse_ok(transport.sent.back().bytes); }
  // Responds on server tx `tx` with a response to `request` (the TU's job).
  void respond(TxId tx, const Req& request, int status, std::string_view to_tag = "b1") {
    auto st = layer().respond(tx, Builder::response_to(request.msg(), status, {}, to_tag).build());
    ASSERT_TRUE(st.has_value()) << st.error().what();
  }

  ManualTimers timers;
  LoopTransport transport;
  RecordingTu tu;
  TimerConfig config_;
  TransactionLayer::ViaFor via_for;  // set before first use
  std::optional<TransactionLayer> layer_;
};

// Runs the clock from timer to timer for `span` and returns the times (ms
// since the call) at which the transport sent something.
inline std::vector<long> send_times(ManualTimers& timers, const LoopTransport& transport,
                                    Millis span) {
  std::vector<long> at;
  std::size_t seen = transport.sent.size();
  Millis elapsed{0};
  for (;;) {
    Millis due = timers.next_due();
    if (due == Millis::max() || elapsed + due > span) break;
    timers.advance(due);
    elapsed += due;
    for (; seen < transport.sent.size(); ++seen) at.push_back(elapsed.count());
  }
  timers.advance(span - elapsed);
  return at;
}

}  // namespace callwire::sip::test
