#include "media/sdp/parser.hpp"

#include <string>

#include "media/sdp/attribute_parser.hpp"
#include "media/sdp/errc.hpp"
#include "media/sdp/parse_util.hpp"

namespace callwire::media::sdp {
namespace {

using namespace detail;

bool is_rtp_protocol(std::string_view proto) {
  return proto.starts_with("RTP/") || proto.find("/RTP/") != std::string_view::npos;
}

class Parser {
 public:
  explicit Parser(const Limits& limits) : limits_(limits) {}

  Result<SessionDescription> run(std::string_view text) {
    if (text.size() > limits_.max_size) {
      return fail(Errc::LimitExceeded, "SDP body is " + std::to_string(text.size()) + " bytes, limit " +
                                           std::to_string(limits_.max_size));
    }
    std::size_t line_no = 0, lines = 0;
    while (!text.empty()) {
      auto nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
      ++line_no;
      // CRLF or bare LF, and the trailing blanks some PBXs leave.
      while (!line.empty() && (line.back() == '\r' || is_space(line.back()))) line.remove_suffix(1);
      if (line.empty()) continue;
      if (++lines > limits_.max_lines) {
        return fail(Errc::LimitExceeded, "SDP has more than " + std::to_string(limits_.max_lines) + " lines");
      }
      type_ = 0;  // not known until the line's syntax is
      if (line.size() > limits_.max_line_length) {
        return error(Errc::LimitExceeded, line_no, "line longer than " + std::to_string(limits_.max_line_length));
      }
      if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
        return error(Errc::Malformed, line_no, "expected <letter>=<value>");
      }
      for (char c : line) {
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
          return error(Errc::Malformed, line_no, "control character");
        }
      }
      type_ = line[0];
      if (auto why = apply(type_, line.substr(2)); !why.empty()) return error(kind_, line_no, why);
    }
    if (!seen_v_) return fail(Errc::Malformed, "SDP is empty or does not start with v=0");
    if (!seen_o_) return fail(Errc::Malformed, "SDP has no o= line");
    return std::move(sdp_);
  }

 private:
  Result<SessionDescription> error(Errc e, std::size_t line_no, const std::string& why) const {
    std::string where = "SDP line " + std::to_string(line_no);
    if (type_) where += " (" + std::string(1, type_) + "=)";
    return fail(e, where + ": " + why);
  }

  // A limit, not a syntax error: the caller reports LimitExceeded.
  std::string limit(std::string what) {
    kind_ = Errc::LimitExceeded;
    return what;
  }

  std::string apply(char type, std::string_view v) {
    if (!seen_v_) {
      if (type != 'v') return "SDP must start with v=0";
      if (v != "0") return "unsupported SDP version";
      seen_v_ = true;
      return {};
    }
    MediaDescription* m = sdp_.media.empty() ? nullptr : &sdp_.media.back();
    switch (type) {
      case 'v': return "second v= line";
      case 'o': return m || seen_o_ ? "o= must appear once, before m=" : parse_origin(v);
      case 's':
        if (m || seen_s_) return "s= must appear once, before m=";
        seen_s_ = true;
        sdp_.session_name = v;
        return {};
      case 'i': (m ? m->info : sdp_.header).push_back({type, std::string(v)}); return {};
      case 'u': case 'e': case 'p':
        if (m) return "only allowed at session level";
        sdp_.header.push_back({type, std::string(v)});
        return {};
      case 'c': {
        auto c = parse_connection(v);
        if (!c) return "expected IN IP4|IP6 <address>";
        (m ? m->connection : sdp_.connection) = std::move(*c);
        return {};
      }
      case 'b': (m ? m->extra : sdp_.bandwidth).push_back({type, std::string(v)}); return {};
      case 't': return m ? "t= after m=" : parse_timing(v);
      case 'r': case 'z':
        if (m) return "only allowed at session level";
        sdp_.timing_extra.push_back({type, std::string(v)});
        return {};
      case 'k': (m ? m->extra : sdp_.timing_extra).push_back({type, std::string(v)}); return {};
      case 'a': return m ? apply_media_attribute(v, *m) : apply_session_attribute(v, sdp_);
      case 'm': return parse_media(v);
      default: return {};  // unknown line types are ignored
    }
  }

  std::string parse_origin(std::string_view v) {
    seen_o_ = true;
    Origin& o = sdp_.origin;
    o.username = next_field(v);
    o.session_id = next_field(v);
    auto version = next_field(v);
    std::string_view net = next_field(v), type = next_field(v), addr = next_field(v);
    if (addr.empty() || !next_field(v).empty()) return "expected 6 fields";
    if (o.session_id.size() > 64) return "session id too long";
    for (char c : o.session_id) {
      if (c < '0' || c > '9') return "session id must be numeric";
    }
    auto ver = parse_uint<std::uint64_t>(version, UINT64_MAX);
    if (!ver) return "session version must be a number";
    o.session_version = *ver;
    std::string conn = std::string(net) + " " + std::string(type) + " " + std::string(addr);
    auto c = parse_connection(conn);
    if (!c) return "expected IN IP4|IP6 <address>";
    o.addr_type = c->addr_type;
    o.address = std::string(addr);
    return {};
  }

  std::string parse_timing(std::string_view v) {
    auto start = parse_uint<std::uint64_t>(next_field(v), UINT64_MAX);
    auto stop = parse_uint<std::uint64_t>(next_field(v), UINT64_MAX);
    if (!start || !stop || !next_field(v).empty()) return "expected <start> <stop>";
    sdp_.timing.push_back({*start, *stop});
    return {};
  }

  std::string parse_media(std::string_view v) {
    if (sdp_.media.size() >= limits_.max_media) {
      return limit("more than " + std::to_string(limits_.max_media) + " m= lines");
    }
    MediaDescription m;
    m.media = next_field(v);
    std::string_view port = next_field(v);
    m.protocol = next_field(v);
    if (m.protocol.empty()) return "expected <media> <port> <proto> <fmt>...";
    auto slash = port.find('/');
    auto p = parse_uint<std::uint16_t>(port.substr(0, slash), 65535);
    if (!p) return "port must be 0-65535";
    m.port = *p;
    if (slash != std::string_view::npos) {
      auto count = parse_uint<std::uint16_t>(port.substr(slash + 1), 65535);
      if (!count || *count == 0) return "port count must be a positive number";
      m.port_count = *count;
    }
    bool rtp = is_rtp_protocol(m.protocol);
    for (auto f = next_field(v); !f.empty(); f = next_field(v)) {
      if (m.formats.size() >= limits_.max_formats) {
        return limit("more than " + std::to_string(limits_.max_formats) + " formats on one m= line");
      }
      if (!rtp) {
        m.formats.emplace_back(f);
        continue;
      }
      auto pt = parse_uint<int>(f, 127);
      if (!pt) return "RTP payload type '" + std::string(f) + "' is not 0-127";
      m.formats.push_back(std::to_string(*pt));  // "08" and "8" are the same payload type
    }
    // A rejected stream (port 0) without formats is tolerated; an active one is not.
    if (m.formats.empty() && m.port != 0) return "m= line has no formats";
    sdp_.media.push_back(std::move(m));
    return {};
  }

  const Limits& limits_;
  SessionDescription sdp_;
  Errc kind_ = Errc::Malformed;
  char type_ = 0;
  bool seen_v_ = false, seen_o_ = false, seen_s_ = false;
};

}  // namespace

Result<SessionDescription> parse(std::string_view text, const Limits& limits) {
  return Parser(limits).run(text);
}

}  // namespace callwire::media::sdp
