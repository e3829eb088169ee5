#include "http/form.hpp"

#include "http/errc.hpp"

namespace callwire::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return fail(Errc::BadPercentEncoding, "truncated %-escape");
      }
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return fail(Errc::BadPercentEncoding, "invalid %-escape");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

Result<Params> parse_form(std::string_view text) {
  Params params;
  while (!text.empty()) {
    auto amp = text.find('&');
    std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (piece.empty()) continue;
    auto eq = piece.find('=');
    std::string_view raw_name = piece.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
    auto name = percent_decode(raw_name, true);
    if (!name) return fail(Errc::BadFormBody, "invalid %-escape in a parameter name");
    auto value = percent_decode(raw_value, true);
    if (!value) {
      // The name is safe to echo only as far as it is printable ASCII.
      std::string shown;
      for (char c : *name) shown.push_back((c >= 0x20 && c < 0x7f) ? c : '?');
      if (shown.size() > 64) shown.resize(64);
      return fail(Errc::BadFormBody, "invalid %-escape in the value of parameter " + shown);
    }
    params.add(std::move(*name), std::move(*value));
  }
  return params;
}

std::string form_encode(const Params& params) {
  std::string out;
  for (const auto& p : params) {
    if (!out.empty()) out.push_back('&');
    out += percent_encode(p.name);
    out.push_back('=');
    out += percent_encode(p.value);
  }
  return out;
}

std::string build_query(std::string_view path, const Params& params) {
  std::string out(path);
  if (!params.empty()) {
    out.push_back('?');
    out += form_encode(params);
  }
  return out;
}

}  // namespace callwire::http
