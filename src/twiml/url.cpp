#include "twiml/url.hpp"

namespace callwire::twiml {
namespace {

bool has_scheme(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' ||
                                                                              c == '-' || c == '.'));
    if (!ok) return false;
  }
  return true;
}

std::string_view strip_fragment(std::string_view s) { return s.substr(0, s.find('#')); }

}  // namespace

std::string resolve_url(std::string_view base, std::string_view reference) {
  if (has_scheme(reference)) return std::string(reference);
  base = strip_fragment(base);
  auto scheme_end = base.find("://");
  if (scheme_end == std::string_view::npos) return std::string(reference);
  std::string_view scheme = base.substr(0, scheme_end);
  auto path_start = base.find('/', scheme_end + 3);
  std::string_view origin = path_start == std::string_view::npos ? base : base.substr(0, path_start);

  if (reference.starts_with("//")) return std::string(scheme) + ":" + std::string(reference);
  if (reference.starts_with("/")) return std::string(origin) + std::string(reference);
  std::string_view base_path = path_start == std::string_view::npos ? "/" : base.substr(path_start);
  if (reference.empty()) return std::string(base);
  if (reference.starts_with("?")) {
    return std::string(origin) + std::string(base_path.substr(0, base_path.find('?'))) + std::string(reference);
  }
  base_path = base_path.substr(0, base_path.find('?'));
  std::string dir(base_path.substr(0, base_path.rfind('/') + 1));
  // Remove "./" and "../" segments (RFC 3986 §5.2.4, enough for TwiML apps).
  std::string merged = dir + std::string(reference);
  std::string query;
  if (auto q = merged.find('?'); q != std::string::npos) {
    query = merged.substr(q);
    merged.resize(q);
  }
  std::string out;
  std::size_t i = 0;
  while (i < merged.size()) {
    auto next = merged.find('/', i + 1);
    std::string seg = merged.substr(i, next == std::string::npos ? std::string::npos : next - i);
    if (seg == "/..") {
      auto cut = out.rfind('/');
      out.resize(cut == std::string::npos ? 0 : cut);
      if (next == std::string::npos) out += '/';
    } else if (seg == "/.") {
      if (next == std::string::npos) out += '/';
    } else {
      out += seg;
    }
    if (next == std::string::npos) break;
    i = next;
  }
  if (out.empty()) out = "/";
  return std::string(origin) + out + query;
}

}  // namespace callwire::twiml
