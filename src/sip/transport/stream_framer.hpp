#pragma once
// Cutting a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3) and
// RFC 5626 §4.4.1 keep-alives: a double CRLF is a ping (answered with one
// CRLF), a lone CRLF is a pong or padding and is skipped.
#include <cstddef>
#include <string_view>

#include "core/result.hpp"
#include "sip/message/message.hpp"

namespace callwire::sip {

struct StreamFrame {
  enum class Kind {
    NeedMore,  // nothing complete yet
    Ping,      // "\r\n\r\n": consume `consume` bytes and answer "\r\n"
    Skip,      // stray CRLF: consume `consume` bytes
    Message,   // message bytes at [skip, skip + size); consume `consume`
    Error,     // the stream cannot be framed: close it
  };
  Kind kind = Kind::NeedMore;
  std::size_t consume = 0;
  std::size_t skip = 0;
  std::size_t size = 0;
  Error error;  // Kind::Error
};

// Looks at the front of `buffered` only; call again after consuming.
StreamFrame next_frame(std::string_view buffered, const ParseLimits& limits);

}  // namespace callwire::sip
