#pragma once
// What a webhook's Content-Type makes of its body (contract 9.1).
#include <string_view>

namespace callwire::twiml {

enum class BodyKind {
  Twiml,      // text/xml, application/xml, text/html
  PlainText,  // text/plain: TwiML if it parses, else text to speak
  Audio,      // audio/*: played, then the call ends
  Invalid,    // missing or anything else: error 12300
};

BodyKind classify_content_type(std::string_view content_type);

}  // namespace callwire::twiml
