#pragma once
// A TwiML document as a tree of verbs: what a voice webhook answered. The
// parser checks the structure (XML, <Response> root, known verbs and nouns,
// size); what each verb's attributes mean is the executor's business.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace callwire::twiml {

struct Node {
  std::string name;  // "Say", "Dial", "Number", ...
  std::vector<std::pair<std::string, std::string>> attributes;  // in document order
  std::string text;  // the element's own text, trimmed (a URL, a number, what to say)
  std::vector<Node> children;
  // Mixed content (SSML inside <Say>): the text before the first child
  // element, and on a child the text after it up to the next one. Trimmed.
  std::string lead;
  std::string tail;

  // The attribute's value, or `fallback` when absent. Names are case-sensitive, as in TwiML.
  std::string_view attr(std::string_view name, std::string_view fallback = {}) const;
  bool has_attr(std::string_view name) const;
};

struct Document {
  std::vector<Node> verbs;  // children of <Response>, in order
};

struct ParseLimits {
  std::size_t max_bytes = 64 * 1024;  // contract 9.1: larger bodies never reach the parser
  std::size_t max_verbs = 1000;
  std::size_t max_depth = 4;          // Response > Gather > Say > (SSML) ...
};

// Errors carry Twilio's code (twiml/errc.hpp): 12100 not XML, 12102 the root
// is not <Response>, 12200 an unknown verb or a noun where it cannot be.
[[nodiscard]] Result<Document> parse_document(std::string_view xml, const ParseLimits& limits = {});

// True for the verbs of TwiML for Voice (contract §10).
bool is_voice_verb(std::string_view name);

}  // namespace callwire::twiml
