#include "sip/message/message_framer.hpp"

#include <cstring>
#include <string>

#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"

namespace callwire::sip {
namespace {

// A physical header line "Content-Length : 12" / "l: 12": the value part, or
// nullopt when the line is another header.
std::optional<std::string_view> content_length_value(std::string_view line) {
  char c = chars::lower(line[0]);  // lines here are never empty
  if (c != 'c' && c != 'l') return std::nullopt;
  std::size_t i = 0;
  while (i < line.size() && chars::is_token(line[i])) ++i;
  std::string_view name = line.substr(0, i);
  if (!(name.size() == 1 ? c == 'l' : chars::iequals(name, "content-length"))) return std::nullopt;
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

Status MessageFramer::close_content_length() {
  if (!in_cl_) return {};
  in_cl_ = false;
  if (have_cl_ && cl_seen_ != cl_text_)
    return fail(Errc::BadContentLength, "Conflicting Content-Length headers \"" + chars::excerpt(cl_seen_) +
                                            "\" and \"" + chars::excerpt(cl_text_) + "\"");
  have_cl_ = true;
  cl_seen_ = cl_text_;
  return {};
}

// A complete, non-empty header line (CR stripped) after the start line.
Status MessageFramer::end_of_line(std::string_view line) {
  if (chars::is_ws(line[0])) {  // a continuation of the previous line
    if (in_cl_) {
      std::string_view more = chars::trim(line);
      if (!more.empty()) {
        if (!cl_text_.empty()) cl_text_ += ' ';
        cl_text_ += more;
      }
    }
    return {};
  }
  if (auto st = close_content_length(); !st) return st;
  if (auto v = content_length_value(line)) {
    in_cl_ = true;
    cl_text_.assign(*v);
  }
  return {};
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
      if (auto st = close_content_length(); !st) return fail_with(std::move(st.error()));
      break;
    }
    if (!first_line_) {
      if (auto st = end_of_line(line); !st) return fail_with(std::move(st.error()));
    }
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
