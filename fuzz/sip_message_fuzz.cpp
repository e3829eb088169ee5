// Fuzzes the whole SIP message layer on one input: Message::parse, every
// lazy parser on every header, stream framing and the error response.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "sip/message/builder.hpp"
#include "sip/message/errc.hpp"
#include "sip/message/message.hpp"
#include "sip/message/name_addr.hpp"
#include "sip/message/uri.hpp"

using namespace callwire::sip;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  auto m = Message::parse(bytes);
  if (m) {
    (void)m->bytes();
    if (m->is_request()) {
      (void)parse_uri(m->request_uri());
      (void)Builder::response_to(*m, 100).build();
      (void)Builder::response_to(*m, 486, {}, "tag1", "SIP/2.0/UDP a.example.com;branch=z9hG4bK1").build();
    }
    for (const Header& h : m->headers()) {
      if (header_id(h.name) != h.id) __builtin_trap();  // the loop's lookups agree with the general one
      (void)m->header(h.name);
      (void)parse_header_params(h.value);
      (void)parse_name_addr(h.value, true);
      (void)unquote(h.value);
      for (auto v : split_list(h.value)) {
        if (auto na = parse_name_addr(v, h.id == HeaderId::Contact)) {
          (void)na->tag();
          if (na->uri.scheme == Scheme::Sip) (void)na->uri.host_port();
        }
        if (auto via = parse_via(v)) {
          (void)via->branch();
          (void)via->rport();
          (void)via->received();
        }
        if (auto u = parse_uri(v)) (void)uri_equivalent(*u, *u);
      }
    }
    for (HeaderId id : {HeaderId::Via, HeaderId::Contact, HeaderId::Route, HeaderId::Allow, HeaderId::Authorization})
      (void)m->values(id);
    // The eager From / To tags are what the lazy parse finds, when it takes
    // the value and it has one tag param.
    for (auto [id, tag] : {std::pair{HeaderId::From, m->from_tag()}, std::pair{HeaderId::To, m->to_tag()}}) {
      auto na = parse_name_addr(m->header(id));
      if (!na) continue;
      int tags = 0;
      for (const Param& p : na->params)
        tags += p.name.size() == 3 && (p.name[0] | 0x20) == 't' && (p.name[1] | 0x20) == 'a' && (p.name[2] | 0x20) == 'g';
      if (tags == 1 && na->tag() != tag) __builtin_trap();
    }
  } else {
    (void)status_for(m.error());
    (void)error_response(bytes, m.error());
  }

  // Framing, and parsing what it frames, as a stream transport would.
  std::string_view rest = bytes;
  for (int i = 0; i < 8 && !rest.empty(); ++i) {
    (void)keepalive_prefix(rest);
    auto f = frame_stream(rest);
    if (!f) break;
    if (f->skip + f->size > rest.size()) __builtin_trap();  // framing must stay inside the buffer
    (void)Message::parse(rest.substr(f->skip, f->size));
    if (f->skip + f->size == 0) break;
    rest.remove_prefix(f->skip + f->size);
  }

  ParseLimits tight;
  tight.max_headers = 4;
  tight.max_line_length = 64;
  tight.max_message_size = 256;
  auto t = Message::parse(bytes, tight);
  if (!t) (void)error_response(bytes, t.error());
  return 0;
}
