#include "sip/message/header_id.hpp"

#include <array>
#include <cstring>

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

// Buckets by (length, lowercased first letter): nearly every bucket holds one
// name, so a lookup is two table reads and one branch-free case-folding
// compare. No hashing loops, no strcasecmp.
constexpr std::size_t kMaxLen = 19;  // "Authentication-Info", "Request-Disposition"

struct Buckets {
  std::uint8_t head[kMaxLen + 1][26]{};  // 0 = empty (Other is never stored)
  std::uint8_t next[kNames.size()]{};
};

constexpr Buckets make_buckets() {
  Buckets b{};
  for (std::size_t i = kNames.size() - 1; i >= 1; --i) {
    std::string_view n = kNames[i].name;
    auto c = static_cast<std::size_t>(chars::lower(n[0]) - 'a');
    b.next[i] = b.head[n.size()][c];
    b.head[n.size()][c] = static_cast<std::uint8_t>(i);
  }
  return b;
}
constexpr Buckets kBuckets = make_buckets();

constexpr std::array<char, 256> make_lower() {
  std::array<char, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = chars::lower(static_cast<char>(c));
  return t;
}
constexpr std::array<char, 256> kLower = make_lower();

// Canonical names lowercased and zero-padded, with a mask that has 0x20 at
// their letters only: (bytes | mask) == lowered folds case at letters and
// compares every other byte exactly. (Only ASCII letters OR 0x20 onto a
// lowercase letter, so nothing else can match.)
constexpr std::size_t kSlot = 24;

struct LowerNames {
  char name[kNames.size()][kSlot]{};
  char fold[kNames.size()][kSlot]{};
};

constexpr LowerNames make_lower_names() {
  LowerNames l{};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    for (std::size_t k = 0; k < kNames[i].name.size(); ++k) {
      char c = kNames[i].name[k];
      l.name[i][k] = chars::lower(c);
      l.fold[i][k] = chars::is_alpha(c) ? '\x20' : '\0';
    }
  }
  return l;
}
constexpr LowerNames kLowerNames = make_lower_names();

inline std::uint64_t load8(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Keeps the first n (< 8) bytes of a little-endian load; the bytes after the
// name then compare against the canonical name's zero padding.
inline std::uint64_t low_bytes(std::uint64_t v, std::size_t n) { return v & ((std::uint64_t{1} << (8 * n)) - 1); }

// `name` has the length of canonical name `i`; 8 bytes at a time, reading
// up to 7 bytes past the name (see header_id_padded).
inline bool same_name(const char* name, std::size_t n, std::size_t i) {
  const char* canon = kLowerNames.name[i];
  const char* fold = kLowerNames.fold[i];
  std::size_t k = 0;
  for (; k + 8 <= n; k += 8)
    if ((load8(name + k) | load8(fold + k)) != load8(canon + k)) return false;
  if (k == n) return true;
  return (low_bytes(load8(name + k), n - k) | load8(fold + k)) == load8(canon + k);
}

inline HeaderId lookup(const char* name, std::size_t n) {
  if (n == 0 || n > kMaxLen) return HeaderId::Other;
  char c = kLower[static_cast<unsigned char>(name[0])];
  if (c < 'a' || c > 'z') return HeaderId::Other;
  if (n == 1) return kCompact[static_cast<std::size_t>(c - 'a')];
  for (std::uint8_t i = kBuckets.head[n][c - 'a']; i != 0; i = kBuckets.next[i])
    if (same_name(name, n, i)) return kNames[i].id;
  return HeaderId::Other;
}

}  // namespace

HeaderId header_id(std::string_view name) {
  if (name.empty() || name.size() > kMaxLen) return HeaderId::Other;
  char padded[kSlot + 8] = {};  // room for same_name's reads past the name
  std::memcpy(padded, name.data(), name.size());
  return lookup(padded, name.size());
}

HeaderId header_id_padded(const char* name, std::size_t n) { return lookup(name, n); }

std::string_view header_name(HeaderId id) {
  auto i = static_cast<std::size_t>(id);
  return i < kNames.size() ? kNames[i].name : std::string_view{};
}

}  // namespace callwire::sip
