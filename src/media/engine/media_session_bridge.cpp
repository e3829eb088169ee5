// MediaSession's side of a MediaBridge: sending relayed packets (SRTP,
// symmetric target, statistics and SR counts) and resuming the Player's own
// stream when the bridge lets go.
#include "media/engine/endpoint_util.hpp"
#include "media/engine/media_bridge.hpp"
#include "media/engine/media_engine.hpp"
#include "media/engine/media_session.hpp"

namespace callwire::media::engine {

namespace asio = boost::asio;
using detail::to_endpoint;

std::span<std::uint8_t> MediaSession::relay_buffer() {
  auto& tx = engine_->tx_;
  return {tx.data(), tx.size() - srtp::kMaxTrailer};
}

bool MediaSession::send_relayed(std::size_t len, std::size_t payload_len, std::uint32_t ts, Clock::time_point now) {
  if (closed_ || !engine_) return false;
  auto& tx = engine_->tx_;
  std::size_t n = len;
  if (srtp_) {
    auto p = srtp_->protect_rtp(tx, len);
    if (!p) {
      ++stats_.send_errors;
      return false;
    }
    n = *p;
  }
  boost::system::error_code ec;
  rtp_.send_to(asio::buffer(tx.data(), n), to_endpoint(latch_->target()), 0, ec);
  if (ec) {
    ++stats_.send_errors;
    ++engine_->stats_.send_errors;
    return false;
  }
  ++stats_.packets_sent;
  stats_.bytes_sent += n;
  ++engine_->stats_.packets_sent;
  ++extra_tx_.packets;
  extra_tx_.octets += static_cast<std::uint32_t>(payload_len);
  extra_tx_.sent_since_report = true;
  // Event packets repeat their start timestamp: only a newer one moves the SR anchor.
  if (!extra_tx_.relayed_last || static_cast<std::int32_t>(ts - extra_tx_.last_ts) > 0) {
    extra_tx_.last_ts = ts;
    extra_tx_.last_at = now;
  }
  extra_tx_.relayed_last = true;
  return true;
}

void MediaSession::replace_sender(const rtp::RtpSenderConfig& cfg, const rtp::RtpSenderStart& start) {
  extra_tx_.packets += sender_->packet_count();
  extra_tx_.octets += sender_->octet_count();
  if (sender_->take_sent_since_report()) extra_tx_.sent_since_report = true;
  sender_.emplace(cfg, start);
  sender_->mark_talkspurt();
}

void MediaSession::leave_bridge(const std::optional<RelayStart>& resume) {
  media_bridge_ = nullptr;
  if (closed_ || !engine_ || !sender_) return;
  // Without relayed packets the sender's own line kept running (the ticks
  // skipped its frames); otherwise it continues after the last relayed one.
  if (resume)
    replace_sender(rtp::RtpSenderConfig{cfg_.payload_type, cfg_.codec.clock_rate, cfg_.ptime},
                   {resume->ssrc, resume->seq, resume->timestamp});
  extra_tx_.relayed_last = false;
  sender_->mark_talkspurt();
  have_last_send_ = false;
}

}  // namespace callwire::media::engine
