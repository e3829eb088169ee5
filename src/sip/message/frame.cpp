// Stream framing (RFC 3261 §18.3): messages on TCP/TLS are delimited by
// their Content-Length, which is therefore mandatory there.
#include <cstring>
#include <string>

#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/message.hpp"

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

namespace {

// A physical header line "Content-Length : 12" / "l: 12": the value part, or
// nullopt when the line is another header.
std::optional<std::string_view> content_length_value(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && chars::is_token(line[i])) ++i;
  std::string_view name = line.substr(0, i);
  if (!(name.size() == 1 ? chars::lower(name[0]) == 'l' : chars::iequals(name, "content-length"))) return std::nullopt;
  while (i < line.size() && chars::is_ws(line[i])) ++i;
  if (i == line.size() || line[i] != ':') return std::nullopt;
  return chars::trim(line.substr(i + 1));
}

}  // namespace

Result<Frame> frame_stream(std::string_view buffer, const ParseLimits& limits) {
  std::size_t skip = keepalive_prefix(buffer);
  std::string_view b = buffer.substr(skip);
  std::size_t line_start = 0;
  std::size_t header_end = 0;
  bool first = true;
  bool have_cl = false;
  bool in_cl = false;  // the previous line was Content-Length (it may be folded)
  std::string cl_text, cl_seen;
  auto close_cl = [&]() -> Status {
    if (!in_cl) return {};
    in_cl = false;
    if (have_cl && cl_seen != cl_text)
      return fail(Errc::BadContentLength, "Conflicting Content-Length headers \"" + chars::excerpt(cl_seen) +
                                              "\" and \"" + chars::excerpt(cl_text) + "\"");
    have_cl = true;
    cl_seen = cl_text;
    return {};
  };
  while (true) {
    const void* nl = std::memchr(b.data() + line_start, '\n', b.size() - line_start);
    if (nl == nullptr) {
      if (b.size() - line_start > limits.max_line_length)
        return fail(Errc::LineTooLong, "Header line longer than the limit (" + std::to_string(limits.max_line_length) +
                                           " bytes)");
      if (b.size() >= limits.max_message_size)
        return fail(Errc::MessageTooLarge, "No end of headers within the message size limit (" +
                                               std::to_string(limits.max_message_size) + " bytes)");
      return fail(Errc::Incomplete);
    }
    auto e = static_cast<std::size_t>(static_cast<const char*>(nl) - b.data());
    std::string_view line = b.substr(line_start, e - line_start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > limits.max_line_length)
      return fail(Errc::LineTooLong, "Header line longer than the limit (" + std::to_string(limits.max_line_length) +
                                         " bytes)");
    line_start = e + 1;
    if (line.empty()) {
      header_end = line_start;
      if (auto st = close_cl(); !st) return std::unexpected(st.error());
      break;
    }
    if (!first) {
      if (chars::is_ws(line[0])) {
        if (in_cl) {
          std::string_view more = chars::trim(line);
          if (!more.empty()) {
            if (!cl_text.empty()) cl_text += ' ';
            cl_text += more;
          }
        }
      } else {
        if (auto st = close_cl(); !st) return std::unexpected(st.error());
        if (auto v = content_length_value(line)) {
          in_cl = true;
          cl_text.assign(*v);
        }
      }
    }
    first = false;
    if (line_start >= limits.max_message_size)
      return fail(Errc::MessageTooLarge, "Headers longer than the message size limit (" +
                                             std::to_string(limits.max_message_size) + " bytes)");
  }
  if (!have_cl) return fail(Errc::BadContentLength, "Missing Content-Length on a stream transport");
  std::uint64_t cl = 0;
  if (!chars::parse_uint(cl_seen, 0xffffffffu, cl))
    return fail(Errc::BadContentLength, "Bad Content-Length value \"" + chars::excerpt(cl_seen) + "\"");
  std::uint64_t total = header_end + cl;
  if (total > limits.max_message_size)
    return fail(Errc::MessageTooLarge, "Message of " + std::to_string(total) + " bytes is larger than the limit (" +
                                           std::to_string(limits.max_message_size) + " bytes)");
  if (b.size() < total) return fail(Errc::Incomplete);
  return Frame{skip, static_cast<std::size_t>(total)};
}

}  // namespace callwire::sip
