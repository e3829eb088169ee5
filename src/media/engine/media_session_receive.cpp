// The receive side of MediaSession: reading, latching, statistics and sinks.
#include <algorithm>
#include <array>

#include "media/engine/endpoint_util.hpp"
#include "media/engine/media_bridge.hpp"
#include "media/engine/media_engine.hpp"
#include "media/engine/media_session.hpp"
#include "media/rtp/telephone_event.hpp"

namespace callwire::media::engine {

namespace asio = boost::asio;
using detail::kCrossSourceWindow;
using detail::to_peer;

// ---------------------------------------------------------------- receiving

// RTP, the hot path of a bridged call (about 50 packets a second per leg),
// is read by async_receive_from rather than async_wait + reads: asio starts
// a wait with an epoll_ctl(MOD) every time, while a receive is first tried
// at once (speculatively) and only queued when nothing is there, with no
// epoll_ctl. So a packet costs one recvfrom, and a wake-up one more that
// finds the socket empty. Each completion handles one datagram; the next one
// already queued is read when the receive is started again, and its handler
// waits its turn behind the other ready sockets, so one flooded socket
// cannot starve the rest. The handler owns the session, handed on from
// receive to receive without a reference count change per packet.
void MediaSession::arm_rtp() {
  if (!rtp_rx_) rtp_rx_ = std::make_unique<std::array<std::uint8_t, 2048>>();
  receive_rtp(shared_from_this());
}

void MediaSession::receive_rtp(std::shared_ptr<MediaSession> self) {
  rtp_.async_receive_from(
      asio::buffer(*rtp_rx_), rtp_from_,
      [self = std::move(self)](const boost::system::error_code& ec, std::size_t n) mutable {
        MediaSession& s = *self;
        if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor || s.closed_ || !s.engine_)
          return;
        if (ec) {  // a socket error: wait for the socket before reading again, never spin on it
          s.rtp_.async_wait(asio::socket_base::wait_read,
                            [self = std::move(self)](const boost::system::error_code& e) mutable {
                              if (e || self->closed_ || !self->engine_) return;
                              auto& session = *self;
                              session.receive_rtp(std::move(self));
                            });
          return;
        }
        s.on_datagram(*s.rtp_rx_, n, s.rtp_from_, false);
        if (!s.closed_) s.receive_rtp(std::move(self));
      });
}

void MediaSession::arm_rtcp() {
  rtcp_.async_wait(asio::socket_base::wait_read, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->closed_ || !self->engine_) return;
    self->drain(self->rtcp_, true);
    if (!self->closed_) self->arm_rtcp();
  });
}

void MediaSession::drain(asio::ip::udp::socket& s, bool rtcp_socket) {
  // Bounded so one flooded socket cannot starve the tick.
  for (int i = 0; i < 32 && !closed_; ++i) {
    Endpoint from;
    boost::system::error_code ec;
    auto& rx = engine_->rx_;
    std::size_t n = s.receive_from(asio::buffer(rx), from, 0, ec);
    if (ec) return;
    on_datagram(rx, n, from, rtcp_socket);
  }
}

void MediaSession::on_datagram(std::span<std::uint8_t> buf, std::size_t n, const Endpoint& from, bool rtcp_socket) {
  if (srtp_ && !unprotect(buf, n, rtcp_socket || (cfg_.rtcp_mux && rtp::looks_like_rtcp({buf.data(), n})))) return;
  std::span<const std::uint8_t> bytes(buf.data(), n);
  auto now = Clock::now();
  if (rtcp_socket)
    on_rtcp(bytes, from, now);
  else
    on_rtp(bytes, from, now);
}

void MediaSession::on_rtcp(std::span<const std::uint8_t> bytes, const Endpoint& from, Clock::time_point now) {
  auto info = rtp::parse_rtcp(bytes);
  if (!info) {
    ++stats_.malformed;
    return;
  }
  ++stats_.rtcp_received;
  if (!cfg_.rtcp_mux) rtcp_from_ = from;  // symmetric RTCP
  if (info->has_sender_info && receiver_ && info->sender.ssrc == receiver_->ssrc())
    receiver_->on_sender_report(info->sender.ntp, now);
}

void MediaSession::on_rtp(std::span<const std::uint8_t> bytes, const Endpoint& from, Clock::time_point now) {
  if (cfg_.rtcp_mux && rtp::looks_like_rtcp(bytes)) return on_rtcp(bytes, from, now);
  if (!cfg_.receive) return;
  auto v = rtp::parse_rtp(bytes);
  if (!v) {
    ++stats_.malformed;
    return;
  }
  bool is_te = cfg_.telephone_event_pt && v->payload_type == *cfg_.telephone_event_pt;
  bool acceptable = is_te || v->payload_type == cfg_.payload_type;
  auto d = latch_->on_packet(to_peer(from), v->ssrc, acceptable, now);
  if (d == rtp::SymmetricLatch::Decision::Ignore) {
    ++stats_.ignored;
    return;
  }
  if (!acceptable) {
    ++stats_.malformed;
    return;
  }
  receiver_->on_packet(*v, now);
  ++stats_.packets_received;
  stats_.bytes_received += bytes.size();
  ++engine_->stats_.packets_received;
  // Relayed first: the sinks below may run handlers that end the bridge.
  if (media_bridge_) media_bridge_->relay(*this, *v, is_te, now);
  if (is_te) {
    auto e = rtp::parse_telephone_event(v->payload);
    if (!e) return;
    if (auto digit = dtmf_rx_.on_event(v->ssrc, v->timestamp, *e)) {
      rfc4733_seen_ = true;
      emit_digit(digit->digit, DigitSource::Rfc4733);
    }
    return;
  }
  if (!needs_pcm()) {
    have_next_ts_ = false;
    return;
  }
  auto& pcm = engine_->pcm_;
  auto n = codec_->decode(v->payload, pcm);
  if (!n) {
    ++stats_.malformed;
    return;
  }
  on_pcm(std::span<const std::int16_t>(pcm.data(), *n), v->timestamp);
}

void MediaSession::on_pcm(std::span<const std::int16_t> pcm, std::uint32_t ts) {
  std::size_t lost = 0;
  if (have_next_ts_) {
    auto delta = static_cast<std::int32_t>(ts - next_rx_ts_);
    if (delta < 0) return;  // duplicate or late: already accounted for
    if (delta > 0) {        // lost frames: keep recordings and detectors in time
      lost = static_cast<std::size_t>(delta) * codec_->sample_rate() / codec_->clock_rate();
      if (detector_) detector_->skip(lost);
      if (recorder_) {
        if (auto end = recorder_->write_gap(lost)) return finish_recording(*end);
      }
    }
  }
  have_next_ts_ = true;
  next_rx_ts_ = ts + codec_->timestamp_units(pcm.size());
  if (pcm_tap_) {
    auto tap = pcm_tap_;  // the tap may remove itself
    tap(pcm, codec_->sample_rate(), lost);
  }
  if (detector_ && digit_handler_ && in_band_ && !rfc4733_seen_) {
    if (to8k_) {
      std::array<std::int16_t, 2048> buf;
      auto p = to8k_->process(pcm.first(std::min<std::size_t>(pcm.size(), 4096)), buf);
      detector_->process(std::span<const std::int16_t>(buf.data(), p.produced));
    } else {
      detector_->process(pcm);
    }
  }
  if (recorder_) {
    if (auto end = recorder_->write(pcm)) finish_recording(*end);
  }
}

// ---------------------------------------------------------------- sinks

void MediaSession::on_digit(DigitHandler handler, bool in_band) {
  digit_handler_ = std::move(handler);
  in_band_ = in_band && digit_handler_;
  if (!in_band_ || detector_) return;
  auto det = codec::DtmfDetector::create([this](char d) { emit_digit(d, DigitSource::InBand); });
  if (!det) {
    in_band_ = false;
    return;
  }
  detector_ = std::make_unique<codec::DtmfDetector>(std::move(*det));
  if (codec_ && codec_->sample_rate() != 8000) {
    auto rs = codec::Resampler::create(codec_->sample_rate(), 8000, 0);
    if (rs) to8k_ = std::make_unique<codec::Resampler>(std::move(*rs));
  }
}

void MediaSession::emit_digit(char d, DigitSource src) {
  auto now = Clock::now();
  if (d == last_digit_ && src != last_digit_source_ && now - last_digit_at_ < kCrossSourceWindow) return;
  last_digit_ = d;
  last_digit_source_ = src;
  last_digit_at_ = now;
  ++stats_.digits;
  if (digit_handler_) {
    auto h = digit_handler_;  // the handler may replace itself
    h(d, src);
  }
}

Status MediaSession::start_recording(const RecorderConfig& cfg, RecordingDone done) {
  if (auto r = ready(); !r) return r;
  if (recorder_) return fail(Errc::Busy, "already recording");
  auto c = cfg;
  c.input_rate = codec_->sample_rate();
  auto rec = Recorder::open(c);
  if (!rec) return std::unexpected(rec.error());
  recorder_ = std::move(*rec);
  recording_done_ = std::move(done);
  have_next_ts_ = false;
  return {};
}

void MediaSession::stop_recording() {
  if (recorder_) finish_recording(RecordEnd::Stopped);
}

void MediaSession::finish_recording(RecordEnd why) {
  auto rec = std::move(recorder_);
  auto done = std::move(recording_done_);
  recording_done_ = nullptr;
  auto info = rec->finish(why);
  if (done) done(std::move(info));
}

}  // namespace callwire::media::engine
