#include "api/twimlets.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "http/response.hpp"
#include "core/text.hpp"

namespace callwire::api {
namespace {

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

bool starts_with_http(std::string_view s) {
  if (s.size() < 4) return false;
  std::string head(s.substr(0, 4));
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head == "http";
}

// The order a parameter name gives its value: plain "Message" (and
// "Message[]") keep request order before any "Message[N]", which sort by N.
// nullopt for other names.
std::optional<long long> message_rank(std::string_view name) {
  if (name == "Message" || name == "Message[]") return -1;
  if (!name.starts_with("Message[") || !name.ends_with("]")) return std::nullopt;
  auto digits = name.substr(8, name.size() - 9);
  long long n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || n < 0) return std::nullopt;
  return n;
}

http::Response twiml_response(std::string xml) {
  return http::text_response(200, std::move(xml), "text/xml; charset=utf-8");
}

}  // namespace

std::string message_twimlet(const http::Params& query, const http::Params& form) {
  std::vector<std::pair<long long, std::string_view>> messages;
  for (const auto* params : {&query, &form}) {
    for (const auto& p : *params) {
      if (auto rank = message_rank(p.name)) messages.emplace_back(*rank, p.value);
    }
  }
  std::stable_sort(messages.begin(), messages.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>";
  for (const auto& [rank, raw] : messages) {
    auto text = trim(raw);
    if (text.empty()) continue;
    const char* verb = starts_with_http(text) ? "Play" : "Say";
    xml += std::string("<") + verb + ">" + xml_escape(text) + "</" + verb + ">";
  }
  xml += "</Response>";
  return xml;
}

void add_twimlet_routes(http::Router& router) {
  auto message = [](const http::Request& request) {
    return twiml_response(message_twimlet(request.query(), request.form()));
  };
  router.add(http::Method::Get, "/twimlets/message", message);
  router.add(http::Method::Post, "/twimlets/message", message);
}

}  // namespace callwire::api
