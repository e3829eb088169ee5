#pragma once
// The SDP model (RFC 4566). The parsed model owns its strings: SDP bodies
// are small and a model that outlives the SIP message is simpler to use.
// Known attributes get typed fields; all others are kept, in order, as
// name/value pairs. Comparable with == so round trips can be checked.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/sdp/crypto_attribute.hpp"

namespace callwire::media::sdp {

enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };

std::string_view to_string(Direction d);
// The direction the other side of a stream has: sendonly <-> recvonly.
Direction reverse(Direction d);
// Both sides' wishes together (each as seen from the same side).
Direction intersect(Direction a, Direction b);
inline bool sends(Direction d) { return d == Direction::SendRecv || d == Direction::SendOnly; }
inline bool receives(Direction d) { return d == Direction::SendRecv || d == Direction::RecvOnly; }

struct Connection {  // c=IN <addr_type> <address>[/ttl[/count]]
  std::string addr_type = "IP4";  // IP4 or IP6
  std::string address;
  std::string multicast_suffix;   // "/127" etc., kept verbatim
  bool operator==(const Connection&) const = default;
};

struct Origin {  // o=<username> <sess-id> <sess-version> IN <addr_type> <address>
  std::string username = "-";
  std::string session_id;          // digits as sent (may exceed 64 bits)
  std::uint64_t session_version = 0;
  std::string addr_type = "IP4";
  std::string address;
  bool operator==(const Origin&) const = default;
};

struct Timing {  // t=<start> <stop>
  std::uint64_t start = 0;
  std::uint64_t stop = 0;
  bool operator==(const Timing&) const = default;
};

struct RtpMap {  // a=rtpmap:<pt> <encoding>/<clock>[/<channels>]
  int payload_type = 0;
  std::string encoding;
  std::uint32_t clock_rate = 0;
  std::uint32_t channels = 0;  // 0 = not given (means 1 for audio)
  bool operator==(const RtpMap&) const = default;
};

struct Fmtp {  // a=fmtp:<format> <parameters>
  std::string format;
  std::string parameters;
  bool operator==(const Fmtp&) const = default;
};

struct Rtcp {  // a=rtcp:<port> [IN <addr_type> <address>]
  std::uint16_t port = 0;
  std::optional<Connection> connection;
  bool operator==(const Rtcp&) const = default;
};

struct Attribute {  // a=<name>[:<value>]
  std::string name;
  std::optional<std::string> value;
  bool operator==(const Attribute&) const = default;
};

struct Line {  // any other line kept verbatim, e.g. i=, u=, b=, k=
  char type = 0;
  std::string value;
  bool operator==(const Line&) const = default;
};

struct MediaDescription {
  std::string media = "audio";     // audio, video, application, ...
  std::uint16_t port = 0;
  std::uint16_t port_count = 0;    // 0 = not given
  std::string protocol = "RTP/AVP";
  std::vector<std::string> formats;  // payload types as text, in preference order
  std::vector<Line> info;            // i= lines
  std::optional<Connection> connection;
  std::vector<Line> extra;           // b=, k= lines
  std::vector<RtpMap> rtpmaps;
  std::vector<Fmtp> fmtps;
  std::optional<std::uint32_t> ptime;
  std::optional<std::uint32_t> maxptime;
  std::optional<Direction> direction;
  std::optional<Rtcp> rtcp;
  bool rtcp_mux = false;
  std::vector<CryptoAttribute> crypto;
  std::vector<Attribute> attributes;  // everything else, in order

  const RtpMap* rtpmap(int payload_type) const;
  const Fmtp* fmtp(std::string_view format) const;
  bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription {
  Origin origin;
  std::string session_name = "-";
  std::vector<Line> header;          // i=, u=, e=, p= lines (written before c=)
  std::optional<Connection> connection;
  std::vector<Line> bandwidth;       // b= lines
  std::vector<Timing> timing;        // at least one when written (t=0 0 if empty)
  std::vector<Line> timing_extra;    // r=, z=, k= lines
  std::optional<Direction> direction;  // session-level default for every m=
  std::vector<Attribute> attributes;   // other session-level attributes
  std::vector<MediaDescription> media;

  // The connection that applies to media `m` (media-level, else session).
  const Connection* connection_for(const MediaDescription& m) const;
  // The direction that applies to media `m` (media, session, else sendrecv).
  Direction direction_for(const MediaDescription& m) const;
  bool operator==(const SessionDescription&) const = default;
};

}  // namespace callwire::media::sdp
