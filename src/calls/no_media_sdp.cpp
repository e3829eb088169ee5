#include "calls/no_media_sdp.hpp"

#include <chrono>

namespace callwire::calls {

std::string declining_sdp(std::string_view offer) {
  auto session = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  std::string sdp = "v=0\r\no=callwire " + session + " " + session +
                    " IN IP4 0.0.0.0\r\ns=callwire\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n";
  bool any = false;
  std::size_t pos = 0;
  while (pos < offer.size()) {
    auto end = offer.find('\n', pos);
    std::string_view line = offer.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end == std::string_view::npos ? offer.size() : end + 1;
    if (!line.starts_with("m=")) continue;
    // m=<media> <port> <proto> <fmt> ...: keep media, proto and the first format.
    auto sp1 = line.find(' ');
    auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    auto sp3 = sp2 == std::string_view::npos ? sp2 : line.find(' ', sp2 + 1);
    if (sp2 == std::string_view::npos) continue;
    std::string_view media = line.substr(2, sp1 - 2);
    std::string_view proto = line.substr(sp2 + 1, sp3 == std::string_view::npos ? std::string_view::npos : sp3 - sp2 - 1);
    std::string_view fmt = "0";
    if (sp3 != std::string_view::npos) {
      auto rest = line.substr(sp3 + 1);
      fmt = rest.substr(0, rest.find(' '));
    }
    sdp.append("m=").append(media).append(" 0 ").append(proto).append(" ").append(fmt).append("\r\n");
    any = true;
  }
  if (!any) sdp += "m=audio 0 RTP/AVP 0\r\n";
  return sdp;
}

}  // namespace callwire::calls
