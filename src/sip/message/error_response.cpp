// The 400/505/513 for bytes that failed to parse. The input is by definition
// malformed, so this reads it line by line with no grammar beyond "Name:
// value" and copies what a response needs (RFC 3261 §8.2.6).
#include <string>
#include <vector>

#include "sip/message/builder.hpp"
#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/scan.hpp"

namespace callwire::sip {
namespace {

constexpr std::size_t kMaxValue = 8192;  // longer values are not echoed
constexpr std::size_t kMaxVias = 64;

struct Copied {
  std::vector<std::string> vias;
  std::string from, to, call_id, cseq;
};

// Control characters never go back on the wire.
std::string clean(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    out.push_back((u < 0x20 && c != '\t') || u == 0x7f ? ' ' : c);
  }
  return out;
}

// A quoted-string body for Warning/Reason: escaped, printable, bounded.
std::string quote_text(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 200)) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  return out;
}

std::string fnv_tag(std::string_view a, std::string_view b) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::string_view s : {a, b})
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 15];
  return out;
}

// True when To already has a tag, or is too broken to add one to.
bool keep_to(std::string_view to) {
  scan::NameAddrParts parts;
  if (scan::split_name_addr(chars::trim(to), parts) != nullptr) return true;
  scan::HeaderParamCursor cur(parts.params);
  Param p;
  while (cur.next(p))
    if (chars::iequals(p.name, "tag")) return true;
  return cur.failed();
}

// Stores one unfolded header; false when it makes the message unanswerable.
bool take(Copied& c, std::string_view name, std::string_view value) {
  value = chars::trim(value);
  if (value.size() > kMaxValue) return false;
  switch (header_id(name)) {
    case HeaderId::Via:
      if (c.vias.size() == kMaxVias) return false;
      if (!value.empty()) c.vias.push_back(clean(value));
      break;
    case HeaderId::From:
      if (c.from.empty()) c.from = clean(value);
      break;
    case HeaderId::To:
      if (c.to.empty()) c.to = clean(value);
      break;
    case HeaderId::CallId:
      if (c.call_id.empty()) c.call_id = clean(value);
      break;
    case HeaderId::CSeq:
      if (c.cseq.empty()) c.cseq = clean(value);
      break;
    default:
      break;
  }
  return true;
}

}  // namespace

std::optional<std::string> error_response(std::string_view bytes, const Error& error) {
  std::size_t i = 0;
  while (i < bytes.size() && (bytes[i] == '\r' || bytes[i] == '\n')) ++i;
  auto next_line = [&](std::string_view& line) {
    if (i >= bytes.size()) return false;
    std::size_t nl = bytes.find('\n', i);
    std::size_t e = nl == std::string_view::npos ? bytes.size() : nl;
    line = bytes.substr(i, e - i);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    i = nl == std::string_view::npos ? bytes.size() : nl + 1;
    return true;
  };
  std::string_view start;
  if (!next_line(start)) return std::nullopt;
  // Only requests get responses, and never an ACK (§17.1.1.3, §17.2.3).
  std::size_t m = 0;
  while (m < start.size() && chars::is_token(start[m])) ++m;
  if (m == 0 || m == start.size() || start[m] != ' ') return std::nullopt;
  std::string_view method = start.substr(0, m);
  if (method == "ACK" || chars::iequals(start.substr(0, 4), "SIP/")) return std::nullopt;

  Copied c;
  std::string name, value;  // the header being unfolded
  std::string_view line;
  bool have = false;
  while (next_line(line)) {
    if (line.empty()) break;
    if (chars::is_ws(line[0])) {  // continuation of a folded header
      if (have) {
        value += ' ';
        value += chars::trim(line);
        if (value.size() > kMaxValue) return std::nullopt;
      }
      continue;
    }
    if (have && !take(c, name, value)) return std::nullopt;
    have = false;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    name.assign(chars::trim(line.substr(0, colon)));
    value.assign(line.substr(colon + 1));
    have = true;
  }
  if (have && !take(c, name, value)) return std::nullopt;
  if (c.vias.empty() || c.from.empty() || c.to.empty() || c.call_id.empty() || c.cseq.empty()) return std::nullopt;
  // "CSeq: 1 ACK" under another method is still an ACK to stay silent about.
  std::size_t sp = c.cseq.find_first_of(" \t");
  std::string_view cseq_method = sp == std::string::npos ? std::string_view{} : chars::trim(std::string_view(c.cseq).substr(sp));
  if (cseq_method == "ACK") return std::nullopt;

  int status = status_for(error);
  Builder b = Builder::response(status);
  for (const auto& v : c.vias) b.header(HeaderId::Via, v);
  b.header(HeaderId::From, c.from);
  if (keep_to(c.to)) {
    b.header(HeaderId::To, c.to);
  } else {
    b.header(HeaderId::To, c.to + ";tag=" + fnv_tag(c.call_id, c.from));
  }
  b.header(HeaderId::CallId, c.call_id);
  b.header(HeaderId::CSeq, c.cseq);
  std::string text = quote_text(error.what());
  b.header(HeaderId::Warning, "399 callwire \"" + text + "\"");
  b.header(HeaderId::Reason, "SIP;cause=" + std::to_string(status) + ";text=\"" + text + "\"");
  return b.build();
}

}  // namespace callwire::sip
