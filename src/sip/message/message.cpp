#include "sip/message/message.hpp"

#include "sip/message/block_pool.hpp"
#include "sip/message/chars.hpp"
#include "sip/message/params.hpp"
#include "sip/message/parser.hpp"

namespace callwire::sip {

Result<Message> Message::parse(std::string_view bytes, const ParseLimits& limits) {
  return Parser::parse(bytes, limits);
}

void Message::BlockDeleter::operator()(char* block) const noexcept {
  if (pooled)
    block_pool::give(block);
  else
    delete[] block;
}

std::string_view Message::header(HeaderId id) const {
  for (const Header& h : headers())
    if (h.id == id) return h.value;
  return {};
}

std::string_view Message::header(std::string_view name) const {
  HeaderId id = header_id(name);
  if (id != HeaderId::Other) return header(id);
  // Identity-Info has a compact form ('n') but no HeaderId of its own.
  bool identity_info = chars::iequals(name, "Identity-Info") || chars::iequals(name, "n");
  for (const Header& h : headers()) {
    if (h.id != HeaderId::Other) continue;
    if (chars::iequals(h.name, name)) return h.value;
    if (identity_info && (chars::iequals(h.name, "Identity-Info") || chars::iequals(h.name, "n"))) return h.value;
  }
  return {};
}

bool Message::has(HeaderId id) const {
  for (const Header& h : headers())
    if (h.id == id) return true;
  return false;
}

namespace {

// Headers whose grammar is not a comma-separated list: their commas belong
// to the value (credentials, dates), so values() yields them whole.
bool is_list(HeaderId id) {
  switch (id) {
    case HeaderId::Authorization:
    case HeaderId::ProxyAuthorization:
    case HeaderId::WwwAuthenticate:
    case HeaderId::ProxyAuthenticate:
    case HeaderId::AuthenticationInfo:
    case HeaderId::Date:
    case HeaderId::RetryAfter:
    case HeaderId::CallId:
    case HeaderId::CSeq:
    case HeaderId::From:
    case HeaderId::To:
    case HeaderId::Subject:
    case HeaderId::Organization:
    case HeaderId::Server:
    case HeaderId::UserAgent:
    case HeaderId::Identity:
    case HeaderId::Other:
      return false;
    default:
      return true;
  }
}

}  // namespace

std::vector<std::string_view> Message::values(HeaderId id) const {
  std::vector<std::string_view> out;
  bool list = is_list(id);
  for (const Header& h : headers()) {
    if (h.id != id) continue;
    if (!list) {
      if (!h.value.empty()) out.push_back(h.value);
      continue;
    }
    for (auto v : split_list(h.value)) out.push_back(v);
  }
  return out;
}

}  // namespace callwire::sip
