#pragma once
// TwiML and webhook-content errors. Each value is Twilio's error code, so an
// Error's code().value() is what the debugger alert and ErrorCode carry.
#include <system_error>

namespace callwire::twiml {

enum class Errc {
  InvalidXml = 12100,          // document parse failure
  InvalidXmlVersion = 12101,
  BadRoot = 12102,             // root element must be <Response>
  Schema = 12200,              // unknown verb, noun or attribute value
  InvalidContentType = 12300,
  DialTimeout = 13212,         // <Dial timeout> not a whole number of seconds
  DialCallerId = 13214,        // <Dial callerId> not usable for the target
  DialTimeLimit = 13216,       // <Dial timeLimit> not a whole number of seconds
  DialNumberFormat = 13223,    // <Number> is not a phone number
  DialNumber = 13224,          // <Number> cannot be called (no trunk serves it)
  PlayLoop = 13410,            // <Play loop> not a non-negative integer
  PlayUrl = 13420,             // <Play> URL or its content unusable
  SayLoop = 13510,             // <Say loop> not a non-negative integer
  SayVoice = 13511,            // <Say voice/language> not honoured exactly
  SayText = 13520,             // <Say> text empty or not speakable
  RedirectMethod = 13710,      // <Redirect method> not GET/POST
  PauseLength = 13910,         // <Pause length> not a non-negative integer
};

const std::error_category& twiml_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), twiml_category()}; }

}  // namespace callwire::twiml

template <>
struct std::is_error_code_enum<callwire::twiml::Errc> : std::true_type {};
