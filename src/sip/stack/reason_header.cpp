#include "sip/stack/reason_header.hpp"

namespace callwire::sip {

std::string reason_header(int status, std::string_view text) {
  std::string out = "SIP;cause=" + std::to_string(status) + ";text=\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\r' || c == '\n') c = ' ';
    out += c;
  }
  return out + "\"";
}

}  // namespace callwire::sip
