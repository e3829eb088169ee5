#include "api/api_error.hpp"

#include <fmt/format.h>

#include "core/log.hpp"
#include "store/errc.hpp"

namespace callwire::api {

std::unexpected<ApiError> bad_request(std::string message, int code) {
  return api_fail(400, code, std::move(message));
}

std::unexpected<ApiError> not_found(std::string_view path) {
  return api_fail(404, kCodeNotFound, fmt::format("The requested resource {} was not found", path));
}

std::unexpected<ApiError> missing_param(std::string_view name) {
  return bad_request(fmt::format("Missing required parameter {} in the post body", name));
}

ApiError from_store(const Error& error, std::string_view path) {
  using store::Errc;
  if (store::is(error, Errc::NotFound)) return not_found(path).error();
  if (store::is(error, Errc::Invalid)) return {400, kCodeInvalidParameter, error.what()};
  if (store::is(error, Errc::Unavailable)) {
    log::get("api")->warn("{}: storage unavailable: {}", path, error.what());
    return {503, kCodeUnavailable, "Service unavailable: the database cannot be reached, retry later"};
  }
  // Conflict / ForeignKey reaching here, Internal or a foreign category: a bug
  // or a broken database, not bad input.
  log::get("api")->error("{}: storage error: {}", path, error.what());
  return {500, kCodeInternal, "Internal error"};
}

http::Response to_response(const ApiError& error) {
  auto r = http::error_response(error.status, error.code, error.message);
  if (error.status == 503) r.headers.set("Retry-After", "1");
  // Sent although the contract leaves it open: curl and browsers only send
  // credentials after a challenge (docs/compatibility.md §1.1).
  if (error.status == 401) r.headers.set("WWW-Authenticate", "Basic realm=\"callwire\"");
  return r;
}

}  // namespace callwire::api
