#include "twiml/content_type.hpp"

#include <string>

namespace callwire::twiml {

BodyKind classify_content_type(std::string_view content_type) {
  // Media type only: parameters (charset) and case do not matter.
  std::string type;
  for (char c : content_type.substr(0, content_type.find(';'))) {
    if (c != ' ' && c != '\t') type += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (type == "text/xml" || type == "application/xml" || type == "text/html") return BodyKind::Twiml;
  if (type == "text/plain") return BodyKind::PlainText;
  if (type.starts_with("audio/")) return BodyKind::Audio;
  return BodyKind::Invalid;
}

}  // namespace callwire::twiml
