#pragma once
// An API failure as the client hears it: HTTP status, Twilio error code and
// message (rendered as contract §1.5's {code, message, more_info, status}).
#include <expected>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/response.hpp"

namespace callwire::api {

// Twilio error codes callwire answers with (contract §1.6, docs/compatibility.md).
inline constexpr int kCodeInvalidParameter = 20001;  // missing/invalid parameter, paging, limits
inline constexpr int kCodeInvalidFriendlyName = 20002;
inline constexpr int kCodeAuthenticate = 20003;
inline constexpr int kCodeAccountNotActive = 20005;
inline constexpr int kCodeNotFound = 20404;
inline constexpr int kCodeInternal = 20500;
inline constexpr int kCodeUnavailable = 20503;
inline constexpr int kCodeInvalidUrl = 21205;
inline constexpr int kCodeInvalidMethod = 21209;
inline constexpr int kCodeDomainValidation = 21231;
inline constexpr int kCodeDomainExists = 21232;
inline constexpr int kCodeFallbackWithoutUrl = 21405;

struct ApiError {
  int status = 400;
  int code = kCodeInvalidParameter;
  std::string message;
};

template <class T>
using ApiResult = std::expected<T, ApiError>;

inline std::unexpected<ApiError> api_fail(int status, int code, std::string message) {
  return std::unexpected(ApiError{status, code, std::move(message)});
}

// 400 with `code` (20001 unless told).
std::unexpected<ApiError> bad_request(std::string message, int code = kCodeInvalidParameter);
// 404 20404 "The requested resource <path> was not found".
std::unexpected<ApiError> not_found(std::string_view path);
// "Missing required parameter <name> in the post body" (400 20001).
std::unexpected<ApiError> missing_param(std::string_view name);

// A store error seen while serving `path`: NotFound → 404, Unavailable → 503,
// Invalid → 400 with the store's detail, anything else → 500. Callers map
// Conflict and ForeignKey themselves first when those have a meaning there.
ApiError from_store(const Error& error, std::string_view path);

http::Response to_response(const ApiError& error);

}  // namespace callwire::api
