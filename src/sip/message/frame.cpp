// Stream framing (RFC 3261 §18.3): messages on TCP/TLS are delimited by
// their Content-Length, which is therefore mandatory there.
#include "sip/message/message.hpp"
#include "sip/message/message_framer.hpp"

namespace callwire::sip {

std::size_t keepalive_prefix(std::string_view buffer) {
  std::size_t i = 0;
  while (i < buffer.size()) {
    if (buffer[i] == '\n') {
      ++i;
    } else if (buffer[i] == '\r' && i + 1 < buffer.size() && buffer[i + 1] == '\n') {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

// One call on a fresh framer: the same code as the resumable form.
Result<Frame> frame_stream(std::string_view buffer, const ParseLimits& limits) {
  return MessageFramer(limits).next(buffer);
}

}  // namespace callwire::sip
