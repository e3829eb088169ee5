#include "auth/domain_host.hpp"

#include <algorithm>
#include <array>

#include "core/text.hpp"

namespace callwire::auth {

namespace {

// Contract 8.1: current edge names, legacy region names and the private
// interconnect (-ix) variants of both. The legacy↔new -ix pairing is [NC],
// so every -ix form is accepted on its own.
constexpr std::array<std::string_view, 31> kEdges = {
    "ashburn",     "umatilla",     "dublin",   "frankfurt",    "singapore",  "tokyo",
    "sao-paulo",   "sydney",       "us1",      "us2",          "ie1",        "de1",
    "sg1",         "jp1",          "br1",      "au1",          "ashburn-ix", "san-jose-ix",
    "london-ix",   "frankfurt-ix", "singapore-ix", "tokyo-ix", "sydney-ix",  "us1-ix",
    "us2-ix",      "ie1-ix",       "de1-ix",   "sg1-ix",       "jp1-ix",     "br1-ix",
    "au1-ix"};

std::string_view strip_trailing_dot(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

// DNS host name syntax: labels of [a-z0-9-_] (lowercase already), 1..63
// characters, no leading/trailing hyphen, 253 characters at most.
bool valid_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto dot = s.find('.', start);
    auto label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

bool all_digits_and_dots(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

}  // namespace

HostResolver::HostResolver(std::string base, std::vector<std::string> extra_edges)
    : base_(ascii_lowercase(strip_trailing_dot(base))) {
  for (auto e : kEdges) edges_.emplace(e);
  for (auto& e : extra_edges) {
    auto l = ascii_lowercase(strip_trailing_dot(e));
    // An edge is one DNS label; "sip" would make "{x}.sip.sip.{base}" ambiguous.
    if (!l.empty() && l.find('.') == std::string::npos && l != "sip") edges_.emplace(std::move(l));
  }
  suffix_ = ".sip." + base_;
}

bool HostResolver::is_edge(std::string_view label) const { return edges_.contains(std::string(label)); }

std::optional<DomainHost> HostResolver::resolve(std::string_view host) const {
  if (host.empty() || host.front() == '[') return std::nullopt;  // IPv6 literal
  if (auto colon = host.find(':'); colon != std::string_view::npos) {
    if (host.find(':', colon + 1) != std::string_view::npos) return std::nullopt;  // bare IPv6
    host = host.substr(0, colon);  // the port does not select anything
  }
  std::string h = ascii_lowercase(strip_trailing_dot(host));
  if (!valid_hostname(h) || all_digits_and_dots(h)) return std::nullopt;
  if (h.size() <= base_.size() + 1 || !h.ends_with(base_) || h[h.size() - base_.size() - 1] != '.') {
    return std::nullopt;
  }
  std::string_view prefix(h.data(), h.size() - base_.size() - 1);  // "{label}.sip[.{edge}]"

  // The plain form wins: "a.sip.sip.{base}" is the domain "a.sip" + ".sip.{base}".
  if (prefix.ends_with(".sip")) {
    auto label = prefix.substr(0, prefix.size() - 4);
    if (label.empty()) return std::nullopt;
    return DomainHost{std::string(label) + suffix_, ""};
  }
  auto dot = prefix.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto edge = prefix.substr(dot + 1);
  auto rest = prefix.substr(0, dot);
  if (!rest.ends_with(".sip") || !is_edge(edge)) return std::nullopt;
  auto label = rest.substr(0, rest.size() - 4);
  if (label.empty()) return std::nullopt;
  return DomainHost{std::string(label) + suffix_, std::string(edge)};
}

}  // namespace callwire::auth
