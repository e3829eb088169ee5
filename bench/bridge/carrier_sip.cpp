#include "carrier_sip.hpp"

#include <cctype>
#include <charconv>

namespace callwire::bench {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

}  // namespace

std::string carrier_response(std::string_view request, int status, std::string_view reason, std::string_view to_tag,
                             std::string_view extra, std::string_view body) {
  std::string s = "SIP/2.0 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
  auto pos = request.find("\r\n");
  while (pos != std::string_view::npos) {
    pos += 2;
    auto end = request.find("\r\n", pos);
    if (end == std::string_view::npos || end == pos) break;
    std::string_view line = request.substr(pos, end - pos);
    pos = end;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto name = trim(line.substr(0, colon));
    if (iequals(name, "To") || iequals(name, "t")) {
      s.append(line);
      if (!to_tag.empty() && line.find(";tag=") == std::string_view::npos) s.append(";tag=").append(to_tag);
      s += "\r\n";
    } else if (iequals(name, "Via") || iequals(name, "v") || iequals(name, "From") || iequals(name, "f") ||
               iequals(name, "Call-ID") || iequals(name, "i") || iequals(name, "CSeq")) {
      s.append(line).append("\r\n");
    }
  }
  s.append(extra);
  if (!body.empty()) s += "Content-Type: application/sdp\r\n";
  s += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  s.append(body);
  return s;
}

std::string carrier_sdp(std::uint32_t session, std::uint16_t rtp_port) {
  return "v=0\r\no=carrier " + std::to_string(session) +
         " 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + std::to_string(rtp_port) +
         " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=sendrecv\r\n";
}

int first_offered_payload(std::string_view message) {
  auto at = message.find("m=audio ");
  if (at == std::string_view::npos) return -1;
  auto line = message.substr(at);
  line = line.substr(0, line.find_first_of("\r\n"));
  // m=audio PORT PROTO PT...
  std::size_t fields = 0, i = 0;
  while (i < line.size() && fields < 3) {
    auto sp = line.find(' ', i);
    if (sp == std::string_view::npos) return -1;
    i = sp + 1;
    ++fields;
  }
  int pt = -1;
  std::from_chars(line.data() + i, line.data() + line.size(), pt);
  return pt;
}

}  // namespace callwire::bench
