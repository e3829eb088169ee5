#pragma once
// The messages the parse benchmarks use: a typical ~950-byte INVITE with
// SDP and a ~400-byte 200 OK, CRLF line ends.
#include <string>
#include <string_view>

namespace callwire::bench {

inline std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// What a softphone or trunk typically sends.
inline const std::string& invite() {
  static const std::string bytes = [] {
    std::string sdp = crlf(
        "v=0\n"
        "o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\n"
        "s=-\n"
        "c=IN IP4 192.0.2.101\n"
        "t=0 0\n"
        "m=audio 49172 RTP/AVP 0 8 101\n"
        "a=rtpmap:0 PCMU/8000\n"
        "a=rtpmap:8 PCMA/8000\n"
        "a=rtpmap:101 telephone-event/8000\n"
        "a=fmtp:101 0-16\n"
        "a=ptime:20\n"
        "a=sendrecv\n");
    return crlf("INVITE sip:+15551234567@sip.example.com;transport=udp SIP/2.0\n"
                "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9a8c1e2d;rport\n"
                "Max-Forwards: 70\n"
                "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
                "To: <sip:+15551234567@sip.example.com>\n"
                "Call-ID: 3848276298220188511@atlanta.example.com\n"
                "CSeq: 1 INVITE\n"
                "Contact: <sip:alice@192.0.2.101:5060;transport=udp>;expires=3600\n"
                "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY\n"
                "Supported: replaces, timer, 100rel\n"
                "User-Agent: ExamplePhone/4.2.1\n"
                "Session-Expires: 1800;refresher=uac\n"
                "Min-SE: 90\n"
                "P-Asserted-Identity: \"Alice Liddell\" <sip:alice@atlanta.example.com>\n"
                "Content-Type: application/sdp\n"
                "Content-Length: " + std::to_string(sdp.size()) + "\n\n") +
           sdp;
  }();
  return bytes;
}

inline const std::string& ok() {
  static const std::string bytes = crlf(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9a8c1e2d;rport=5060;received=192.0.2.101\n"
      "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
      "To: <sip:+15551234567@sip.example.com>;tag=8321234356\n"
      "Call-ID: 3848276298220188511@atlanta.example.com\n"
      "CSeq: 1 INVITE\n"
      "Contact: <sip:gw@198.51.100.7:5060>\n"
      "Server: callwire/0.1\n"
      "Content-Length: 0\n\n");
  return bytes;
}

}  // namespace callwire::bench
