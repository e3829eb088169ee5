#include "twiml/document.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include <pugixml.hpp>

#include "twiml/errc.hpp"

namespace callwire::twiml {
namespace {

struct VerbRule {
  std::string_view verb;
  std::string_view children;  // space-separated nouns allowed inside; "*" = any (SSML in <Say>)
};

// Contract §10: the voice verbs and the nouns each may contain.
constexpr std::array kVerbs{
    VerbRule{"Say", "*"},
    VerbRule{"Play", ""},
    VerbRule{"Pause", ""},
    VerbRule{"Gather", "Say Play Pause"},
    VerbRule{"Record", ""},
    VerbRule{"Dial", "Number Sip Client Conference Queue Application"},
    VerbRule{"Redirect", ""},
    VerbRule{"Reject", ""},
    VerbRule{"Hangup", ""},
    VerbRule{"Leave", ""},
    VerbRule{"Enqueue", "Task"},
    VerbRule{"Refer", "Sip"},
    VerbRule{"Connect", "Stream Room Conversation VirtualAgent ConversationRelay Autopilot"},
    VerbRule{"Start", "Stream Siprec Transcription"},
    VerbRule{"Stop", "Stream Siprec Transcription"},
    VerbRule{"Pay", "Prompt Parameter"},
    VerbRule{"Prompt", "Say Play Pause"},
    VerbRule{"Sms", ""},
    VerbRule{"Echo", ""},
};

const VerbRule* rule_for(std::string_view name) {
  auto it = std::find_if(kVerbs.begin(), kVerbs.end(), [&](const VerbRule& r) { return r.verb == name; });
  return it == kVerbs.end() ? nullptr : &*it;
}

bool allows_child(const VerbRule& rule, std::string_view child) {
  if (rule.children == "*") return true;
  std::string_view rest = rule.children;
  while (!rest.empty()) {
    auto space = rest.find(' ');
    if (rest.substr(0, space) == child) return true;
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return false;
}

std::string trimmed(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// The element, its attributes, its text and (recursively) its elements.
Node to_node(const pugi::xml_node& element) {
  Node node;
  node.name = element.name();
  for (auto a : element.attributes()) node.attributes.emplace_back(a.name(), a.value());
  std::string text;
  std::string lead;
  std::string tail;  // after the last child element so far
  for (auto child : element.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
      (node.children.empty() ? lead : tail) += child.value();
    } else if (child.type() == pugi::node_element) {
      if (!node.children.empty()) node.children.back().tail = trimmed(std::exchange(tail, {}));
      node.children.push_back(to_node(child));
    }
  }
  if (!node.children.empty()) node.children.back().tail = trimmed(tail);
  node.text = trimmed(text);
  node.lead = trimmed(lead);
  return node;
}

std::size_t depth_of(const pugi::xml_node& n) {
  std::size_t deepest = 0;
  for (auto c : n.children()) {
    if (c.type() == pugi::node_element) deepest = std::max(deepest, depth_of(c));
  }
  return deepest + 1;
}

}  // namespace

std::string_view Node::attr(std::string_view name, std::string_view fallback) const {
  for (const auto& [k, v] : attributes) {
    if (k == name) return v;
  }
  return fallback;
}

bool Node::has_attr(std::string_view name) const {
  return std::any_of(attributes.begin(), attributes.end(), [&](const auto& a) { return a.first == name; });
}

bool is_voice_verb(std::string_view name) { return rule_for(name) != nullptr; }

Result<Document> parse_document(std::string_view xml, const ParseLimits& limits) {
  if (xml.size() > limits.max_bytes) {
    return fail(Errc::InvalidXml, "document of " + std::to_string(xml.size()) + " bytes exceeds " +
                                      std::to_string(limits.max_bytes));
  }
  pugi::xml_document doc;
  // No DOCTYPE/entity expansion beyond XML's predefined ones: pugixml never
  // fetches external entities, and parse_default keeps it to the five.
  auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_declaration);
  if (!parsed) {
    return fail(Errc::InvalidXml, std::string("invalid XML at offset ") + std::to_string(parsed.offset) + ": " +
                                      parsed.description());
  }
  if (auto decl = doc.child("xml"); decl && decl.type() == pugi::node_declaration) {
    if (auto v = decl.attribute("version"); v && std::string_view(v.value()) != "1.0") {
      return fail(Errc::InvalidXmlVersion, std::string("XML version ") + v.value() + " is not 1.0");
    }
  }
  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "Response") {
    return fail(Errc::BadRoot, std::string("root element is <") + root.name() + ">, not <Response>");
  }
  if (depth_of(root) > limits.max_depth + 1) {
    return fail(Errc::Schema, "elements nested deeper than " + std::to_string(limits.max_depth));
  }

  Document out;
  for (auto child : root.children()) {
    if (child.type() != pugi::node_element) continue;
    const VerbRule* rule = rule_for(child.name());
    if (rule == nullptr) return fail(Errc::Schema, std::string("<") + child.name() + "> is not a TwiML verb");
    if (out.verbs.size() == limits.max_verbs) {
      return fail(Errc::Schema, "more than " + std::to_string(limits.max_verbs) + " verbs");
    }
    Node verb = to_node(child);
    for (const auto& noun : verb.children) {
      if (!allows_child(*rule, noun.name)) {
        return fail(Errc::Schema, "<" + noun.name + "> is not allowed inside <" + verb.name + ">");
      }
    }
    out.verbs.push_back(std::move(verb));
  }
  return out;
}

}  // namespace callwire::twiml
