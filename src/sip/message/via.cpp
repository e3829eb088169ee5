#include "sip/message/via.hpp"

#include <cstring>

#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/host.hpp"
#include "sip/message/line_scan.hpp"
#include "sip/message/scan.hpp"

namespace callwire::sip {
namespace {

std::size_t skip_ws(std::string_view s, std::size_t i) {
  while (i < s.size() && chars::is_ws(s[i])) ++i;
  return i;
}

std::size_t skip_token(std::string_view s, std::size_t i) {
  while (i < s.size() && chars::is_token(s[i])) ++i;
  return i;
}

// What is wrong with a Via param's value, or nullptr. Dispatches on the
// name's length and first letter, so most params cost one compare.
// `token`: chars::is_token(p.value) when the caller knows it already, else
// -1.
inline const char* param_error(const Param& p, int token) {
  std::string_view n = p.name;
  switch (n.size()) {
    case 6:
      if (chars::iequals_letters(n, "branch") && !(token >= 0 ? token == 1 : chars::is_token(p.value)))
        return "bad branch";
      break;
    case 5:
      if ((n[0] | 0x20) == 'r') {
        if (chars::iequals_letters(n, "rport") && p.has_value && !host::parse_port(p.value)) return "bad rport";
      } else if (chars::iequals_letters(n, "maddr") && !p.has_value) {
        return "maddr without value";
      }
      break;
    case 8:
      if (chars::iequals_letters(n, "received")) {
        std::string_view r = p.value;
        bool ok = (r.size() > 2 && r.front() == '[' && r.back() == ']') ? host::is_ipv6(r.substr(1, r.size() - 2))
                                                                          : host::is_ipv4(r) || host::is_ipv6(r);
        if (!ok) return "received is not an IP address";
      }
      break;
    case 3:
      if (std::uint64_t ttl = 0; chars::iequals_letters(n, "ttl") && !chars::parse_uint(p.value, 255, ttl))
        return "bad ttl";
      break;
  }
  return nullptr;
}

}  // namespace

namespace scan {

const char* parse_via_into(Via& v, std::string_view text, bool first_of_list) {
  v.text = text;
  std::size_t n = text.size();
  // sent-protocol: name SLASH version SLASH transport, SLASH = SWS "/" SWS.
  std::size_t i = 0;
  if (text.starts_with("SIP/2.0/")) {  // what nearly every Via says
    v.protocol_name = std::string_view(text.data(), 3);
    v.protocol_version = std::string_view(text.data() + 4, 3);
    i = skip_ws(text, 8);
    std::size_t b = i;
    i = skip_token(text, i);
    if (i == b) return "bad sent-protocol";
    v.transport = std::string_view(text.data() + b, i - b);
  } else {
    std::string_view* parts[3] = {&v.protocol_name, &v.protocol_version, &v.transport};
    for (int k = 0; k < 3; ++k) {
      if (k > 0) {
        i = skip_ws(text, i);
        if (i == n || text[i] != '/') return "expected '/' in sent-protocol";
        i = skip_ws(text, i + 1);
      }
      std::size_t b = i;
      i = skip_token(text, i);
      if (i == b) return "bad sent-protocol";
      *parts[k] = text.substr(b, i - b);
    }
  }
  std::size_t ws = i;
  i = skip_ws(text, i);
  if (i == ws || i == n) return "missing sent-by";
  // sent-by: host [ COLON port ], COLON = SWS ":" SWS.
  if (text[i] == '[') {
    std::size_t close = text.find(']', i);
    if (close == std::string_view::npos) return "unterminated IPv6 reference";
    v.host = text.substr(i + 1, close - i - 1);
    v.host_is_ipv6 = true;
    if (!host::is_ipv6(v.host)) return "bad IPv6 address";
    i = close + 1;
  } else {
    host::HostRun run = host::scan_hostname(text.substr(i));
    v.host = text.substr(i, run.size);
    if (v.host.empty()) return "missing sent-by";
    if (!run.valid) return "bad host";
    i += run.size;
  }
  std::size_t after_host = i;
  i = skip_ws(text, i);
  if (i < n && text[i] == ':') {
    i = skip_ws(text, i + 1);
    std::size_t b = i;
    std::uint32_t port = 0;  // may wrap past 9 digits, but then more than 5 were seen
    for (; i < n && chars::is_digit(text[i]); ++i) port = port * 10 + static_cast<unsigned>(text[i] - '0');
    if (i == b || i - b > 5 || port > 65535) return "bad port";  // host::parse_port's rule
    v.port = static_cast<std::uint16_t>(port);
  } else {
    i = after_host;
  }
  std::size_t params_end;
  scan::SimpleParams simple;
  if (scan::simple_params(text.substr(i), first_of_list, simple)) {
    for (int k = 0; k < simple.count(); ++k)
      if (const char* why = param_error(simple[k], simple.value_is_token(k) ? 1 : 0)) return why;
    if (simple.count() > 0) v.params.assign(&simple[0], &simple[0] + simple.count());
    params_end = simple.end();
  } else {
    scan::HeaderParamCursor cur(text.substr(i), first_of_list);
    Param p;
    while (cur.next(p)) {
      if (const char* why = param_error(p, -1)) return why;
      v.params.push_back(p);
    }
    if (cur.failed()) return cur.error().data();  // always a string literal
    params_end = cur.position();
  }
  if (first_of_list) v.text = chars::trim(text.substr(0, i + params_end));
  return nullptr;
}

// The usual top Via, "SIP/2.0/" transport SP host [":" port] and up to
// ViaParams::kInline params ";name[=value]" of token characters, up to the
// end or a ',', without the general loops. The byte at the end of the text
// ends every run of host characters or digits (a header value is followed
// by whitespace, CR or LF), so those scans need no bounds; 64 bytes past
// the end are readable.
bool usual_top_via(Via& v, std::string_view text) {
  const char* b = text.data();
  const char* e = b + text.size();
  if (text.size() < 12 || std::memcmp(b, "SIP/2.0/", 8) != 0) return false;
  const char* t = b + 8;
  const char* q = t;
  // Usually three letters and one SP ("UDP ", "TCP ", "TLS ").
  std::uint32_t w;
  std::memcpy(&w, t, 4);
  if (w >> 24 == ' ' && chars::is_alpha(t[0]) && chars::is_alpha(t[1]) && chars::is_alpha(t[2]))
    q += 3;
  else
    while (chars::is_token(*q)) ++q;
  // (The whitespace trimmed off the value's end may follow it.)
  if (q == t || q + 1 >= e || *q != ' ') return false;
  const char* h = ++q;
  // sent-by: usually an IPv4 address; any other host takes the general scan.
  std::size_t host_size = host::ipv4_prefix(h, e);
  if (host_size == 0) {
    if (*h == '[') return false;
    host::HostRun run = host::scan_hostname({h, static_cast<std::size_t>(e - h)});
    if (run.size == 0 || !run.valid) return false;
    host_size = run.size;
  }
  q += host_size;
  // What parse_via_into would store; a failure below takes back the port
  // and params (the general parse stores the rest again).
  v.protocol_name = std::string_view(b, 3);
  v.protocol_version = std::string_view(b + 4, 3);
  v.transport = std::string_view(t, static_cast<std::size_t>(h - 1 - t));
  v.host = std::string_view(h, host_size);
  if (*q == ':') {
    chars::Digits port = chars::digits8(q + 1);  // 1 to 5 digits
    if (port.count - 1 >= 5 || port.value > 65535) return false;
    q += 1 + port.count;
    v.port = static_cast<std::uint16_t>(port.value);
  }
  // The params, each ";name[=value]" with a token name and value, followed
  // by ';', the ',' that ends them, or the end. branch and rport are
  // matched with one load; a ':' in a value or anything else unusual goes
  // to the general parse.
  {
    ViaParams& params = v.params;
    while (q < e) {
      if (*q != ';') {
        if (*q == ',') break;
        goto general;
      }
      if (params.size() == ViaParams::kInline) goto general;
      Param p;
      std::uint64_t w;
      std::memcpy(&w, q, 8);
      constexpr std::uint64_t kBranch = 0x3d68636e6172623bull;  // ";branch=", little-endian
      constexpr std::uint64_t kRport = 0x74726f70723bull;       // ";rport"
      if ((w | 0x0020202020202000ull) == kBranch) {  // the six letters folded
        // A token value needs no further check.
        const char* vb = q + 8;
        q = lines::span_padded<chars::kToken, '.', '-', '_'>(vb, e);
        if (q == vb) goto general;
        p.name = std::string_view(vb - 7, 6);
        p.value = std::string_view(vb, static_cast<std::size_t>(q - vb));
        p.has_value = true;
      } else if (((w & 0xffffffffffffull) | 0x202020202000ull) == kRport &&
                 (q + 6 == e || q[6] == '=' || q[6] == ';' || q[6] == ',')) {
        p.name = std::string_view(q + 1, 5);
        q += 6;
        if (q < e && *q == '=') {
          chars::Digits port = chars::digits8(q + 1);  // what parse_port takes
          if (port.count - 1 >= 5 || port.value > 65535) goto general;
          p.value = std::string_view(q + 1, port.count);
          p.has_value = true;
          q += 1 + port.count;
        }
      } else {
        const char* n = q + 1;
        q = lines::span_padded<chars::kToken, '.', '-', '_'>(n, e);
        if (q == n) goto general;
        p.name = std::string_view(n, static_cast<std::size_t>(q - n));
        if (q < e && *q == '=') {
          const char* vb = q + 1;
          q = lines::span_padded<chars::kToken, '.', '-', '_'>(vb, e);
          if (q == vb) goto general;
          p.value = std::string_view(vb, static_cast<std::size_t>(q - vb));
          p.has_value = true;
          // param_error's rules for a token value: ttl, rport, received.
          std::size_t size = p.name.size();
          if ((size == 3 || size == 5 || size == 8) && param_error(p, 1)) goto general;
        } else if (std::size_t size = p.name.size();
                   (size == 3 || size == 5 || size == 6 || size == 8) && param_error(p, 0)) {
          goto general;  // ttl, maddr, branch and received need a value
        }
      }
      params.push_back(p);
    }
  }
  v.text = std::string_view(b, static_cast<std::size_t>(q - b));
  return true;
general:
  v.port.reset();
  v.params.assign(nullptr, nullptr);
  return false;
}

Error via_error(std::string_view why, std::string_view text) {
  return Error{make_error_code(Errc::BadVia), "Bad Via (" + std::string(why) + "): \"" + chars::excerpt(text) + "\""};
}

}  // namespace scan

Result<Via> parse_via(std::string_view text) {
  text = chars::trim(text);
  Via v;
  if (const char* why = scan::parse_via_into(v, text, false)) return std::unexpected(scan::via_error(why, text));
  return v;
}



std::string_view Via::branch() const {
  const Param* p = find_param(params, "branch");
  return p ? p->value : std::string_view{};
}

std::string_view Via::received() const {
  const Param* p = find_param(params, "received");
  return p ? p->value : std::string_view{};
}

std::string_view Via::maddr() const {
  const Param* p = find_param(params, "maddr");
  return p ? p->value : std::string_view{};
}

bool Via::has_rport() const { return find_param(params, "rport") != nullptr; }

std::optional<std::uint16_t> Via::rport() const {
  const Param* p = find_param(params, "rport");
  if (!p || !p->has_value) return std::nullopt;
  return host::parse_port(p->value);
}

}  // namespace callwire::sip
