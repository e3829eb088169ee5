#pragma once
// A webhook's answer read as TwiML (contract 9.1): a document, an audio
// body (played, then the call ends), text/plain that is not TwiML (spoken),
// or a refusal with the alert code to raise (12300 wrong Content-Type,
// 12100/12200 a bad document). Used for every document a call runs: the
// caller's, and a screened callee's (<Number url>).
#include <expected>
#include <string>

#include "twiml/document.hpp"
#include "webhook/request.hpp"

namespace callwire::calls {

struct TwimlAnswer {
  twiml::Document document;
  std::string url;  // where it came from (after redirects): relative URLs resolve against it
};

struct TwimlRefusal {
  int code = 0;
  std::string message;
  std::string body;  // the response body, for the alert
};

// `requested` is the URL asked for (used when the response names none).
std::expected<TwimlAnswer, TwimlRefusal> read_twiml_answer(const webhook::Response& response,
                                                           const std::string& requested);

}  // namespace callwire::calls
