#pragma once
// Errors of the storage layer. The API maps them to HTTP/Twilio codes; the
// detail text names what collided or what is missing, never a secret.
#include <system_error>

#include "core/result.hpp"

namespace callwire::store {

enum class Errc {
  NotFound = 1,  // no such row in this account (also: another account's row)
  Conflict,      // unique violation: domain name taken, username in list, mapping exists
  ForeignKey,    // parent missing (list, domain, account) or row still referenced (mapped list)
  Invalid,       // the store refuses the values (e.g. IP ACL mapped for registrations)
  Unavailable,   // database unreachable, locked for too long, disk full, pool exhausted
  Internal,      // anything else: a bug or a corrupted database
  SecretKey,     // the secret key is missing/unreadable, or not the one that encrypted a stored secret
};

const std::error_category& store_category();
inline std::error_code make_error_code(Errc e) { return {static_cast<int>(e), store_category()}; }

// True when `error` carries the store category and value `e`.
inline bool is(const Error& error, Errc e) { return error.code == make_error_code(e); }

}  // namespace callwire::store

template <>
struct std::is_error_code_enum<callwire::store::Errc> : std::true_type {};
