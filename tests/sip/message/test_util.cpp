#include "test_util.hpp"

#include <fstream>
#include <sstream>

namespace callwire::sip::test {

std::string crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string request(std::string_view method, std::string_view extra, std::string_view body) {
  std::string m(method);
  std::string s = m + " sip:bob@biloxi.example.com SIP/2.0\n"
                      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\n"
                      "Max-Forwards: 70\n"
                      "To: Bob <sip:bob@biloxi.example.com>\n"
                      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
                      "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
                      "CSeq: 314159 " + m + "\n";
  for (char c : extra)
    if (c != '\r') s += c;  // callers may write either line end; crlf() below makes it CRLF
  if (std::string_view(extra).find("Content-Length") == std::string_view::npos)
    s += "Content-Length: " + std::to_string(body.size()) + "\n";
  s += "\n";
  return crlf(s) + std::string(body);
}

std::string typical_invite() {
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
      "a=sendrecv\n");
  std::string head = crlf(
      "INVITE sip:+15551234567@sip.example.com;transport=udp SIP/2.0\n"
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
      "Content-Length: " + std::to_string(sdp.size()) + "\n\n");
  return head + sdp;
}

std::string typical_ok() {
  return crlf(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9a8c1e2d;rport=5060;received=192.0.2.101\n"
      "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
      "To: <sip:+15551234567@sip.example.com>;tag=8321234356\n"
      "Call-ID: 3848276298220188511@atlanta.example.com\n"
      "CSeq: 1 INVITE\n"
      "Contact: <sip:gw@198.51.100.7:5060>\n"
      "Server: callwire/0.1\n"
      "Content-Length: 0\n\n");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace callwire::sip::test
