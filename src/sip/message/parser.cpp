#include "sip/message/parser.hpp"

#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/scan.hpp"
#include "sip/message/uri.hpp"

namespace callwire::sip {
namespace {

using chars::excerpt;

std::string quoted(std::string_view s) {
  std::string out(1, '"');  // appended, not operator+: GCC 12 warns falsely on that (PR 105329)
  out += excerpt(s);
  out += '"';
  return out;
}

// 0: SIP/2.0; 1: a well-formed other version; -1: not a SIP-Version.
int sip_version(std::string_view v) {
  if (v.size() < 7 || !chars::iequals(v.substr(0, 4), "SIP/")) return -1;
  v.remove_prefix(4);
  std::size_t dot = v.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == v.size()) return -1;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (i != dot && !chars::is_digit(v[i])) return -1;
  return v == "2.0" ? 0 : 1;
}

}  // namespace

const char* find_eol(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end && *p != '\r' && *p != '\n') ++p;
  return p;
}

Result<Message> Parser::parse(std::string_view bytes, const ParseLimits& limits) {
  if (bytes.size() > limits.max_message_size)
    return fail(Errc::MessageTooLarge, "Message of " + std::to_string(bytes.size()) +
                                           " bytes is larger than the limit (" +
                                           std::to_string(limits.max_message_size) + " bytes)");
  Message m;
  m.data_ = std::make_unique_for_overwrite<char[]>(bytes.size() + 1);
  if (!bytes.empty()) std::memcpy(m.data_.get(), bytes.data(), bytes.size());
  m.data_[bytes.size()] = '\0';
  m.size_ = bytes.size();
  m.headers_.reserve(32);

  Parser ps(m, limits);
  char* p = m.data_.get();
  char* end = p + bytes.size();
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  while (p < end && (*p == '\r' || *p == '\n')) ++p;
  if (p == end) return fail(Errc::BadStartLine, "Empty message");
  const char* eol = find_eol(p, end);
  if (eol == end) return fail(Errc::BadStartLine, "Start line not terminated by CRLF");
  if (*eol == '\r' && (eol + 1 == end || eol[1] != '\n'))
    return fail(Errc::BadStartLine, "Bare CR in start line");
  if (static_cast<std::size_t>(eol - p) > limits.max_line_length)
    return fail(Errc::LineTooLong,
                "Start line longer than the limit (" + std::to_string(limits.max_line_length) + " bytes)");
  if (auto st = ps.start_line({p, static_cast<std::size_t>(eol - p)}); !st) return std::unexpected(st.error());
  p += (eol - p) + (*eol == '\r' ? 2 : 1);
  if (auto st = ps.headers(p, end); !st) return std::unexpected(st.error());
  if (auto st = ps.finish(p, end); !st) return std::unexpected(st.error());
  return m;
}

Status Parser::start_line(std::string_view line) {
  if (line.size() >= 4 && chars::iequals(line.substr(0, 4), "SIP/")) return status_line(line);
  return request_line(line);
}

// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
Status Parser::status_line(std::string_view line) {
  std::size_t sp = line.find(' ');
  std::string_view version = line.substr(0, sp);
  int ver = sip_version(version);
  if (ver < 0) return fail(Errc::BadStartLine, "Bad SIP version " + quoted(version) + " in status line");
  if (ver > 0) return fail(Errc::VersionNotSupported, "SIP version " + quoted(version) + " is not supported");
  if (sp == std::string_view::npos) return fail(Errc::BadStartLine, "Status line without a status code");
  std::string_view rest = line.substr(sp + 1);
  std::size_t digits = 0;
  while (digits < rest.size() && chars::is_digit(rest[digits])) ++digits;
  if (digits != 3 || (rest.size() > 3 && rest[3] != ' '))
    return fail(Errc::BadStartLine, "Status code " + quoted(rest.substr(0, rest.find(' '))) +
                                        " is not three digits");
  int code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
  if (code < 100 || code > 699)
    return fail(Errc::BadStartLine, "Status code " + std::to_string(code) + " is outside 100-699");
  m_.status_ = code;
  // "SIP/2.0 100" without the SP before an empty reason is tolerated.
  m_.reason_ = rest.size() > 4 ? rest.substr(4) : std::string_view{};
  return {};
}

// Request-Line = Method SP Request-URI SP SIP-Version (single SPs, §7.1).
Status Parser::request_line(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && chars::is_token(line[i])) ++i;
  if (i == 0 || i == line.size() || line[i] != ' ')
    return fail(Errc::BadStartLine, "Bad method in request line " + quoted(line));
  m_.method_token_ = line.substr(0, i);
  m_.method_ = parse_method(m_.method_token_);
  std::string_view rest = line.substr(i + 1);
  std::size_t sp = rest.find(' ');
  if (sp == 0) return fail(Errc::BadStartLine, "Extra whitespace in request line " + quoted(line));
  if (sp == std::string_view::npos)
    return fail(Errc::BadStartLine, "Request line without a SIP version " + quoted(line));
  std::string_view version = rest.substr(sp + 1);
  int ver = sip_version(version);
  if (ver < 0) {
    if (version.find(' ') != std::string_view::npos || version.empty())
      return fail(Errc::BadStartLine, "Extra whitespace in request line " + quoted(line));
    return fail(Errc::BadStartLine, "Bad SIP version " + quoted(version) + " in request line");
  }
  if (ver > 0) return fail(Errc::VersionNotSupported, "SIP version " + quoted(version) + " is not supported");
  m_.request_uri_ = rest.substr(0, sp);
  auto uri = parse_uri(m_.request_uri_);
  if (!uri) return fail(Errc::BadUri, "Bad Request-URI: " + uri.error().detail);
  if (uri->scheme != Scheme::Other && uri->scheme != Scheme::Tel && !uri->headers.empty())
    return fail(Errc::BadUri, "Request-URI must not contain headers " + quoted(m_.request_uri_));
  return {};
}

Status Parser::headers(char*& p, char* end) {
  auto& hs = m_.headers_;
  while (true) {
    if (p >= end) return fail(Errc::BadHeader, "Message ends without the empty line after the headers");
    if (*p == '\n') {
      ++p;
      return {};
    }
    if (*p == '\r') {
      if (p + 1 < end && p[1] == '\n') {
        p += 2;
        return {};
      }
      return fail(Errc::BadHeader, "Bare CR at the start of a header line");
    }
    char* line = p;
    char* q = p;
    while (q < end && chars::is_token(*q)) ++q;
    if (q == p) {
      if (chars::is_ws(*p)) return fail(Errc::BadHeader, "Header line starts with whitespace");
      return fail(Errc::BadHeader, "Bad header name in " + quoted({p, static_cast<std::size_t>(end - p)}));
    }
    std::string_view name(p, static_cast<std::size_t>(q - p));
    while (q < end && chars::is_ws(*q)) ++q;
    if (q == end || *q != ':')
      return fail(Errc::BadHeader, "Header " + quoted(name) + " has no colon after its name");
    char* vb = ++q;
    char* e;
    char* next;
    while (true) {
      e = const_cast<char*>(find_eol(q, end));
      if (e == end) return fail(Errc::BadHeader, "Header " + quoted(name) + " is not terminated by CRLF");
      if (*e == '\r') {
        if (e + 1 == end || e[1] != '\n') return fail(Errc::BadHeader, "Bare CR in header " + quoted(name));
        next = e + 2;
      } else {
        next = e + 1;
      }
      if (next < end && chars::is_ws(*next)) {  // folded: unfold in place
        std::memset(e, ' ', static_cast<std::size_t>(next - e));
        q = next;
        continue;
      }
      break;
    }
    if (static_cast<std::size_t>(e - line) > limits_.max_line_length)
      return fail(Errc::LineTooLong, "Header " + quoted(name) + " is longer than the line limit (" +
                                         std::to_string(limits_.max_line_length) + " bytes)");
    if (hs.size() >= limits_.max_headers)
      return fail(Errc::TooManyHeaders, "Too many headers (more than " + std::to_string(limits_.max_headers) + ")");
    while (vb < e && chars::is_ws(*vb)) ++vb;
    char* ve = e;
    while (ve > vb && chars::is_ws(ve[-1])) --ve;
    HeaderId id = header_id(name);
    hs.push_back(Header{id, name, std::string_view(vb, static_cast<std::size_t>(ve - vb))});
    if (id != HeaderId::Other) {
      if (auto st = eager(hs.back()); !st) return st;
    }
    p = next;
  }
}

}  // namespace callwire::sip
