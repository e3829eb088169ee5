#include "sip/transport/stream_framer.hpp"

#include "sip/message/errc.hpp"

namespace callwire::sip {

namespace {
using Kind = StreamFrame::Kind;
StreamFrame make(Kind kind, std::size_t consume, std::size_t skip = 0, std::size_t size = 0) {
  StreamFrame f;
  f.kind = kind;
  f.consume = consume;
  f.skip = skip;
  f.size = size;
  return f;
}
}  // namespace

StreamFrame next_frame(std::string_view buffered, const ParseLimits& limits) {
  constexpr std::string_view ping = "\r\n\r\n";
  if (buffered.empty()) return {};
  if (buffered.starts_with(ping)) return make(Kind::Ping, ping.size());
  if (buffered[0] == '\r' || buffered[0] == '\n') {
    // Could still become a ping: wait for the rest.
    if (buffered.size() < ping.size() && ping.starts_with(buffered)) return {};
    if (buffered.starts_with("\r\n")) return make(Kind::Skip, 2);
    return make(Kind::Skip, 1);  // a bare CR or LF between messages
  }
  auto frame = frame_stream(buffered, limits);
  if (!frame) {
    if (frame.error().code == Errc::Incomplete) return {};
    StreamFrame f = make(Kind::Error, 0);
    f.error = frame.error();
    return f;
  }
  return make(Kind::Message, frame->skip + frame->size, frame->skip, frame->size);
}

}  // namespace callwire::sip
