#include "http/request.hpp"

#include "http/errc.hpp"
#include "http/form.hpp"

namespace callwire::http {

namespace {

// The media type of a Content-Type value, without parameters or spaces.
std::string_view media_type(std::string_view value) {
  auto semi = value.find(';');
  value = value.substr(0, semi);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

}  // namespace

Result<Request> Request::make(Method method, std::string_view target, Headers headers, std::string body,
                              net::Endpoint remote) {
  Request r;
  r.method_ = method;
  // Absolute-form ("http://host/path", RFC 9112 §3.2.2) is reduced to its path.
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() > scheme.size() && iequals(target.substr(0, scheme.size()), scheme)) {
      auto slash = target.find('/', scheme.size());
      auto question = target.find('?', scheme.size());
      if (question < slash) return fail(Errc::BadPath, "absolute URL without a path");
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
  }
  if (target.empty() || target.front() != '/') return fail(Errc::BadPath, "request target is not a path");
  r.target_ = std::string(target);
  auto q = target.find('?');
  r.path_len_ = q == std::string_view::npos ? target.size() : q;
  if (!percent_decode(r.path())) return fail(Errc::BadPath, "invalid %-escape in the path");
  if (q != std::string_view::npos) {
    auto query = parse_form(target.substr(q + 1));
    if (!query) return fail(Errc::BadFormBody, "query string: " + query.error().what());
    r.query_ = std::move(*query);
  }
  if (auto ct = headers.get("Content-Type"); ct && iequals(media_type(*ct), "application/x-www-form-urlencoded")) {
    auto form = parse_form(body);
    if (!form) return fail(Errc::BadFormBody, "form body: " + form.error().what());
    r.form_ = std::move(*form);
  }
  if (auto auth = headers.get("Authorization")) r.basic_auth_ = parse_basic_auth(*auth);
  r.headers_ = std::move(headers);
  r.body_ = std::move(body);
  r.remote_ = remote;
  return r;
}

std::string_view Request::raw_query() const {
  if (path_len_ >= target_.size()) return {};
  return std::string_view(target_).substr(path_len_ + 1);
}

std::string_view Request::capture(std::string_view name) const {
  for (const auto& [n, v] : captures_) {
    if (n == name) return v;
  }
  return {};
}

}  // namespace callwire::http
