#pragma once
// Non-allocating scanners shared by the message, URI, name-addr and Via
// parsers. Private to callwire_sip_message.
#include <new>
#include <string_view>

#include "sip/message/params.hpp"

namespace callwire::sip::scan {

inline constexpr std::size_t npos = std::string_view::npos;

// `s[i]` is the opening DQUOTE: the index just past the closing one, or npos
// when the quoted-string is unterminated. Backslash escapes any octet but
// CR/LF (RFC 3261 quoted-pair).
std::size_t quoted_end(std::string_view s, std::size_t i);

// Position of the first comma outside quotes and <...>; npos when none.
// Also npos when a quote is unterminated (the caller's parser reports it).
std::size_t list_comma(std::string_view s);

// Iterates header params ("; a = b ;c ;d=\"x\"", RFC 3261 §25.1 generic-param
// with SEMI/EQUAL allowing LWS) without allocating.
class HeaderParamCursor {
 public:
  explicit HeaderParamCursor(std::string_view text) : s_(text) {}
  // With stop_at_comma, a ',' where the next ';' would be ends the params
  // (the end of a list element); position() then points at it.
  HeaderParamCursor(std::string_view text, bool stop_at_comma) : s_(text), stop_at_comma_(stop_at_comma) {}
  std::size_t position() const { return i_; }
  // The next param into `p`; false at the end or on a syntax error.
  bool next(Param& p);
  bool failed() const { return !error_.empty(); }
  std::string_view error() const { return error_; }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  std::string_view error_;
  bool stop_at_comma_ = false;
};

// Header params in their usual form, ";a=b;c": no LWS, quotes or brackets.
// True when the whole text (up to a ',' with stop_at_comma) has that form
// and is valid; `param` then holds exactly what HeaderParamCursor would
// yield, and `end` is its position() at the end. False: use the cursor.
class SimpleParams {
 public:
  static constexpr int kMax = 8;
  SimpleParams() {}  // leaves the slots raw: filling them is simple_params' job
  int count() const { return count_; }
  const Param& operator[](int i) const {
    return *std::launder(reinterpret_cast<const Param*>(slots_ + i * sizeof(Param)));
  }
  std::size_t end() const { return end_; }
  // chars::is_token(param i's value), known from the scan: a plain value is
  // token characters and ':'.
  bool value_is_token(int i) const { return (valued_ >> i & 1) && !(colon_ >> i & 1); }

 private:
  friend bool simple_params(std::string_view text, bool stop_at_comma, SimpleParams& out);
  alignas(Param) unsigned char slots_[kMax * sizeof(Param)];
  int count_ = 0;
  unsigned valued_ = 0;  // bit i: param i has a value
  unsigned colon_ = 0;   // bit i: param i's value has a ':'
  std::size_t end_ = 0;
};
bool simple_params(std::string_view text, bool stop_at_comma, SimpleParams& out);

// Checks a gen-value: token, host (IPv6 reference included) or quoted-string.
bool is_gen_value(std::string_view v);

// Checks URI params ";a=b;c" (parse_uri_params) and, when `out` is set,
// appends them to it.
Status uri_params(std::string_view text, Params* out);

}  // namespace callwire::sip::scan

#include "sip/message/uri.hpp"
#include "sip/message/via.hpp"

namespace callwire::sip::scan {

// parse_uri into `u`; with_params false checks the URI params without
// storing them (no allocation), as the eager Request-URI check needs.
Status parse_uri_into(Uri& u, std::string_view text, bool with_params);

// True for a sip/sips URI in its plain form, user@host[:port][;params]
// without password, escapes, IPv6 reference or headers, that parse_uri
// accepts. False says nothing: parse it to know.
bool plain_sip_uri(std::string_view text);

// Parses a via-parm (LWS-trimmed) into `v`, which starts default-built;
// with first_of_list it ends at a top-level comma (Via::text is then that
// via-parm). nullptr on success, else what is wrong, for via_error().
const char* parse_via_into(Via& v, std::string_view text, bool first_of_list);
// parse_via_into(v, text, true) for the usual top Via (plain sent-by, up to
// four plain params), when it returns true: `v` (default-built) then holds
// what that stores. False says nothing, and leaves what the general parse
// stores again. `text` must be a header value in the parser's block: the
// byte after it ends any run of host characters (CR, LF, whitespace, or
// the NUL at the end), and 64 bytes past it are readable.
bool usual_top_via(Via& v, std::string_view text);
Error via_error(std::string_view why, std::string_view text);

}  // namespace callwire::sip::scan

namespace callwire::sip::scan {

// The parts of a name-addr / addr-spec value, before URI and param parsing.
struct NameAddrParts {
  std::string_view display;  // raw, quotes kept
  bool angle = false;
  std::string_view uri;
  std::string_view params;   // from the first ';' (or LWS) after the address
};

// Splits `text` (LWS-trimmed); nullptr on success, else what is wrong.
const char* split_name_addr(std::string_view text, NameAddrParts& out);

// A From / To value in its usual form, "display" <sip:uri>[;tag=token] or
// <sip:uri>[;tag=token] (an unescaped display name, a URI of the usual
// characters, no other params): true when the eager From / To check
// accepts it, with `tag` set to its tag, if any. False says nothing. The
// value lies in the parser's block (16 readable bytes after it).
bool usual_name_addr_tag(std::string_view value, std::string_view& tag);

}  // namespace callwire::sip::scan
