#include "sip/message/message_framer.hpp"

#include <cstring>
#include <string>

#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"

namespace callwire::sip {
namespace {

// A physical header line "Content-Length : 12" / "l: 12": the value part, or
// nullopt when the line is another header. Decided from the first bytes:
// the name is the whole token run, so it must end right after them.
std::optional<std::string_view> content_length_value(std::string_view line) {
  std::size_t i;
  char c = static_cast<char>(line[0] | 0x20);  // lines here are never empty
  if (c == 'l')
    i = 1;
  else if (c == 'c' && line.size() > 14 && chars::iequals(line.substr(0, 14), "content-length"))
    i = 14;
  else
    return std::nullopt;
  if (i < line.size() && chars::is_token(line[i])) return std::nullopt;  // a longer name
  while (i < line.size() && chars::is_ws(line[i])) ++i;
  if (i == line.size() || line[i] != ':') return std::nullopt;
  return chars::trim(line.substr(i + 1));
}

std::string line_limit_text(const ParseLimits& limits) {
  return "Header line longer than the limit (" + std::to_string(limits.max_line_length) + " bytes)";
}

}  // namespace

Result<Frame> MessageFramer::fail_with(Error e) {
  if (e.code != Errc::Incomplete) error_ = e;
  return std::unexpected(std::move(e));
}

bool MessageFramer::content_length_done() {
  in_cl_ = false;
  if (have_cl_ && cl_seen_ != cl_text_) {
    error_ = Error{Errc::BadContentLength, "Conflicting Content-Length headers \"" + chars::excerpt(cl_seen_) +
                                               "\" and \"" + chars::excerpt(cl_text_) + "\""};
    return false;
  }
  have_cl_ = true;
  cl_seen_ = cl_text_;
  return true;
}

// A complete, non-empty header line (CR stripped) after the start line.
bool MessageFramer::end_of_line(std::string_view line) {
  if (chars::is_ws(line[0])) {  // a continuation of the previous line
    if (in_cl_) {
      std::string_view more = chars::trim(line);
      if (!more.empty()) {
        if (!cl_text_.empty()) cl_text_ += ' ';
        cl_text_ += more;
      }
    }
    return true;
  }
  if (!close_content_length()) return false;
  if (auto v = content_length_value(line)) {
    in_cl_ = true;
    cl_text_.assign(*v);
  }
  return true;
}

Result<Frame> MessageFramer::next(std::string_view buffer) {
  if (error_) return std::unexpected(*error_);
  if (!skip_final_) {
    // The keep-alive prefix only grows as the buffer does; it is final once
    // a byte follows that cannot extend it (a CR at the very end still may).
    std::size_t more = keepalive_prefix(buffer.substr(skip_));
    work_ += more + 1;
    skip_ += more;
    skip_final_ = skip_ < buffer.size() && !(buffer[skip_] == '\r' && skip_ + 1 == buffer.size());
  }
  std::string_view b = buffer.substr(skip_);
  while (!headers_done_) {
    std::size_t from = line_start_ + searched_;
    const void* nl = from < b.size() ? std::memchr(b.data() + from, '\n', b.size() - from) : nullptr;
    if (nl == nullptr) {
      work_ += b.size() - from;
      if (skip_final_) searched_ = b.size() - line_start_;  // b may still shift while the prefix grows
      if (b.size() - line_start_ > limits_.max_line_length)
        return fail_with(Error{Errc::LineTooLong, line_limit_text(limits_)});
      if (b.size() >= limits_.max_message_size)
        return fail_with(Error{Errc::MessageTooLarge, "No end of headers within the message size limit (" +
                                                          std::to_string(limits_.max_message_size) + " bytes)"});
      return fail_with(Error{Errc::Incomplete});
    }
    auto e = static_cast<std::size_t>(static_cast<const char*>(nl) - b.data());
    work_ += (e + 1 - from) + (e - line_start_);
    std::string_view line = b.substr(line_start_, e - line_start_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > limits_.max_line_length) return fail_with(Error{Errc::LineTooLong, line_limit_text(limits_)});
    searched_ = 0;
    line_start_ = e + 1;
    if (line.empty()) {
      headers_done_ = true;
      if (!close_content_length()) return std::unexpected(*error_);
      break;
    }
    if (!first_line_ && !end_of_line(line)) return std::unexpected(*error_);
    first_line_ = false;
    if (line_start_ >= limits_.max_message_size)
      return fail_with(Error{Errc::MessageTooLarge, "Headers longer than the message size limit (" +
                                                        std::to_string(limits_.max_message_size) + " bytes)"});
  }
  if (total_ == 0) {  // first time past the headers (the total is never 0 then)
    if (!have_cl_) return fail_with(Error{Errc::BadContentLength, "Missing Content-Length on a stream transport"});
    std::uint64_t cl = 0;
    if (!chars::parse_uint(cl_seen_, 0xffffffffu, cl))
      return fail_with(Error{Errc::BadContentLength, "Bad Content-Length value \"" + chars::excerpt(cl_seen_) + "\""});
    std::uint64_t total = line_start_ + cl;  // line_start_ is just past the empty line
    if (total > limits_.max_message_size)
      return fail_with(Error{Errc::MessageTooLarge, "Message of " + std::to_string(total) +
                                                        " bytes is larger than the limit (" +
                                                        std::to_string(limits_.max_message_size) + " bytes)"});
    total_ = total;
  }
  if (b.size() < total_) return fail_with(Error{Errc::Incomplete});
  return Frame{skip_, static_cast<std::size_t>(total_)};
}

}  // namespace callwire::sip
