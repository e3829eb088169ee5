#pragma once
// Resolving the URLs a document names (Redirect, action) against the URL the
// document came from, as a browser would (RFC 3986 §5.2, the common cases).
#include <string>
#include <string_view>

namespace callwire::twiml {

// `reference` absolute (http:// or https://) → itself; "//host/p" → the
// base's scheme; "/p" → the base's scheme and authority; "p" or "?q" →
// relative to the base's path. The base's fragment never carries over.
std::string resolve_url(std::string_view base, std::string_view reference);

}  // namespace callwire::twiml
