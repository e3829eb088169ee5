#pragma once
// Resumable stream framing: frame_stream() for a connection's read buffer,
// remembering how far it has looked.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "sip/message/message.hpp"

namespace callwire::sip {

// frame_stream() for a buffer that, between calls, only grows at its end (a
// connection's read buffer). Each call looks only at bytes no earlier call
// has examined, so a peer that trickles a message one byte at a time costs
// linear work in total instead of quadratic. next() returns exactly what
// frame_stream(buffer, limits) would return; after consuming bytes from the
// front of the buffer (a frame, keep-alives), call reset(). An error other
// than Errc::Incomplete is returned again until reset().
class MessageFramer {
 public:
  explicit MessageFramer(const ParseLimits& limits = {}) : limits_(limits) {}

  [[nodiscard]] Result<Frame> next(std::string_view buffer);
  void reset() { *this = MessageFramer(limits_); }

  // Bytes examined since construction or reset(): each complete header
  // line is read twice (found, then looked at), other bytes at most once.
  std::size_t work() const { return work_; }

 private:
  Result<Frame> fail_with(Error e);
  // These two return false after storing the error in error_.
  bool end_of_line(std::string_view line);
  bool close_content_length() { return !in_cl_ || content_length_done(); }
  bool content_length_done();

  ParseLimits limits_;
  std::optional<Error> error_;   // sticky, see above
  std::size_t skip_ = 0;         // leading keep-alive bytes found so far
  bool skip_final_ = false;      // a byte that cannot extend them follows
  std::size_t line_start_ = 0;   // after skip_: the first line not yet complete
  std::size_t searched_ = 0;     // bytes from line_start_ known to hold no LF
  bool first_line_ = true;       // line_start_ is the start line
  bool headers_done_ = false;
  bool in_cl_ = false;           // the last line was Content-Length (it may be folded)
  bool have_cl_ = false;
  std::string cl_text_, cl_seen_;
  std::uint64_t total_ = 0;      // once headers_done_: header bytes + Content-Length
  std::size_t work_ = 0;
};

}  // namespace callwire::sip
