#include "media/rtp/errc.hpp"

#include <string>

namespace callwire::media::rtp {

namespace {
class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "callwire.media.rtp"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::Truncated: return "packet shorter than its headers";
      case Errc::BadVersion: return "RTP/RTCP version is not 2";
      case Errc::BadPadding: return "padding count is zero or exceeds the packet";
      case Errc::BadExtension: return "RTP header extension runs past the packet";
      case Errc::RtcpNotReportFirst: return "compound RTCP does not start with SR or RR";
      case Errc::RtcpBadLength: return "RTCP length fields do not match the compound size";
      case Errc::RtcpBadPadding: return "RTCP padding on a packet other than the last";
      case Errc::RtcpBadReportCount: return "RTCP report count exceeds the packet length";
      case Errc::RtcpBadSdes: return "RTCP SDES chunk or item runs past its packet";
      case Errc::RtcpBadBye: return "RTCP BYE runs past its packet";
      case Errc::BufferTooSmall: return "output buffer too small";
      case Errc::BadArgument: return "value does not fit its RTP field";
      case Errc::BadEvent: return "invalid telephone-event payload or digit";
      case Errc::BadPortRange: return "invalid RTP port range";
      case Errc::PortsExhausted: return "no free RTP port pair";
      case Errc::PortNotAllocated: return "RTP port pair is not allocated";
    }
    return "rtp error " + std::to_string(ev);
  }
};
}  // namespace

const std::error_category& rtp_category() {
  static const Category category;
  return category;
}

}  // namespace callwire::media::rtp
