#include "calls/twiml_answer.hpp"

#include <utility>

#include "twiml/content_type.hpp"

namespace callwire::calls {

std::expected<TwimlAnswer, TwimlRefusal> read_twiml_answer(const webhook::Response& r, const std::string& requested) {
  auto body_kind = twiml::classify_content_type(r.content_type);
  if (body_kind == twiml::BodyKind::Invalid) {
    return std::unexpected(TwimlRefusal{12300, "Content-Type '" + r.content_type + "' is not TwiML", r.body});
  }
  std::string document_url = r.url.empty() ? requested : r.url;
  if (body_kind == twiml::BodyKind::Audio) {
    // An audio answer is played, then the call ends. The <Play> fetches it
    // again (GET, cached like any <Play> media).
    twiml::Node play;
    play.name = "Play";
    play.text = document_url;
    return TwimlAnswer{twiml::Document{{std::move(play)}}, std::move(document_url)};
  }
  auto document = twiml::parse_document(r.body);
  if (!document && body_kind == twiml::BodyKind::PlainText && !r.body.empty()) {
    // text/plain that is not TwiML is spoken.
    twiml::Node say;
    say.name = "Say";
    say.text = r.body;
    return TwimlAnswer{twiml::Document{{std::move(say)}}, std::move(document_url)};
  }
  if (!document) return std::unexpected(TwimlRefusal{document.error().code.value(), document.error().what(), r.body});
  return TwimlAnswer{std::move(*document), std::move(document_url)};
}

}  // namespace callwire::calls
