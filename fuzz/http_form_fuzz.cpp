// Fuzzes the form-body / query-string decoder and what is built on it: the
// request view (path, query, form, Basic auth) and the router. Properties:
// encode∘parse is the identity on whatever parses, and percent_decode
// inverts percent_encode.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/basic_auth.hpp"
#include "http/form.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/values.hpp"

using namespace callwire::http;

namespace {

const Router& router() {
  static const Router r = [] {
    Router r;
    auto h = [](const Request&) { return empty_response(); };
    r.add(Method::Get, "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json", h);
    r.add(Method::Post, "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{Sid}.json", h);
    r.add(Method::Get, "/2010-04-01/Accounts/{Sid}.json", h);
    r.add(Method::Get, "/x/pre-{Name}-post", h);
    return r;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto p = parse_form(text)) {
    auto encoded = form_encode(*p);
    auto again = parse_form(encoded);
    if (!again || *again != *p) __builtin_trap();
    for (const auto& param : *p) {
      (void)p->get(param.name);
      (void)p->all(param.name);
      (void)parse_bool(param.value);
      (void)parse_int(param.value, 1, 1000);
    }
  }
  for (bool plus : {false, true}) {
    if (auto d = percent_decode(text, plus)) (void)percent_encode(*d);
  }
  auto round = percent_decode(percent_encode(text));
  if (!round || *round != text) __builtin_trap();

  // The same bytes as a query, as a form body, as credentials and as a path.
  Headers headers;
  headers.add("Content-Type", "application/x-www-form-urlencoded");
  headers.add("Authorization", "Basic " + std::string(text));
  if (auto r = Request::make(Method::Post, "/q?" + std::string(text), headers, std::string(text))) {
    (void)r->query().size();
    (void)r->form().size();
  }
  (void)parse_basic_auth(text);
  if (auto creds = parse_basic_auth(format_basic_auth(text, text))) {
    // A user containing ':' cannot round-trip; everything else must.
    if (text.find(':') == std::string_view::npos && !text.empty() && (creds->user != text || creds->password != text)) {
      __builtin_trap();
    }
  }
  (void)parse_rfc2822(text);
  for (Method m : {Method::Get, Method::Post, Method::Delete}) {
    if (auto r = Request::make(m, "/" + std::string(text))) {
      (void)router().find(*r);
    }
  }
  return 0;
}
