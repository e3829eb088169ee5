#include "calls/info_dtmf.hpp"

#include "core/text.hpp"

namespace callwire::calls {

std::optional<char> info_dtmf_key(std::string_view content_type, std::string_view body) {
  content_type = trim(content_type.substr(0, content_type.find(';')));
  std::string_view value;
  if (iequals(content_type, "application/dtmf-relay")) {
    while (!body.empty()) {
      auto eol = body.find('\n');
      std::string_view line = trim(body.substr(0, eol));
      body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
      auto eq = line.find('=');
      if (eq != std::string_view::npos && iequals(trim(line.substr(0, eq)), "Signal")) {
        value = trim(line.substr(eq + 1));
        break;
      }
    }
  } else if (iequals(content_type, "application/dtmf")) {
    value = trim(body);
  } else {
    return std::nullopt;
  }
  if (value == "10") return '*';
  if (value == "11") return '#';
  if (value.size() != 1) return std::nullopt;
  char c = value[0];
  if (c >= 'a' && c <= 'd') c = static_cast<char>(c - 'a' + 'A');
  if ((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D')) return c;
  return std::nullopt;
}

}  // namespace callwire::calls
