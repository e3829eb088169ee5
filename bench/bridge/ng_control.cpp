#include "ng_control.hpp"

#include <algorithm>
#include <charconv>

namespace callwire::bench {

namespace {

// A byte string "<len>:<bytes>" at s[i]: its bytes, i moved past it.
std::optional<std::string_view> read_string(std::string_view s, std::size_t& i) {
  std::size_t len = 0;
  auto [p, ec] = std::from_chars(s.data() + i, s.data() + s.size(), len);
  if (ec != std::errc{} || p == s.data() + s.size() || *p != ':') return std::nullopt;
  const std::size_t start = static_cast<std::size_t>(p - s.data()) + 1;
  if (len > s.size() - start) return std::nullopt;
  i = start + len;
  return s.substr(start, len);
}

// Moves i past one value of any type; false when malformed (depth bounded).
bool skip(std::string_view s, std::size_t& i, int depth = 0) {
  if (i >= s.size() || depth > 32) return false;
  const char c = s[i];
  if (c == 'i') {
    const auto e = s.find('e', i);
    if (e == std::string_view::npos) return false;
    i = e + 1;
    return true;
  }
  if (c == 'l' || c == 'd') {
    ++i;
    while (i < s.size() && s[i] != 'e') {
      if (c == 'd' && !read_string(s, i)) return false;
      if (!skip(s, i, depth + 1)) return false;
    }
    if (i >= s.size()) return false;
    ++i;
    return true;
  }
  return read_string(s, i).has_value();
}

}  // namespace

std::string bencode_dict(std::vector<std::pair<std::string_view, std::string_view>> items) {
  std::sort(items.begin(), items.end());
  std::string out = "d";
  for (const auto& [k, v] : items) {
    out += std::to_string(k.size());
    out += ':';
    out += k;
    out += std::to_string(v.size());
    out += ':';
    out += v;
  }
  out += 'e';
  return out;
}

std::optional<std::string_view> bencode_find(std::string_view dict, std::string_view key) {
  if (dict.empty() || dict[0] != 'd') return std::nullopt;
  std::size_t i = 1;
  while (i < dict.size() && dict[i] != 'e') {
    auto k = read_string(dict, i);
    if (!k) return std::nullopt;
    if (*k == key && i < dict.size() && dict[i] >= '0' && dict[i] <= '9') return read_string(dict, i);
    if (!skip(dict, i)) return std::nullopt;
  }
  return std::nullopt;
}

std::optional<NgReply> parse_ng_reply(std::string_view datagram) {
  const auto sp = datagram.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  NgReply r;
  r.cookie = datagram.substr(0, sp);
  const auto dict = datagram.substr(sp + 1);
  auto result = bencode_find(dict, "result");
  if (!result) return std::nullopt;
  r.result = *result;
  r.error_reason = bencode_find(dict, "error-reason").value_or("");
  if (auto sdp = bencode_find(dict, "sdp")) {
    auto at = sdp->find("m=audio ");
    if (at != std::string_view::npos) {
      const char* b = sdp->data() + at + 8;
      std::from_chars(b, sdp->data() + sdp->size(), r.sdp_audio_port);
    }
  }
  return r;
}

}  // namespace callwire::bench
