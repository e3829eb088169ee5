#include "sip_text.hpp"

#include <cctype>
#include <charconv>

namespace callwire::bench {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
  return v;
}

// Calls f(name, value, whole_line) for each header line until the blank line.
template <typename F>
void for_each_header(std::string_view text, F&& f) {
  auto pos = text.find("\r\n");
  while (pos != std::string_view::npos) {
    pos += 2;
    auto end = text.find("\r\n", pos);
    if (end == std::string_view::npos || end == pos) return;
    std::string_view line = text.substr(pos, end - pos);
    auto colon = line.find(':');
    if (colon != std::string_view::npos && f(trim(line.substr(0, colon)), trim(line.substr(colon + 1)), line)) return;
    pos = end;
  }
}

std::string_view sdp_line_value(std::string_view body, std::string_view prefix) {
  auto at = body.find(prefix);
  if (at == std::string_view::npos) return {};
  auto v = body.substr(at + prefix.size());
  return v.substr(0, v.find_first_of("\r\n"));
}

std::string common_headers(const Local& l, std::size_t index, std::string_view branch) {
  std::string s;
  s.reserve(512);
  s += "Via: SIP/2.0/UDP " + l.ip + ":" + std::to_string(l.sip_port) + ";branch=" + std::string(branch) + ";rport\r\n";
  s += "Max-Forwards: 70\r\n";
  s += "From: <sip:load@" + l.ip + ">;tag=ml" + std::to_string(index) + "\r\n";
  return s;
}

}  // namespace

std::string_view header(std::string_view text, std::string_view name, std::string_view compact) {
  std::string_view found;
  for_each_header(text, [&](std::string_view n, std::string_view v, std::string_view) {
    if (iequals(n, name) || (!compact.empty() && iequals(n, compact))) {
      found = v;
      return true;
    }
    return false;
  });
  return found;
}

std::optional<Incoming> parse_incoming(std::string_view text) {
  Incoming in;
  in.text = text;
  auto first_end = text.find("\r\n");
  if (first_end == std::string_view::npos) return std::nullopt;
  std::string_view first = text.substr(0, first_end);
  auto cseq = header(text, "CSeq");
  auto space = cseq.find(' ');
  std::string_view cseq_method = space == std::string_view::npos ? std::string_view{} : trim(cseq.substr(space + 1));
  if (first.starts_with("SIP/2.0 ")) {
    in.is_response = true;
    std::from_chars(first.data() + 8, first.data() + first.size(), in.status);
    in.method = cseq_method;
  } else {
    in.method = first.substr(0, first.find(' '));
  }
  in.call_id = header(text, "Call-ID", "i");
  in.to = header(text, "To", "t");
  auto contact = header(text, "Contact", "m");
  if (auto lt = contact.find('<'); lt != std::string_view::npos) {
    contact.remove_prefix(lt + 1);
    contact = contact.substr(0, contact.find('>'));
  } else {
    contact = contact.substr(0, contact.find(';'));
  }
  in.contact = contact;
  if (auto body_at = text.find("\r\n\r\n"); body_at != std::string_view::npos) {
    auto m = sdp_line_value(text.substr(body_at + 4), "m=audio ");
    std::from_chars(m.data(), m.data() + m.size(), in.sdp_audio_port);
  }
  if (in.call_id.empty() || in.method.empty()) return std::nullopt;
  return in;
}

std::optional<std::size_t> call_index(std::string_view call_id, std::string_view run_id) {
  if (!call_id.starts_with("ml-")) return std::nullopt;
  call_id.remove_prefix(3);
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(call_id.data(), call_id.data() + call_id.size(), index);
  if (ec != std::errc()) return std::nullopt;
  std::string_view rest(end, static_cast<std::size_t>(call_id.data() + call_id.size() - end));
  if (!rest.starts_with("-") || !rest.substr(1).starts_with(run_id)) return std::nullopt;
  return index;
}

std::string call_id(const Local& l, std::size_t index) {
  return "ml-" + std::to_string(index) + "-" + l.run_id + "@" + l.ip;
}

std::string invite(const Local& l, std::size_t index, std::string_view branch, std::uint16_t rtp_port) {
  const std::string ruri = "sip:test@" + l.domain;
  std::string sdp = "v=0\r\no=load " + std::to_string(index) + " 1 IN IP4 " + l.ip + "\r\ns=-\r\nc=IN IP4 " + l.ip +
                    "\r\nt=0 0\r\nm=audio " + std::to_string(rtp_port) +
                    " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                    "a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";
  std::string s = "INVITE " + ruri + " SIP/2.0\r\n" + common_headers(l, index, branch);
  s += "To: <" + ruri + ">\r\nCall-ID: " + call_id(l, index) + "\r\nCSeq: 1 INVITE\r\n";
  s += "Contact: <sip:load@" + l.ip + ":" + std::to_string(l.sip_port) + ">\r\n";
  s += "User-Agent: callwire-media-load\r\nContent-Type: application/sdp\r\nContent-Length: " +
       std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
  return s;
}

std::string ack(const Local& l, std::size_t index, std::string_view ruri, std::string_view branch, std::string_view to) {
  std::string s = "ACK " + std::string(ruri) + " SIP/2.0\r\n" + common_headers(l, index, branch);
  s += "To: " + std::string(to) + "\r\nCall-ID: " + call_id(l, index) + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
  return s;
}

std::string bye(const Local& l, std::size_t index, std::string_view ruri, std::string_view branch, std::string_view to) {
  std::string s = "BYE " + std::string(ruri) + " SIP/2.0\r\n" + common_headers(l, index, branch);
  s += "To: " + std::string(to) + "\r\nCall-ID: " + call_id(l, index) + "\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
  return s;
}

std::string ok_response(std::string_view request) {
  std::string s = "SIP/2.0 200 OK\r\n";
  for_each_header(request, [&](std::string_view n, std::string_view, std::string_view line) {
    if (iequals(n, "Via") || iequals(n, "v") || iequals(n, "From") || iequals(n, "f") || iequals(n, "To") ||
        iequals(n, "t") || iequals(n, "Call-ID") || iequals(n, "i") || iequals(n, "CSeq")) {
      s.append(line).append("\r\n");
    }
    return false;
  });
  s += "Content-Length: 0\r\n\r\n";
  return s;
}

}  // namespace callwire::bench
