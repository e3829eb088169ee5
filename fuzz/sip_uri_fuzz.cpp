// Fuzzes the URI, name-addr, Via and parameter parsers directly, and the
// equivalence rules on pairs of URIs cut from the same input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sip/message/host.hpp"
#include "sip/message/name_addr.hpp"
#include "sip/message/params.hpp"
#include "sip/message/scan.hpp"
#include "sip/message/uri.hpp"
#include "sip/message/via.hpp"

using namespace callwire::sip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto u = parse_uri(text);
  if (u) {
    (void)u->host_port();
    (void)u->param("transport");
    (void)uri_equivalent(*u, *u);
  }
  (void)parse_name_addr(text);
  (void)parse_name_addr(text, true);
  (void)parse_header_params(text);
  (void)parse_uri_params(text);
  if (auto v = parse_via(text)) {
    (void)v->branch();
    (void)v->maddr();
    (void)v->has_rport();
    (void)v->rport();
  }
  for (auto e : split_list(text)) {
    (void)parse_name_addr(e);
    (void)unquote(e);
  }
  (void)unquote(text);
  (void)unescape(text);

  // A host with 16 bytes or more to read takes a 16-byte fast path, a
  // shorter one the byte scan: both must find the same run.
  std::string slow(text.substr(0, std::min<std::size_t>(size, 14)));
  slow += ';';
  std::string fast = slow + "transport=udp;lr";
  host::HostRun a = host::scan_hostname(slow), b = host::scan_hostname(fast);
  if (a.size != b.size || a.valid != b.valid) __builtin_trap();

  // The top Via's fast path (for a header value in the parser's block: a
  // line end after it, then zero padding) stores exactly what the general
  // parse stores whenever it takes a value.
  {
    std::string block(text);
    block += "\r\n";
    block.append(64, '\0');
    std::string_view value(block.data(), size);
    Via fast, slow;
    if (scan::usual_top_via(fast, value)) {
      if (scan::parse_via_into(slow, value, true) != nullptr) __builtin_trap();
      bool same = fast.protocol_name == slow.protocol_name && fast.protocol_version == slow.protocol_version &&
                  fast.transport == slow.transport && fast.host == slow.host &&
                  fast.host_is_ipv6 == slow.host_is_ipv6 && fast.port == slow.port && fast.text == slow.text &&
                  fast.params.size() == slow.params.size();
      for (std::size_t i = 0; same && i < fast.params.size(); ++i)
        same = fast.params[i].name == slow.params[i].name && fast.params[i].value == slow.params[i].value &&
               fast.params[i].has_value == slow.params[i].has_value;
      if (!same) __builtin_trap();
    }
  }

  // Two URIs from one input, split at the first newline.
  auto nl = text.find('\n');
  if (nl != std::string_view::npos) {
    auto x = parse_uri(text.substr(0, nl));
    auto y = parse_uri(text.substr(nl + 1));
    if (x && y && uri_equivalent(*x, *y) != uri_equivalent(*y, *x)) __builtin_trap();  // must be symmetric
  }
  return 0;
}
