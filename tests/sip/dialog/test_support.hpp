#pragma once
// Test helpers: SIP text with "\n" line ends turned into real messages, and
// a DialogHandler that records its events.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/manual_timers.hpp"
#include "sip/dialog/dialog_handler.hpp"
#include "sip/message/message.hpp"
#include "sip/transport/transport.hpp"
#include "support/loop_transport.hpp"

namespace callwire::sip::test {

// "\n" → "\r\n", and Content-Length filled in from the body after the blank line.
inline std::string sip_text(std::string_view text) {
  std::string head, body;
  auto split = text.find("\n\n");
  std::string_view h = split == std::string_view::npos ? text : text.substr(0, split + 1);
  if (split != std::string_view::npos) body = std::string(text.substr(split + 2));
  for (char c : h) {
    if (c == '\n') head += "\r\n";
    else head += c;
  }
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return head + body;
}

inline Message parse(std::string_view bytes) {
  auto m = Message::parse(bytes);
  if (!m) throw std::runtime_error("test message does not parse: " + m.error().what() + "\n" + std::string(bytes));
  return std::move(*m);
}

inline Message msg(std::string_view text) { return parse(sip_text(text)); }

inline std::vector<std::string> strings(const std::vector<std::string_view>& v) {
  return {v.begin(), v.end()};
}

class RecordingHandler final : public DialogHandler {
 public:
  void on_dialog_request(Dialog& d, const Message& r) override {
    requests.emplace_back(d.id(), std::string(r.method_token()));
  }
  void on_dialog_ack(Dialog& d, const Message&) override { acks.push_back(d.id()); }
  void on_ack_timeout(Dialog& d) override { ack_timeouts.push_back(d.id()); }
  void on_dialog_terminated(Dialog& d, TerminationReason why) override {
    EXPECT_EQ(d.state(), DialogState::Terminated);
    terminated.emplace_back(d.id(), why);
  }

  std::vector<std::pair<DialogId, std::string>> requests;
  std::vector<DialogId> acks, ack_timeouts;
  std::vector<std::pair<DialogId, TerminationReason>> terminated;
};

// A call from alice (198.51.100.7) to callwire through two record-routing
// proxies; 192.0.2.2 is the one next to callwire.
inline constexpr std::string_view kInvite =
    "INVITE sip:callwire@192.0.2.10:5060 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bKp2\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp1\n"
    "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKa1\n"
    "Record-Route: <sip:192.0.2.2;lr>\n"
    "Record-Route: <sip:192.0.2.1;lr;transport=udp>\n"
    "Max-Forwards: 68\n"
    "From: \"Alice Liddell\" <sip:alice@example.com>;tag=alice-tag\n"
    "To: Callwire <sip:callwire@example.net>\n"
    "Call-ID: call-1@198.51.100.7\n"
    "CSeq: 10 INVITE\n"
    "Contact: <sip:alice@198.51.100.7:5060>\n"
    "Content-Type: application/sdp\n"
    "\n"
    "v=0\r\n";

inline constexpr std::string_view kLocalContact = "<sip:callwire@192.0.2.10:5060>";

// An in-dialog request from alice to the UAS dialog made from kInvite.
inline Message alice_request(std::string_view method, unsigned cseq, std::string_view extra = {},
                             std::string_view call_id = "call-1@198.51.100.7",
                             std::string_view to_tag = "cw-tag") {
  std::string t = std::string(method) + " sip:callwire@192.0.2.10:5060 SIP/2.0\n";
  t += "Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bKp2-" + std::to_string(cseq) + std::string(method) + "\n";
  t += "Max-Forwards: 69\n";
  t += "From: \"Alice Liddell\" <sip:alice@example.com>;tag=alice-tag\n";
  t += "To: Callwire <sip:callwire@example.net>;tag=" + std::string(to_tag) + "\n";
  t += "Call-ID: " + std::string(call_id) + "\n";
  t += "CSeq: " + std::to_string(cseq) + " " + std::string(method) + "\n";
  t += extra;
  return msg(t);
}

}  // namespace callwire::sip::test
