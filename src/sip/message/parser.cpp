#include "sip/message/parser.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

#include "sip/message/block_pool.hpp"
#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/header_lookup.hpp"
#include "sip/message/line_scan.hpp"
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

// A SIP or SIPS Request-URI must not carry headers (RFC 3261 §19.1.1).
bool request_uri_ok(const Uri& uri) {
  return uri.scheme == Scheme::Other || uri.scheme == Scheme::Tel || uri.headers.empty();
}

}  // namespace

// Built in place in the Result, and every path returns that object, so the
// message is never moved on the way out.
Result<Message> Parser::parse(std::string_view bytes, const ParseLimits& limits) {
  Result<Message> result(std::in_place, Message::ParserTag{});
  Parser ps(*result, limits);
  if (!ps.run(bytes)) result = std::unexpected(std::move(*ps.error_));  // every failure sets it
  return result;
}

// Inlined into parse(), its only caller.
[[gnu::always_inline]] inline bool Parser::run(std::string_view bytes) {
  const ParseLimits& limits = limits_;
  if (bytes.size() > limits.max_message_size)
    return reject(Errc::MessageTooLarge, "Message of " + std::to_string(bytes.size()) +
                                             " bytes is larger than the limit (" +
                                             std::to_string(limits.max_message_size) + " bytes)");
  Message& m = m_;
  // Room for the usual number of headers in the same block as the bytes:
  // one allocation per message unless it has unusually many headers (a
  // header line is rarely under 48 bytes on average). A message that fits
  // a pooled block takes one, with all its spare room for headers.
  std::size_t tail = bytes.size() + 1 + lines::kPadding;
  std::size_t cap = std::min<std::size_t>(limits.max_headers, bytes.size() / 48 + 6);
  std::size_t head = cap * sizeof(Header);
  if (head + tail <= block_pool::kBlockSize) {
    cap = std::min<std::size_t>(limits.max_headers, (block_pool::kBlockSize - tail) / sizeof(Header));
    head = cap * sizeof(Header);
    m.data_ = std::unique_ptr<char[], Message::BlockDeleter>(block_pool::take(), Message::BlockDeleter{true});
  } else {
    m.data_ = std::unique_ptr<char[], Message::BlockDeleter>(new char[head + tail], Message::BlockDeleter{false});
  }
  char* p = m.data_.get() + head;
  if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
  std::memset(p + bytes.size(), 0, 1 + lines::kPadding);
  m.bytes_ = p;
  m.size_ = bytes.size();
  m.headers_ = reinterpret_cast<Header*>(m.data_.get());
  m.header_capacity_ = static_cast<std::uint32_t>(cap);

  char* end = p + bytes.size();
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  while (p < end && (*p == '\r' || *p == '\n')) ++p;
  if (p == end) return reject(Errc::BadStartLine, "Empty message");
  const char* eol = lines::line_end(p, end);
  if (eol == end) return reject(Errc::BadStartLine, "Start line not terminated by CRLF");
  if (*eol == '\r' && (eol + 1 == end || eol[1] != '\n'))
    return reject(Errc::BadStartLine, "Bare CR in start line");
  if (static_cast<std::size_t>(eol - p) > limits.max_line_length)
    return reject(Errc::LineTooLong,
                  "Start line longer than the limit (" + std::to_string(limits.max_line_length) + " bytes)");
  if (!start_line({p, static_cast<std::size_t>(eol - p)})) return false;
  p += (eol - p) + (*eol == '\r' ? 2 : 1);
  return headers(p, end) && finish(p, end);
}

// Out of line and cold: a failure's text is built only when it happens,
// and the callers need no room for it.
[[gnu::cold, gnu::noinline]] bool Parser::reject(Errc code, std::string detail) {
  error_.emplace(make_error_code(code), std::move(detail));
  return false;
}

[[gnu::cold, gnu::noinline]] bool Parser::reject(Errc code, const char* detail) {
  error_.emplace(make_error_code(code), detail);
  return false;
}

[[gnu::cold, gnu::noinline]] bool Parser::reject(Error error) {
  error_.emplace(std::move(error));
  return false;
}

bool Parser::start_line(std::string_view line) {
  if (line.size() >= 4 && chars::iequals(line.substr(0, 4), "SIP/")) return status_line(line);
  return request_line(line);
}

// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
bool Parser::status_line(std::string_view line) {
  std::size_t sp = 7;
  if (!line.starts_with("SIP/2.0 ")) {  // the usual version needs no general check
    sp = line.find(' ');
    std::string_view version = line.substr(0, sp);
    int ver = sip_version(version);
    if (ver < 0) return reject(Errc::BadStartLine, "Bad SIP version " + quoted(version) + " in status line");
    if (ver > 0) return reject(Errc::VersionNotSupported, "SIP version " + quoted(version) + " is not supported");
    if (sp == std::string_view::npos) return reject(Errc::BadStartLine, "Status line without a status code");
  }
  std::string_view rest = line.substr(sp + 1);
  std::size_t digits = 0;
  while (digits < rest.size() && chars::is_digit(rest[digits])) ++digits;
  if (digits != 3 || (rest.size() > 3 && rest[3] != ' '))
    return reject(Errc::BadStartLine, "Status code " + quoted(rest.substr(0, rest.find(' '))) +
                                        " is not three digits");
  int code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
  if (code < 100 || code > 699)
    return reject(Errc::BadStartLine, "Status code " + std::to_string(code) + " is outside 100-699");
  m_.status_ = code;
  // "SIP/2.0 100" without the SP before an empty reason is tolerated.
  m_.reason_ = rest.size() > 4 ? rest.substr(4) : std::string_view{};
  return true;
}

// Request-Line = Method SP Request-URI SP SIP-Version (single SPs, §7.1).
bool Parser::request_line(std::string_view line) {
  auto i = static_cast<std::size_t>(lines::span<chars::kToken>(line.data(), line.data() + line.size()) - line.data());
  if (i == 0 || i == line.size() || line[i] != ' ')
    return reject(Errc::BadStartLine, "Bad method in request line " + quoted(line));
  m_.method_token_ = line.substr(0, i);
  m_.method_ = parse_method(m_.method_token_);
  std::string_view rest = line.substr(i + 1);
  // The usual "... SP Request-URI SP SIP/2.0": when the URI checks out, the
  // general path below would find the same URI and version. Anything else
  // (including a bad URI) takes that path for its precise error.
  constexpr std::string_view kVersion = " SIP/2.0";
  if (rest.size() > kVersion.size() && rest.ends_with(kVersion)) {
    std::string_view uri_text = rest.substr(0, rest.size() - kVersion.size());
    if (scan::plain_sip_uri(uri_text)) {
      m_.request_uri_ = uri_text;
      return true;
    }
    if (Uri uri; scan::parse_uri_into(uri, uri_text, false) && request_uri_ok(uri)) {
      m_.request_uri_ = uri_text;
      return true;
    }
  }
  std::size_t sp = rest.find(' ');
  if (sp == 0) return reject(Errc::BadStartLine, "Extra whitespace in request line " + quoted(line));
  if (sp == std::string_view::npos)
    return reject(Errc::BadStartLine, "Request line without a SIP version " + quoted(line));
  std::string_view version = rest.substr(sp + 1);
  int ver = sip_version(version);
  if (ver < 0) {
    if (version.find(' ') != std::string_view::npos || version.empty())
      return reject(Errc::BadStartLine, "Extra whitespace in request line " + quoted(line));
    return reject(Errc::BadStartLine, "Bad SIP version " + quoted(version) + " in request line");
  }
  if (ver > 0) return reject(Errc::VersionNotSupported, "SIP version " + quoted(version) + " is not supported");
  m_.request_uri_ = rest.substr(0, sp);
  Uri uri;
  if (auto st = scan::parse_uri_into(uri, m_.request_uri_, false); !st)
    return reject(Errc::BadUri, "Bad Request-URI: " + st.error().detail);
  if (!request_uri_ok(uri))
    return reject(Errc::BadUri, "Request-URI must not contain headers " + quoted(m_.request_uri_));
  return true;
}

namespace {

// Which headers the eager pass looks at (see Parser::eager), as a bit per
// HeaderId: one shift and test per header instead of a switch.
constexpr std::uint64_t eager_bit(HeaderId id) { return std::uint64_t{1} << static_cast<unsigned>(id); }
constexpr std::uint64_t kEager = eager_bit(HeaderId::CallId) | eager_bit(HeaderId::CSeq) | eager_bit(HeaderId::Via) |
                                 eager_bit(HeaderId::From) | eager_bit(HeaderId::To) |
                                 eager_bit(HeaderId::MaxForwards) | eager_bit(HeaderId::ContentLength) |
                                 eager_bit(HeaderId::ContentType);
static_assert(header_lookup::kNames.size() <= 64);
constexpr bool is_eager(HeaderId id) { return (kEager >> static_cast<unsigned>(id)) & 1; }

}  // namespace

// The usual Max-Forwards / Content-Length: 1 to 4 digits, parsed inline.
// Anything else (and a second such header) takes Parser::number.
[[gnu::always_inline]] static inline bool short_number(std::string_view v, std::uint64_t& out) {
  if (v.empty() || v.size() > 4) return false;
  std::uint64_t n = 0;
  for (char c : v) {
    if (!chars::is_digit(c)) return false;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  out = n;
  return true;
}

// A request's usual CSeq: 1-9 digits, one SP and the request's method (a
// token the request line checked), parsed inline. What cseq() would find;
// false (nothing stored): let cseq() decide.
[[gnu::always_inline]] inline bool Parser::usual_cseq(std::string_view v) {
  const char* p = v.data();
  const char* e = p + v.size();
  std::uint32_t n = 0;
  const char* d = p;
  while (p < e && chars::is_digit(*p) && p - d < 9) n = n * 10 + static_cast<unsigned>(*p++ - '0');
  if (p == d || p == e || *p != ' ') return false;
  std::string_view method(p + 1, static_cast<std::size_t>(e - p - 1));
  if (!same_short(method, m_.method_token_)) return false;
  have_cseq_ = true;
  cseq_raw_ = v;
  m_.cseq_.number = n;
  m_.cseq_.method_token = method;
  m_.cseq_.method = m_.method_;
  return true;
}

// A response's usual CSeq: as usual_cseq, with any token as the method.
// Out of line, so the request loop keeps its registers.
[[gnu::noinline]] bool Parser::usual_response_cseq(std::string_view v) {
  const char* p = v.data();
  const char* e = p + v.size();
  std::uint32_t n = 0;
  const char* d = p;
  while (p < e && chars::is_digit(*p) && p - d < 9) n = n * 10 + static_cast<unsigned>(*p++ - '0');
  if (p == d || p == e || *p != ' ') return false;
  std::string_view method(p + 1, static_cast<std::size_t>(e - p - 1));
  if (!chars::is_token(method)) return false;
  have_cseq_ = true;
  cseq_raw_ = v;
  m_.cseq_.number = n;
  m_.cseq_.method_token = method;
  m_.cseq_.method = parse_method(method);
  return true;
}

// Dispatches an eager header to its field parser; inlined into the loop.
[[gnu::always_inline]] inline bool Parser::eager(HeaderId id, const Header& h) {
  switch (id) {
    case HeaderId::CallId:
      if (m_.call_id_.empty() && !h.value.empty() && lines::callid_chars(h.value.data(), h.value.size())) [[likely]] {
        m_.call_id_ = h.value;
        return true;
      }
      return call_id(h.value);
    case HeaderId::CSeq:
      if (!have_cseq_ && (m_.is_request() ? usual_cseq(h.value) : usual_response_cseq(h.value))) [[likely]]
        return true;
      return cseq(h.value);
    case HeaderId::Via:
      if (have_via_) return true;
      if (!h.value.empty() && scan::usual_top_via(m_.top_via_, h.value)) [[likely]] {
        have_via_ = true;
        return true;
      }
      return via(h.value);
    case HeaderId::From:
      if (from_raw_.empty() && !h.value.empty() && scan::usual_name_addr_tag(h.value, m_.from_tag_)) [[likely]] {
        from_raw_ = h.value;
        return true;
      }
      return party(h, m_.from_tag_, from_raw_);
    case HeaderId::To:
      if (to_raw_.empty() && !h.value.empty() && scan::usual_name_addr_tag(h.value, m_.to_tag_)) [[likely]] {
        to_raw_ = h.value;
        return true;
      }
      return party(h, m_.to_tag_, to_raw_);
    case HeaderId::MaxForwards: {
      std::uint64_t v;
      if (max_fwd_raw_.empty() && short_number(h.value, v) && v <= 255) [[likely]] {
        max_fwd_raw_ = h.value;
      } else {
        v = m_.max_forwards_.value_or(0);  // kept as is for an identical duplicate
        if (!number(h, 255, max_fwd_raw_, v)) return false;
      }
      m_.max_forwards_ = static_cast<std::uint32_t>(v);
      return true;
    }
    case HeaderId::ContentLength:
      if (content_length_raw_.empty() && short_number(h.value, content_length_)) [[likely]] {
        content_length_raw_ = h.value;
        return true;
      }
      return number(h, 0xffffffffu, content_length_raw_, content_length_);
    case HeaderId::ContentType:
      if (!content_type_raw_.empty() && content_type_raw_ != h.value)
        return reject(Errc::BadHeaderValue, "Conflicting Content-Type headers");
      content_type_raw_ = h.value;
      return true;
    default:
      return true;
  }
}

// The header line at `p` has no "token *WS :" start: say what is wrong with
// it, as precisely as the reader of a 400 needs.
[[gnu::cold, gnu::noinline]] bool Parser::bad_header_name(const char* p, const char* end) {
  const char* q = p;
  while (q < end && chars::is_token(*q)) ++q;
  if (q == p) {
    if (chars::is_ws(*p)) return reject(Errc::BadHeader, "Header line starts with whitespace");
    return reject(Errc::BadHeader, "Bad header name in " + quoted({p, static_cast<std::size_t>(end - p)}));
  }
  std::string_view name(p, static_cast<std::size_t>(q - p));
  return reject(Errc::BadHeader, "Header " + quoted(name) + " has no colon after its name");
}

// More headers than the block has room for: they continue in a vector, up
// to max_headers. (The block's capacity never exceeds max_headers, so only
// a full block needs the header-count limit checked.)
[[gnu::noinline]] const Header* Parser::spill_header(const Header& h) {
  Message& m = m_;
  if (m.header_count_ >= limits_.max_headers) {
    reject(Errc::TooManyHeaders, "Too many headers (more than " + std::to_string(limits_.max_headers) + ")");
    return nullptr;
  }
  if (m.spill_.empty()) {
    m.spill_.reserve(std::min<std::size_t>(limits_.max_headers, 2 * std::size_t{m.header_count_} + 8));
    m.spill_.assign(m.headers_, m.headers_ + m.header_count_);
  }
  m.spill_.push_back(h);
  m.headers_ = m.spill_.data();
  m.header_capacity_ = ++m.header_count_;  // full: the next header comes here too
  return &m.spill_.back();
}

// A header line's start that the loop's usual cases do not cover: the
// empty line that ends the headers written as a bare LF, a name of 32
// bytes or more, whitespace or a control byte before the colon, or a bad
// line. Out of the loop, so
// the loop keeps its registers. Returns -1 after reject(), 0 at the end of
// the headers (out.next: the body), else 1 with the line's parts.
[[gnu::noinline]] int Parser::unusual_line(char* p, char* end, LineStart& out) {
  // p never passes end, and *end is the NUL: CR, LF and the end of the
  // bytes are all control bytes at p.
  if (static_cast<unsigned char>(*p) <= '\r') {
    if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
      out.next = p + (*p == '\r' ? 2 : 1);
      return 0;
    }
    if (*p == '\r') return reject(Errc::BadHeader, "Bare CR at the start of a header line"), -1;
    if (p >= end) return reject(Errc::BadHeader, "Message ends without the empty line after the headers"), -1;
  }
  char* e = const_cast<char*>(lines::line_end(p, end));
  char* colon = const_cast<char*>(lines::find_either<':', ':'>(p, e));
  if (colon >= e) return bad_header_name(p, end), -1;
  // The byte before the colon exists (at worst the previous line's LF).
  char* ne = colon;
  while (ne > p && chars::is_ws(ne[-1])) --ne;
  auto n = static_cast<std::size_t>(ne - p);
  HeaderId id = header_lookup::lookup_padded(p, n);
  if (id == HeaderId::Other && !chars::is_token({p, n})) return bad_header_name(p, end), -1;
  out.colon = colon;
  out.e = e;
  out.n = n;
  out.id = id;
  return 1;
}

// One pass per header line. Usually the name is under 16 bytes: one 16-byte
// load finds the colon and shows no line end or other control byte before
// it; the line end is then the first CR or LF after the colon. A known name
// needs no character check (it matched a canonical spelling). The header
// array's count and capacity stay in locals (the eager parsers never look
// at it) and are stored at the end.
bool Parser::headers(char*& p_out, char* end) {
  Message& m = m_;
  char* p = p_out;
  // A line can only pass the limit when the rest of the message does.
  const std::size_t max_line =
      static_cast<std::size_t>(end - p) > limits_.max_line_length ? limits_.max_line_length : SIZE_MAX;
  Header* hp = m.headers_ + m.header_count_;
  Header* hend = m.headers_ + m.header_capacity_;
  while (true) {
    lines::Block16 start = lines::load16(p);
    auto k = static_cast<unsigned>(__builtin_ctz(lines::colons(start) | 0x10000u));
    auto ctl = static_cast<unsigned>(__builtin_ctz(lines::controls(start) | 0x10000u));
    char* line = p;
    char* colon;
    char* e;
    std::size_t n;
    HeaderId id;
    // Usually the colon is among the 16 bytes, after a name of 1 to 15
    // bytes with no control byte (a line end, TAB, NUL) or SP in or after
    // it: the name lies in the 16 bytes loaded, and the line end is the
    // first control byte after the colon that is CR or LF.
    if (k - 1 < 15 && ctl > k && p[k - 1] != ' ') [[likely]] {
      n = k;
      colon = p + k;
      id = k >= 2 ? header_lookup::lookup16(start, k) : header_lookup::lookup_padded(p, 1);
      if (id == HeaderId::Other && !chars::is_token({p, n})) [[unlikely]]
        return bad_header_name(p, end);
      e = const_cast<char*>(lines::first_control(colon + 1));
    } else if (p[0] == '\r' && p[1] == '\n') {  // the empty line that ends the headers (*end is NUL)
      p_out = p + 2;
      m.header_count_ = static_cast<std::uint32_t>(hp - m.headers_);
      return true;
    } else if (unsigned k2; k == 16 && ctl == 16 &&
               (k2 = static_cast<unsigned>(__builtin_ctz(lines::colons(lines::load16(p + 16)) | 0x10000u))) < 16 &&
               static_cast<unsigned>(__builtin_ctz(lines::controls(lines::load16(p + 16)) | 0x10000u)) > k2 &&
               p[15 + k2] != ' ') {
      // A name of 16 to 31 bytes (P-Asserted-Identity), otherwise usual.
      n = 16 + k2;
      colon = p + n;
      id = header_lookup::lookup_padded(p, n);
      if (id == HeaderId::Other && !chars::is_token({p, n})) [[unlikely]]
        return bad_header_name(p, end);
      e = const_cast<char*>(lines::first_control(colon + 1));
    } else {
      LineStart ls;
      int r = unusual_line(p, end, ls);
      if (r <= 0) {
        if (r < 0) return false;
        p_out = ls.next;
        m.header_count_ = static_cast<std::uint32_t>(hp - m.headers_);
        return true;
      }
      colon = ls.colon;
      e = ls.e;
      n = ls.n;
      id = ls.id;
    }
    std::string_view name(p, n);
    char* next;
    while (true) {
      // *e is a control byte: usually the CR of a CRLF.
      std::uint16_t two;
      std::memcpy(&two, e, 2);
      if (two == ('\n' << 8 | '\r')) [[likely]] {
        next = e + 2;
      } else if (*e == '\n' && e != end) {
        next = e + 1;
      } else if (*e == '\r' || e >= end) {
        if (e >= end) return reject(Errc::BadHeader, "Header " + quoted(name) + " is not terminated by CRLF");
        return reject(Errc::BadHeader, "Bare CR in header " + quoted(name));
      } else {  // a TAB, NUL or other control byte inside the value
        e = const_cast<char*>(lines::first_control(e + 1));
        continue;
      }
      if (!chars::is_ws(*next)) [[likely]] break;
      // Folded: unfold in place (*end is the NUL, never whitespace).
      std::memset(e, ' ', static_cast<std::size_t>(next - e));
      e = const_cast<char*>(lines::first_control(next));
    }
    if (static_cast<std::size_t>(e - line) > max_line) [[unlikely]]
      return reject(Errc::LineTooLong, "Header " + quoted(name) + " is longer than the line limit (" +
                                           std::to_string(max_line) + " bytes)");
    // *e is CR or LF, so the leading trim needs no bound. Usually: one SP
    // after the colon, nothing to trim at the end.
    char* vb = colon + 1;
    vb += *vb == ' ';
    if (chars::is_ws(*vb)) [[unlikely]]
      while (chars::is_ws(*vb)) ++vb;
    char* ve = e;
    if (chars::is_ws(ve[-1])) [[unlikely]]
      while (ve > vb && chars::is_ws(ve[-1])) --ve;
    std::string_view value(vb, static_cast<std::size_t>(ve - vb));
    const Header* h;
    if (hp != hend) [[likely]] {
      h = ::new (static_cast<void*>(hp++)) Header{id, name, value};
    } else {
      m.header_count_ = static_cast<std::uint32_t>(hp - m.headers_);
      h = spill_header(Header{id, name, value});
      if (!h) return false;
      hp = m.headers_ + m.header_count_;
      hend = m.headers_ + m.header_capacity_;
    }
    if (is_eager(id) && !eager(id, *h)) return false;
    p = next;
  }
}

}  // namespace callwire::sip
