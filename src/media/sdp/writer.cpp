#include "media/sdp/writer.hpp"

#include <charconv>

namespace callwire::media::sdp {
namespace {

int format_pt(const std::string& format) {
  int pt = -1;
  auto [p, ec] = std::from_chars(format.data(), format.data() + format.size(), pt);
  return ec == std::errc{} && p == format.data() + format.size() ? pt : -1;
}

class Writer {
 public:
  void line(char type, std::string_view value) {
    out_ += type;
    out_ += '=';
    out_ += value;
    out_ += "\r\n";
  }
  void lines(const std::vector<Line>& ls, std::string_view types) {
    for (const auto& l : ls) {
      if (types.find(l.type) != std::string_view::npos) line(l.type, l.value);
    }
  }
  void attr(std::string_view name, std::string_view value) {
    out_ += "a=";
    out_ += name;
    if (!value.empty()) {
      out_ += ':';
      out_ += value;
    }
    out_ += "\r\n";
  }
  void connection(const Connection& c) { line('c', "IN " + c.addr_type + " " + c.address + c.multicast_suffix); }
  void fmtp(const Fmtp& f) { attr("fmtp", f.parameters.empty() ? f.format : f.format + " " + f.parameters); }
  void attributes(const std::vector<Attribute>& as) {
    for (const auto& a : as) {
      out_ += "a=" + a.name;
      if (a.value) out_ += ":" + *a.value;
      out_ += "\r\n";
    }
  }
  void media(const MediaDescription& m);
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

void Writer::media(const MediaDescription& m) {
  std::string mline = m.media + " " + std::to_string(m.port);
  if (m.port_count) (mline += '/') += std::to_string(m.port_count);
  mline += " " + m.protocol;
  for (const auto& f : m.formats) mline += " " + f;
  line('m', mline);
  lines(m.info, "i");
  if (m.connection) connection(*m.connection);
  lines(m.extra, "b");
  lines(m.extra, "k");
  for (const auto& r : m.rtpmaps) {
    std::string v = std::to_string(r.payload_type) + " " + r.encoding + "/" + std::to_string(r.clock_rate);
    if (r.channels) (v += '/') += std::to_string(r.channels);
    attr("rtpmap", v);
    for (const auto& f : m.fmtps) {
      if (format_pt(f.format) == r.payload_type) fmtp(f);
    }
  }
  for (const auto& f : m.fmtps) {
    int pt = format_pt(f.format);
    if (pt < 0 || !m.rtpmap(pt)) fmtp(f);
  }
  if (m.ptime) attr("ptime", std::to_string(*m.ptime));
  if (m.maxptime) attr("maxptime", std::to_string(*m.maxptime));
  if (m.rtcp) {
    std::string v = std::to_string(m.rtcp->port);
    if (m.rtcp->connection) {
      const Connection& c = *m.rtcp->connection;
      v += " IN " + c.addr_type + " " + c.address + c.multicast_suffix;
    }
    attr("rtcp", v);
  }
  if (m.rtcp_mux) attr("rtcp-mux", "");
  for (const auto& c : m.crypto) attr("crypto", to_string(c));
  attributes(m.attributes);
  if (m.direction) attr(to_string(*m.direction), "");
}

}  // namespace

std::string to_string(const SessionDescription& sdp) {
  Writer w;
  w.line('v', "0");
  const Origin& o = sdp.origin;
  w.line('o', o.username + " " + (o.session_id.empty() ? "0" : o.session_id) + " " +
                  std::to_string(o.session_version) + " IN " + o.addr_type + " " + o.address);
  w.line('s', sdp.session_name.empty() ? "-" : sdp.session_name);
  w.lines(sdp.header, "i");
  w.lines(sdp.header, "u");
  w.lines(sdp.header, "e");
  w.lines(sdp.header, "p");
  if (sdp.connection) w.connection(*sdp.connection);
  w.lines(sdp.bandwidth, "b");
  if (sdp.timing.empty()) w.line('t', "0 0");
  for (const auto& t : sdp.timing) w.line('t', std::to_string(t.start) + " " + std::to_string(t.stop));
  w.lines(sdp.timing_extra, "r");
  w.lines(sdp.timing_extra, "z");
  w.lines(sdp.timing_extra, "k");
  w.attributes(sdp.attributes);
  if (sdp.direction) w.attr(to_string(*sdp.direction), "");
  for (const auto& m : sdp.media) w.media(m);
  return w.take();
}

}  // namespace callwire::media::sdp
