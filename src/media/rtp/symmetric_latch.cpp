#include "media/rtp/symmetric_latch.hpp"

namespace callwire::media::rtp {

SymmetricLatch::SymmetricLatch(const LatchConfig& cfg, const PeerAddress& signalled)
    : cfg_(cfg), target_(signalled) {}

void SymmetricLatch::reset(const PeerAddress& signalled) {
  target_ = signalled;
  latched_ = false;
  candidate_count_ = 0;
}

SymmetricLatch::Decision SymmetricLatch::on_packet(const PeerAddress& from, std::uint32_t ssrc, bool acceptable,
                                                   Clock::time_point now) {
  if (!acceptable) return Decision::Ignore;
  if (cfg_.expected_ssrc && ssrc != *cfg_.expected_ssrc) return Decision::Ignore;
  if (!latched_) {
    latched_ = true;
    target_ = from;
    ssrc_ = ssrc;
    last_heard_ = now;
    candidate_count_ = 0;
    return Decision::Latched;
  }
  if (from == target_) {
    last_heard_ = now;
    ssrc_ = ssrc;
    candidate_count_ = 0;
    return Decision::Accept;
  }
  if (now - last_heard_ < cfg_.silence) {
    candidate_count_ = 0;
    return Decision::Ignore;
  }
  if (candidate_count_ == 0 || !(candidate_ == from)) {
    candidate_ = from;
    candidate_count_ = 0;
  }
  if (++candidate_count_ < cfg_.confirm) return Decision::Ignore;
  target_ = from;
  ssrc_ = ssrc;
  last_heard_ = now;
  candidate_count_ = 0;
  return Decision::Relatched;
}

}  // namespace callwire::media::rtp
