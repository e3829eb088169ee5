#pragma once
// The message parser behind Message::parse. Private to callwire_sip_message.
//
// Line ends: CRLF, and bare LF as RFC 3261 §7 suggests tolerating (many
// test tools and hand-written messages use it). A bare CR is an error: a
// peer that disagrees with us about where a line ends could smuggle headers.
// Folded lines (a line end followed by SP/HT) are unfolded in place in the
// owned copy: the CR and LF become spaces, so every value stays one
// contiguous view.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/line_scan.hpp"
#include "sip/message/message.hpp"

namespace callwire::sip {

// a == b for views into the parser's padded block: a method name (up to 8
// bytes) with two loads instead of a call to memcmp. (Little-endian: the
// shift keeps the first bytes.)
inline bool same_short(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.size() > 8) return a == b;
  std::uint64_t x, y;
  std::memcpy(&x, a.data(), 8);
  std::memcpy(&y, b.data(), 8);
  return a.empty() || ((x ^ y) << (64 - 8 * a.size())) == 0;
}

class Parser {
 public:
  static Result<Message> parse(std::string_view bytes, const ParseLimits& limits);

 private:
  Parser(Message& m, const ParseLimits& limits) : m_(m), limits_(limits) {}

  // Each step returns false after keeping what went wrong in error_: plain
  // bools keep the per-header path free of Result objects.
  bool run(std::string_view bytes);
  bool start_line(std::string_view line);
  bool status_line(std::string_view line);
  bool request_line(std::string_view line);
  bool headers(char*& p, char* end);
  struct LineStart {
    char* next;  // at the end of the headers: the body
    char* colon;
    char* e;     // the line end
    std::size_t n;  // the name's size
    HeaderId id;
  };
  int unusual_line(char* p, char* end, LineStart& out);
  bool bad_header_name(const char* p, const char* end);
  const Header* spill_header(const Header& h);
  bool eager(HeaderId id, const Header& h);
  bool finish(char* body, char* end);
  bool finish_error(std::size_t rest);
  bool missing_headers(const bool (&present)[5]);

  bool call_id(std::string_view v);
  bool call_id_error(std::string_view v);
  bool cseq(std::string_view v);
  bool cseq_error(std::string_view v);
  bool usual_cseq(std::string_view v);
  bool usual_response_cseq(std::string_view v);
  bool via(std::string_view v);
  bool party(const Header& h, std::string_view& tag, std::string_view& seen);
  bool number(const Header& h, std::uint64_t max, std::string_view& seen, std::uint64_t& out);
  bool number_error(const Header& h, std::uint64_t max, std::string_view seen);

  bool reject(Errc code, std::string detail);
  bool reject(Errc code, const char* detail);  // a literal: no string built at the call
  bool reject(Error error);

  Message& m_;
  const ParseLimits& limits_;
  std::optional<Error> error_;  // set by reject(); empty costs nothing to build
  bool have_via_ = false;
  bool have_cseq_ = false;
  std::string_view cseq_raw_, from_raw_, to_raw_, max_fwd_raw_, content_length_raw_, content_type_raw_;
  std::uint64_t content_length_ = 0;
};

}  // namespace callwire::sip
