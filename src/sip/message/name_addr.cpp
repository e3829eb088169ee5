#include "sip/message/name_addr.hpp"

#include "sip/message/chars.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/scan.hpp"

namespace callwire::sip {
namespace scan {

const char* split_name_addr(std::string_view text, NameAddrParts& out) {
  out = {};
  std::size_t n = text.size();
  if (n == 0) return "empty value";
  std::size_t i = 0;
  if (text[0] == '"') {
    i = quoted_end(text, 0);
    if (i == npos) return "unterminated quoted display name";
    out.display = text.substr(0, i);
    while (i < n && chars::is_ws(text[i])) ++i;
    if (i == n || text[i] != '<') return "quoted display name not followed by <URI>";
  } else {
    // Either "token *(LWS token) <uri>" or a bare addr-spec starting with its scheme.
    while (i < n && (chars::is_token(text[i]) || chars::is_ws(text[i]))) ++i;
    if (i < n && text[i] == '<') {
      out.display = chars::trim(text.substr(0, i));
    } else {
      if (text.find('<') != npos) return "display name must be a token sequence or a quoted string";
      // addr-spec: a URI with ';', '?' or ',' must be written in <> (§20), so
      // the URI ends at the first ';' or LWS and the rest are header params.
      std::size_t e = 0;
      while (e < n && text[e] != ';' && !chars::is_ws(text[e])) {
        char c = text[e];
        if (c == '<' || c == '>' || c == '"') return "display name must be a token sequence or a quoted string";
        if (c == '?' || c == ',') return "URI with '?' or ',' must be enclosed in <>";
        ++e;
      }
      out.uri = text.substr(0, e);
      out.params = text.substr(e);
      return nullptr;
    }
  }
  // text[i] == '<'
  std::size_t close = text.find('>', i + 1);
  if (close == npos) return "missing '>'";
  out.angle = true;
  out.uri = text.substr(i + 1, close - i - 1);
  if (out.uri.empty()) return "empty <>";
  if (chars::is_ws(out.uri.front()) || chars::is_ws(out.uri.back())) return "whitespace inside <>";
  out.params = text.substr(close + 1);
  return nullptr;
}

}  // namespace scan

Result<NameAddr> parse_name_addr(std::string_view text, bool allow_star) {
  text = chars::trim(text);
  NameAddr na;
  if (allow_star && text == "*") {
    na.uri_text = text;
    na.uri.text = text;
    na.uri.scheme = Scheme::Other;
    return na;
  }
  scan::NameAddrParts parts;
  if (const char* err = scan::split_name_addr(text, parts))
    return fail(Errc::BadHeaderValue, std::string("Bad name-addr (") + err + "): \"" + chars::excerpt(text) + "\"");
  na.display_name = parts.display;
  na.angle_brackets = parts.angle;
  na.uri_text = parts.uri;
  auto uri = parse_uri(parts.uri);
  if (!uri) return std::unexpected(std::move(uri.error()));
  na.uri = std::move(*uri);
  auto params = parse_header_params(parts.params);
  if (!params) return std::unexpected(std::move(params.error()));
  na.params = std::move(*params);
  return na;
}

}  // namespace callwire::sip
