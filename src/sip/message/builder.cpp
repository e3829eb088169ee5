#include "sip/message/builder.hpp"

#include <string>

#include "sip/message/scan.hpp"

namespace callwire::sip {
namespace {

// Values come from peers: a CR or LF in one must never become a line end in
// what we send (header injection), so both turn into spaces.
// Appends first and rewrites in place: a branch-free loop over the copy
// vectorises, where a push_back per byte cost ~25 instructions a byte.
void append_clean(std::string& out, std::string_view v) {
  const std::size_t at = out.size();
  out.append(v);
  char* p = out.data() + at;
  for (std::size_t i = 0; i < v.size(); ++i) p[i] = (p[i] == '\r' || p[i] == '\n') ? ' ' : p[i];
}

}  // namespace

Builder Builder::request(std::string_view method, std::string_view request_uri) {
  Builder b;
  b.head_.reserve(512);
  append_clean(b.head_, method);
  b.head_ += ' ';
  append_clean(b.head_, request_uri);
  b.head_ += " SIP/2.0\r\n";
  return b;
}

Builder Builder::response(int status, std::string_view reason) {
  Builder b;
  b.head_.reserve(512);
  b.head_ += "SIP/2.0 ";
  b.head_ += std::to_string(status);
  b.head_ += ' ';
  append_clean(b.head_, reason.empty() ? reason_phrase(status) : reason);
  b.head_ += "\r\n";
  return b;
}

Builder Builder::response_to(const Message& req, int status, std::string_view reason, std::string_view to_tag) {
  return response_to(req, status, reason, to_tag, {});
}

Builder Builder::response_to(const Message& req, int status, std::string_view reason, std::string_view to_tag,
                             std::string_view top_via) {
  Builder b = response(status, reason);
  bool first = true;
  for (const Header& h : req.headers()) {
    if (h.id != HeaderId::Via) continue;
    if (first && !top_via.empty()) {
      // Replace only the first via-parm; the rest of that header stays.
      std::size_t comma = scan::list_comma(h.value);
      std::string v(top_via);
      if (comma != std::string_view::npos) v += h.value.substr(comma);
      b.header(HeaderId::Via, v);
    } else {
      b.header(HeaderId::Via, h.value);
    }
    first = false;
  }
  b.header(HeaderId::From, req.header(HeaderId::From));
  std::string_view to = req.header(HeaderId::To);
  if (std::string_view tag = response_to_tag(req, status, to_tag); !tag.empty() && req.to_tag().empty()) {
    std::string t(to);
    t += ";tag=";
    t += tag;
    b.header(HeaderId::To, t);
  } else {
    b.header(HeaderId::To, to);
  }
  b.header(HeaderId::CallId, req.call_id());
  b.header(HeaderId::CSeq, req.header(HeaderId::CSeq));
  return b;
}

std::string_view Builder::response_to_tag(const Message& req, int status, std::string_view to_tag) {
  if (!req.to_tag().empty()) return req.to_tag();
  return status == 100 ? std::string_view{} : to_tag;
}

Builder& Builder::header(std::string_view name, std::string_view value) {
  HeaderId id = header_id(name);
  if (id == HeaderId::ContentLength) return *this;  // always computed by build()
  append_clean(head_, name);
  head_ += ": ";
  append_clean(head_, value);
  head_ += "\r\n";
  return *this;
}

Builder& Builder::header(HeaderId id, std::string_view value) {
  if (id == HeaderId::ContentLength || id == HeaderId::Other) return *this;
  head_ += header_name(id);
  head_ += ": ";
  append_clean(head_, value);
  head_ += "\r\n";
  return *this;
}

Builder& Builder::body(std::string_view content_type, std::string_view body) {
  if (!content_type.empty()) header(HeaderId::ContentType, content_type);
  body_.assign(body);
  return *this;
}

std::string Builder::build() const {
  std::string out;
  out.reserve(head_.size() + body_.size() + 24);
  out += head_;
  out += "Content-Length: ";
  out += std::to_string(body_.size());
  out += "\r\n\r\n";
  out += body_;
  return out;
}

}  // namespace callwire::sip
