#include "http/method.hpp"

namespace callwire::http {

std::string_view to_string(Method m) {
  switch (m) {
    case Method::Get: return "GET";
    case Method::Head: return "HEAD";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Patch: return "PATCH";
    case Method::Delete: return "DELETE";
    case Method::Options: return "OPTIONS";
    case Method::Other: break;
  }
  return "OTHER";
}

Method parse_method(std::string_view text) {
  if (text == "GET") return Method::Get;
  if (text == "POST") return Method::Post;
  if (text == "DELETE") return Method::Delete;
  if (text == "HEAD") return Method::Head;
  if (text == "PUT") return Method::Put;
  if (text == "PATCH") return Method::Patch;
  if (text == "OPTIONS") return Method::Options;
  return Method::Other;
}

}  // namespace callwire::http
