#include "sip/message/header_id.hpp"

#include <array>

#include "sip/message/chars.hpp"

namespace callwire::sip {
namespace {

struct Entry {
  std::string_view name;  // canonical spelling
  HeaderId id;
};

// Canonical names, indexed by HeaderId.
constexpr std::array<Entry, 60> kNames{{
    {"", HeaderId::Other},
    {"Accept", HeaderId::Accept},
    {"Accept-Contact", HeaderId::AcceptContact},
    {"Accept-Encoding", HeaderId::AcceptEncoding},
    {"Accept-Language", HeaderId::AcceptLanguage},
    {"Alert-Info", HeaderId::AlertInfo},
    {"Allow", HeaderId::Allow},
    {"Allow-Events", HeaderId::AllowEvents},
    {"Authentication-Info", HeaderId::AuthenticationInfo},
    {"Authorization", HeaderId::Authorization},
    {"Call-ID", HeaderId::CallId},
    {"Call-Info", HeaderId::CallInfo},
    {"Contact", HeaderId::Contact},
    {"Content-Disposition", HeaderId::ContentDisposition},
    {"Content-Encoding", HeaderId::ContentEncoding},
    {"Content-Language", HeaderId::ContentLanguage},
    {"Content-Length", HeaderId::ContentLength},
    {"Content-Type", HeaderId::ContentType},
    {"CSeq", HeaderId::CSeq},
    {"Date", HeaderId::Date},
    {"Error-Info", HeaderId::ErrorInfo},
    {"Event", HeaderId::Event},
    {"Expires", HeaderId::Expires},
    {"From", HeaderId::From},
    {"Identity", HeaderId::Identity},
    {"In-Reply-To", HeaderId::InReplyTo},
    {"Max-Forwards", HeaderId::MaxForwards},
    {"MIME-Version", HeaderId::MimeVersion},
    {"Min-Expires", HeaderId::MinExpires},
    {"Min-SE", HeaderId::MinSE},
    {"Organization", HeaderId::Organization},
    {"P-Asserted-Identity", HeaderId::PAssertedIdentity},
    {"Priority", HeaderId::Priority},
    {"Proxy-Authenticate", HeaderId::ProxyAuthenticate},
    {"Proxy-Authorization", HeaderId::ProxyAuthorization},
    {"Proxy-Require", HeaderId::ProxyRequire},
    {"RAck", HeaderId::RAck},
    {"Reason", HeaderId::Reason},
    {"Record-Route", HeaderId::RecordRoute},
    {"Refer-To", HeaderId::ReferTo},
    {"Referred-By", HeaderId::ReferredBy},
    {"Reject-Contact", HeaderId::RejectContact},
    {"Reply-To", HeaderId::ReplyTo},
    {"Request-Disposition", HeaderId::RequestDisposition},
    {"Require", HeaderId::Require},
    {"Retry-After", HeaderId::RetryAfter},
    {"Route", HeaderId::Route},
    {"RSeq", HeaderId::RSeq},
    {"Server", HeaderId::Server},
    {"Session-Expires", HeaderId::SessionExpires},
    {"Subject", HeaderId::Subject},
    {"Supported", HeaderId::Supported},
    {"Timestamp", HeaderId::Timestamp},
    {"To", HeaderId::To},
    {"Unsupported", HeaderId::Unsupported},
    {"User-Agent", HeaderId::UserAgent},
    {"User-to-User", HeaderId::UserToUser},
    {"Via", HeaderId::Via},
    {"Warning", HeaderId::Warning},
    {"WWW-Authenticate", HeaderId::WwwAuthenticate},
}};

constexpr bool names_in_id_order() {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (static_cast<std::size_t>(kNames[i].id) != i) return false;
  return true;
}
static_assert(names_in_id_order());

// Compact forms (RFC 3261 §7.3.3 and later RFCs), by lowercase letter.
// 'n' (Identity-Info) has no HeaderId and stays Other.
constexpr std::array<HeaderId, 26> make_compact() {
  std::array<HeaderId, 26> t{};
  auto set = [&](char c, HeaderId id) { t[static_cast<std::size_t>(c - 'a')] = id; };
  set('a', HeaderId::AcceptContact);
  set('b', HeaderId::ReferredBy);
  set('c', HeaderId::ContentType);
  set('d', HeaderId::RequestDisposition);
  set('e', HeaderId::ContentEncoding);
  set('f', HeaderId::From);
  set('i', HeaderId::CallId);
  set('j', HeaderId::RejectContact);
  set('k', HeaderId::Supported);
  set('l', HeaderId::ContentLength);
  set('m', HeaderId::Contact);
  set('o', HeaderId::Event);
  set('r', HeaderId::ReferTo);
  set('s', HeaderId::Subject);
  set('t', HeaderId::To);
  set('u', HeaderId::AllowEvents);
  set('v', HeaderId::Via);
  set('x', HeaderId::SessionExpires);
  set('y', HeaderId::Identity);
  return t;
}
constexpr auto kCompact = make_compact();

// Open-addressing table over (length, first, last) letters: one probe and one
// case-folding compare for nearly every name, no allocation, no strcasecmp.
constexpr std::size_t kSlots = 256;

constexpr std::size_t slot_of(std::string_view n) {
  return (n.size() * 37 + static_cast<unsigned char>(chars::lower(n[0])) * 7 +
          static_cast<unsigned char>(chars::lower(n.back()))) % kSlots;
}

constexpr std::array<std::uint8_t, kSlots> make_slots() {
  std::array<std::uint8_t, kSlots> t{};  // 0 = empty (Other is never stored)
  for (std::size_t i = 1; i < kNames.size(); ++i) {
    std::size_t s = slot_of(kNames[i].name);
    while (t[s] != 0) s = (s + 1) % kSlots;
    t[s] = static_cast<std::uint8_t>(i);
  }
  return t;
}
constexpr auto kSlotTable = make_slots();

}  // namespace

HeaderId header_id(std::string_view name) {
  if (name.size() == 1) {
    char c = chars::lower(name[0]);
    return (c >= 'a' && c <= 'z') ? kCompact[static_cast<std::size_t>(c - 'a')] : HeaderId::Other;
  }
  if (name.empty() || name.size() > 19) return HeaderId::Other;
  for (std::size_t s = slot_of(name);; s = (s + 1) % kSlots) {
    std::uint8_t i = kSlotTable[s];
    if (i == 0) return HeaderId::Other;
    if (chars::iequals(kNames[i].name, name)) return kNames[i].id;
  }
}

std::string_view header_name(HeaderId id) {
  auto i = static_cast<std::size_t>(id);
  return i < kNames.size() ? kNames[i].name : std::string_view{};
}

}  // namespace callwire::sip
