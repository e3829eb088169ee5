#include "api/domain_name.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "api/validation.hpp"

namespace callwire::api {

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

// Echo at most this much of a refused name in messages.
std::string shown(std::string_view s) { return std::string(s.substr(0, 80)) + (s.size() > 80 ? "…" : ""); }

}  // namespace

ApiResult<DomainName> parse_domain_name(std::string_view text, std::string_view suffix) {
  auto invalid = [](std::string message) { return bad_request(std::move(message), kCodeDomainValidation); };
  if (text.empty()) return invalid("Invalid DomainName: it must not be empty");
  std::string name = lowercase(text);
  if (name.size() > 253) {
    return invalid(fmt::format("Invalid DomainName: it must be at most 253 characters long (got {})", name.size()));
  }
  if (name.size() <= suffix.size() || !name.ends_with(suffix)) {
    return invalid(fmt::format("Invalid DomainName '{}': it must end in '{}' with a name of yours before it, e.g. "
                               "'example{}'",
                               shown(text), suffix.substr(1), suffix));
  }
  std::string prefix = name.substr(0, name.size() - suffix.size());
  std::string_view rest = prefix;
  while (true) {
    auto dot = rest.find('.');
    auto label = rest.substr(0, dot);
    if (label.empty()) {
      return invalid(fmt::format("Invalid DomainName '{}': it has an empty label (two dots in a row or a leading dot)",
                                 shown(text)));
    }
    if (label.size() > 63) {
      return invalid(fmt::format("Invalid DomainName: the label '{}' is longer than 63 characters", shown(label)));
    }
    for (char c : label) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) {
        return invalid(fmt::format(
            "Invalid DomainName '{}': labels may only contain letters, digits and '-' (found '{}')", shown(text),
            static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f ? std::string("?")
                                                                                           : std::string(1, c)));
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return invalid(
          fmt::format("Invalid DomainName '{}': a label must not start or end with '-' (found '{}')", shown(text),
                      label));
    }
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return DomainName{std::move(name), std::move(prefix)};
}

std::optional<std::string> parent_domain_name(const DomainName& name, std::string_view suffix) {
  auto dot = name.prefix.find('.');
  if (dot == std::string::npos) return std::nullopt;
  return name.name.substr(dot + 1);
}

std::optional<std::string> reserved_account_sid(std::string_view name, std::string_view suffix) {
  if (!name.ends_with(suffix)) return std::nullopt;
  auto prefix = name.substr(0, name.size() - suffix.size());
  if (prefix.size() != 34) return std::nullopt;
  std::string upper(prefix.substr(0, 2));
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
  if (upper != "AC") return std::nullopt;
  return normalize_sid(upper + std::string(prefix.substr(2)), "AC");
}

}  // namespace callwire::api
