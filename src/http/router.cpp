#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "http/form.hpp"

namespace callwire::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

void Router::add(Method method, std::string_view pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  if (!handler) throw std::invalid_argument("route without a handler: " + std::string(pattern));
  Route route{method, std::string(pattern), {}, std::move(handler)};
  for (auto part : split_path(pattern)) {
    Segment seg;
    auto open = part.find('{');
    if (open == std::string_view::npos) {
      if (part.find('}') != std::string_view::npos) {
        throw std::invalid_argument("stray '}' in route pattern: " + std::string(pattern));
      }
      seg.prefix = std::string(part);
    } else {
      auto close = part.find('}', open);
      if (close == std::string_view::npos || close == open + 1) {
        throw std::invalid_argument("bad capture in route pattern: " + std::string(pattern));
      }
      seg.capture = true;
      seg.prefix = std::string(part.substr(0, open));
      seg.name = std::string(part.substr(open + 1, close - open - 1));
      seg.suffix = std::string(part.substr(close + 1));
      auto braces = [](std::string_view s) { return s.find_first_of("{}") != std::string_view::npos; };
      if (braces(seg.prefix) || braces(seg.name) || braces(seg.suffix)) {
        throw std::invalid_argument("one capture per segment in route pattern: " + std::string(pattern));
      }
    }
    route.segments.push_back(std::move(seg));
  }
  for (const auto& r : routes_) {
    if (r.method == method && r.pattern == route.pattern) {
      throw std::invalid_argument("duplicate route: " + std::string(to_string(method)) + " " + route.pattern);
    }
  }
  routes_.push_back(std::move(route));
}

std::expected<const Handler*, Response> Router::find(Request& request) const {
  std::vector<std::string> parts;
  for (auto raw : split_path(request.path())) {
    auto decoded = percent_decode(raw);
    if (!decoded) {
      return std::unexpected(error_response(400, kCodeBadRequest, "Invalid %-escape in the request path"));
    }
    parts.push_back(std::move(*decoded));
  }

  // Specificity per segment: literal 2, capture with literal text 1, bare capture 0.
  const Route* best = nullptr;
  std::vector<int> best_rank;
  std::vector<std::pair<std::string, std::string>> best_captures;
  std::vector<Method> allowed;

  for (const auto& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    std::vector<int> rank;
    std::vector<std::pair<std::string, std::string>> captures;
    bool ok = true;
    for (std::size_t i = 0; ok && i < parts.size(); ++i) {
      const auto& seg = route.segments[i];
      const std::string& part = parts[i];
      if (!seg.capture) {
        ok = part == seg.prefix;
        rank.push_back(2);
        continue;
      }
      ok = part.size() > seg.prefix.size() + seg.suffix.size() && part.starts_with(seg.prefix) &&
           part.ends_with(seg.suffix);
      if (ok) {
        captures.emplace_back(seg.name,
                              part.substr(seg.prefix.size(), part.size() - seg.prefix.size() - seg.suffix.size()));
      }
      rank.push_back(seg.prefix.empty() && seg.suffix.empty() ? 0 : 1);
    }
    if (!ok) continue;
    if (route.method != request.method()) {
      if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) allowed.push_back(route.method);
      continue;
    }
    if (best == nullptr || rank > best_rank) {
      best = &route;
      best_rank = std::move(rank);
      best_captures = std::move(captures);
    }
  }

  if (best != nullptr) {
    request.set_captures(std::move(best_captures));
    return &best->handler;
  }
  if (!allowed.empty()) {
    std::sort(allowed.begin(), allowed.end());
    std::string allow;
    for (auto m : allowed) {
      if (!allow.empty()) allow += ", ";
      allow += to_string(m);
    }
    auto r = error_response(405, kCodeMethodNotAllowed, "Method not allowed");
    r.headers.set("Allow", std::move(allow));
    return std::unexpected(std::move(r));
  }
  return std::unexpected(
      error_response(404, kCodeNotFound, "The requested resource " + std::string(request.path()) + " was not found"));
}

Response Router::dispatch(Request& request) const {
  auto found = find(request);
  if (!found) return std::move(found.error());
  return (**found)(request);
}

}  // namespace callwire::http
