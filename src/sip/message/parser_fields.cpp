// The eagerly parsed fields of Parser: Call-ID, CSeq, top Via, From/To tags,
// Max-Forwards, Content-Length, and the checks at the end of the headers.
// (The dispatch to them, Parser::eager, sits in parser.cpp next to the
// header loop, which inlines it.)
#include <cstring>
#include <string>

#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/line_scan.hpp"
#include "sip/message/parser.hpp"
#include "sip/message/scan.hpp"
#include "sip/message/uri.hpp"

namespace callwire::sip {
namespace {

using chars::excerpt;

bool uri_shape_ok(std::string_view u) {
  if (u.empty() || !chars::is_alpha(u[0])) return false;
  std::size_t i = 1;
  while (i < u.size() && chars::is(u[i], chars::kScheme)) ++i;
  if (i + 1 >= u.size() || u[i] != ':') return false;
  return lines::uric_chars(u.data() + i + 1, u.size() - i - 1);
}

// split_name_addr for the usual forms, "display" <uri>... and <uri>...,
// searching 16 bytes at a time (the value lies in the parser's padded
// block). The parts are exactly split_name_addr's; false: use it instead.
bool split_usual_name_addr(std::string_view text, scan::NameAddrParts& out) {
  const char* b = text.data();
  const char* e = b + text.size();
  const char* lt = b;
  if (*b == '"') {
    const char* q = lines::find_either<'"', '\\'>(b + 1, e);
    if (q == e || *q == '\\') return false;  // unterminated or escapes: the general scan
    lt = q + 1;
    while (lt < e && chars::is_ws(*lt)) ++lt;
    if (lt == e || *lt != '<') return false;
    out.display = std::string_view(b, static_cast<std::size_t>(q + 1 - b));
  } else if (*b != '<') {
    return false;
  } else {
    out.display = {};
  }
  const char* gt = lines::find_either<'>', '>'>(lt + 1, e);
  if (gt == e || gt == lt + 1 || chars::is_ws(lt[1]) || chars::is_ws(gt[-1])) return false;
  out.angle = true;
  out.uri = std::string_view(lt + 1, static_cast<std::size_t>(gt - lt - 1));
  out.params = std::string_view(gt + 1, static_cast<std::size_t>(e - gt - 1));
  return true;
}

std::string quoted(std::string_view s) {
  std::string out(1, '"');  // appended, not operator+: GCC 12 warns falsely on that (PR 105329)
  out += excerpt(s);
  out += '"';
  return out;
}

}  // namespace

// The top Via, parsed in place, when the usual form (scan::usual_top_via,
// tried by Parser::eager) did not take it.
bool Parser::via(std::string_view v) {
  have_via_ = true;
  if (v.empty()) return reject(Errc::BadVia, "Empty Via header");
  if (const char* why = scan::parse_via_into(m_.top_via_, v, true)) return reject(scan::via_error(why, v));
  return true;
}

// callid = word [ "@" word ]. The error texts are built apart (cold), so
// the usual path needs no stack frame for strings.
bool Parser::call_id(std::string_view v) {
  if (v.empty() || !lines::callid_chars(v.data(), v.size()) || (!m_.call_id_.empty() && m_.call_id_ != v)) [[unlikely]]
    return call_id_error(v);
  m_.call_id_ = v;
  return true;
}

[[gnu::cold, gnu::noinline]] bool Parser::call_id_error(std::string_view v) {
  if (v.empty()) return reject(Errc::BadHeaderValue, "Empty Call-ID header");
  if (!chars::all_have(v, chars::kCallId)) return reject(Errc::BadHeaderValue, "Bad character in Call-ID " + quoted(v));
  return reject(Errc::BadHeaderValue, "Conflicting Call-ID headers " + quoted(m_.call_id_) + " and " + quoted(v));
}

// CSeq = 1*DIGIT LWS Method, the number below 2^31 (§8.1.1.5).
bool Parser::cseq(std::string_view v) {
  if (have_cseq_) [[unlikely]]
    return cseq_raw_ == v || cseq_error(v);
  have_cseq_ = true;
  cseq_raw_ = v;
  std::size_t i = 0;
  std::uint64_t n = 0;
  for (; i < v.size() && chars::is_digit(v[i]); ++i) n = (n > 0x7fffffffu ? n : n * 10 + (v[i] - '0'));  // saturates
  std::size_t ws = i;
  while (i < v.size() && chars::is_ws(v[i])) ++i;
  std::string_view method = v.substr(i);
  if (ws == 0 || n > 0x7fffffffu || i == ws || !chars::is_token(method)) [[unlikely]]
    return cseq_error(v);
  m_.cseq_.number = static_cast<std::uint32_t>(n);
  m_.cseq_.method_token = method;
  m_.cseq_.method = parse_method(method);
  return true;
}

// What is wrong with CSeq `v`, in cseq's order of checks.
[[gnu::cold, gnu::noinline]] bool Parser::cseq_error(std::string_view v) {
  if (cseq_raw_.data() != v.data())
    return reject(Errc::BadCSeq, "Conflicting CSeq headers " + quoted(cseq_raw_) + " and " + quoted(v));
  std::size_t i = 0;
  std::uint64_t n = 0;
  for (; i < v.size() && chars::is_digit(v[i]); ++i) n = (n > 0x7fffffffu ? n : n * 10 + (v[i] - '0'));
  if (i == 0) return reject(Errc::BadCSeq, "CSeq without a sequence number " + quoted(v));
  if (n > 0x7fffffffu)
    return reject(Errc::BadCSeq, "CSeq number " + excerpt(v.substr(0, i)) + " is larger than 2^31-1");
  return reject(Errc::BadCSeq, "Bad CSeq method in " + quoted(v));
}

// From / To: the name-addr structure (display name, <>, params) is checked
// since dialogs are keyed on the tags; only the tag is kept. (Parser::eager
// first tries the usual form, scan::usual_name_addr_tag.)
bool Parser::party(const Header& h, std::string_view& tag, std::string_view& seen) {
  // Only the error paths name the header.
  auto hname = [&h] { return std::string(h.id == HeaderId::From ? "From" : "To"); };
  if (!seen.empty()) {
    if (seen != h.value)
      return reject(Errc::BadHeaderValue, "Conflicting " + hname() + " headers " + quoted(seen) + " and " +
                                            quoted(h.value));
    return true;
  }
  seen = h.value;
  if (h.value.empty()) return reject(Errc::BadHeaderValue, "Empty " + hname() + " header");
  scan::NameAddrParts parts;
  if (!split_usual_name_addr(h.value, parts)) {
    if (const char* err = scan::split_name_addr(h.value, parts))
      return reject(Errc::BadHeaderValue, "Bad " + hname() + " header (" + err + "): " + quoted(h.value));
  }
  // The URI itself is parsed lazily (parse_name_addr); here only its shape:
  // a scheme, then URI characters (no LWS, quotes or brackets).
  if (!uri_shape_ok(parts.uri))
    return reject(Errc::BadHeaderValue, "Bad URI in " + hname() + " header: " + quoted(parts.uri));
  // Nearly always: no params (a To before the dialog), or just ";tag=" and
  // a token. What simple_params would find, without its general loop.
  std::string_view ps = parts.params;
  if (ps.empty()) return true;
  if (ps.size() > 5 && ps[0] == ';' && (ps[1] | 0x20) == 't' && (ps[2] | 0x20) == 'a' && (ps[3] | 0x20) == 'g' &&
      ps[4] == '=' && chars::all_have({ps.data() + 5, ps.size() - 5}, chars::kToken)) {
    tag = {ps.data() + 5, ps.size() - 5};
    return true;
  }
  scan::SimpleParams simple;
  if (scan::simple_params(parts.params, false, simple)) {
    for (int k = 0; k < simple.count(); ++k)
      if (const Param& p = simple[k]; chars::iequals_letters(p.name, "tag")) {
        if (!simple.value_is_token(k))
          return reject(Errc::BadHeaderValue, "Bad " + hname() + " tag " + quoted(p.value));
        tag = p.value;
      }
    return true;
  }
  scan::HeaderParamCursor cur(parts.params);
  Param p;
  while (cur.next(p)) {
    if (chars::iequals_letters(p.name, "tag")) {  // tag=token
      if (!chars::is_token(p.value))
        return reject(Errc::BadHeaderValue, "Bad " + hname() + " tag " + quoted(p.value));
      tag = p.value;
    }
  }
  if (cur.failed())
    return reject(Errc::BadHeaderValue, "Bad " + hname() + " header parameter (" + std::string(cur.error()) +
                                          "): " + quoted(h.value));
  return true;
}

[[gnu::cold, gnu::noinline]] bool Parser::number_error(const Header& h, std::uint64_t max, std::string_view seen) {
  Errc code = h.id == HeaderId::ContentLength ? Errc::BadContentLength : Errc::BadHeaderValue;
  std::string hname(header_name(h.id));
  if (!seen.empty())
    return reject(code, "Conflicting " + hname + " headers " + quoted(seen) + " and " + quoted(h.value));
  bool digits = !h.value.empty();
  for (char c : h.value) digits = digits && chars::is_digit(c);
  if (digits) return reject(code, hname + " value " + excerpt(h.value) + " is larger than " + std::to_string(max));
  return reject(code, "Bad " + hname + " value " + quoted(h.value));
}

bool Parser::number(const Header& h, std::uint64_t max, std::string_view& seen, std::uint64_t& out) {
  if (!seen.empty()) {
    if (seen != h.value) return number_error(h, max, seen);
    return true;
  }
  seen = h.value;
  if (!chars::parse_uint(h.value, max, out)) return number_error(h, max, {});
  return true;
}

[[gnu::cold, gnu::noinline]] bool Parser::missing_headers(const bool (&present)[5]) {
  static constexpr std::string_view kNames[] = {"Via", "From", "To", "Call-ID", "CSeq"};
  std::string missing;
  int count = 0, total = 0;
  for (bool b : present) total += b ? 0 : 1;
  for (int i = 0; i < 5; ++i) {
    if (present[i]) continue;
    if (count > 0) missing += (count + 1 == total) ? " and " : ", ";
    missing += kNames[i];
    ++count;
  }
  return reject(Errc::MissingHeader, "Missing " + missing + (count > 1 ? " headers" : " header"));
}

// finish()'s failures, built out of its way.
[[gnu::cold, gnu::noinline]] bool Parser::finish_error(std::size_t rest) {
  if (!(have_via_ && !from_raw_.empty() && !to_raw_.empty() && !m_.call_id_.empty() && have_cseq_)) {
    bool present[] = {have_via_, !from_raw_.empty(), !to_raw_.empty(), !m_.call_id_.empty(), have_cseq_};
    return missing_headers(present);
  }
  if (m_.is_request() && !same_short(m_.cseq_.method_token, m_.method_token_))
    return reject(Errc::BadCSeq, "CSeq method " + excerpt(m_.cseq_.method_token) + " does not match request method " +
                                   excerpt(m_.method_token_));
  return reject(Errc::BadContentLength, "Content-Length " + std::to_string(content_length_) +
                                          " is larger than the body (" + std::to_string(rest) + " bytes)");
}

bool Parser::finish(char* body, char* end) {
  auto rest = static_cast<std::size_t>(end - body);
  if (!(have_via_ && !from_raw_.empty() && !to_raw_.empty() && !m_.call_id_.empty() && have_cseq_)) [[unlikely]]
    return finish_error(rest);
  if (m_.is_request() && !same_short(m_.cseq_.method_token, m_.method_token_)) [[unlikely]]
    return finish_error(rest);
  if (!content_length_raw_.empty()) {
    if (content_length_ > rest) [[unlikely]]
      return finish_error(rest);
    // RFC 3261 §18.3: octets beyond Content-Length in a datagram are dropped.
    m_.body_ = std::string_view(body, static_cast<std::size_t>(content_length_));
    m_.size_ = static_cast<std::size_t>(body - m_.bytes_) + static_cast<std::size_t>(content_length_);
  } else {
    m_.body_ = std::string_view(body, rest);
  }
  return true;
}

namespace scan {

// party()'s check in one pass over the URI, for the usual From / To.
bool usual_name_addr_tag(std::string_view value, std::string_view& tag) {
  const char* b = value.data();
  const char* e = b + value.size();
  const char* lt = b;
  if (*b == '"') {
    const char* q = lines::find_either<'"', '\\'>(b + 1, e);
    if (q == e || *q == '\\') return false;
    lt = q + 1;
    lt += lt < e && *lt == ' ';
  }
  if (lt >= e || *lt != '<') return false;
  // The URI: a scheme (usually "sip:"), then URI characters up to the '>'
  // (which is not one).
  const char* u = lt + 1;
  const char* s;
  std::uint32_t head;
  std::memcpy(&head, u, 4);
  if ((head | 0x00202020u) == ('s' | 'i' << 8 | 'p' << 16 | ':' << 24)) {
    s = u + 4;
  } else {
    if (!chars::is_alpha(*u)) return false;
    s = u + 1;
    while (s < e && chars::is(*s, chars::kScheme)) ++s;
    if (s == e || *s != ':') return false;
    ++s;
  }
  const char* gt = lines::span_padded<chars::kUric, '@', '.', ':', '+'>(s, e);
  if (gt == s || gt == e || *gt != '>') return false;
  // Nearly always: no params (a To before the dialog), or just ";tag=" and
  // a token.
  const char* ps = gt + 1;
  if (ps == e) return true;
  auto n = static_cast<std::size_t>(e - ps);
  if (n <= 5 || ps[0] != ';' || !chars::iequals_letters({ps + 1, 3}, "tag") || ps[4] != '=' ||
      !lines::all_in<chars::kToken, '-', '.', '_'>(ps + 5, n - 5))
    return false;
  tag = std::string_view(ps + 5, n - 5);
  return true;
}

}  // namespace scan

}  // namespace callwire::sip
