#include "media/engine/transcoder.hpp"

#include <algorithm>
#include <cstring>

#include "media/engine/errc.hpp"

namespace callwire::media::engine {

namespace {
// Longest received packet decoded (RFC 7587 allows Opus packets up to 120 ms);
// longer ones are dropped rather than sizing buffers after the peer.
constexpr std::uint32_t kMaxPacketMs = 120;
}  // namespace

Result<std::unique_ptr<Transcoder>> Transcoder::create(const CodecParams& from, const CodecParams& to,
                                                       std::chrono::milliseconds to_ptime) {
  auto dec = codec::make_codec(from.name, from.clock_rate, from.channels, from.fmtp);
  if (!dec) return std::unexpected(dec.error());
  auto enc = codec::make_codec(to.name, to.clock_rate, to.channels, to.fmtp);
  if (!enc) return std::unexpected(enc.error());
  std::unique_ptr<Transcoder> t(new Transcoder());
  t->dec_ = std::move(*dec);
  t->enc_ = std::move(*enc);
  t->spf_ = t->enc_->samples_per_frame(to_ptime);
  if (t->spf_ == 0) return fail(Errc::BadArgument, "bad ptime");
  t->frame_units_ = t->enc_->timestamp_units(t->spf_);
  std::size_t in_max = std::size_t{t->dec_->sample_rate()} * kMaxPacketMs / 1000;
  std::size_t out_max = std::size_t{t->enc_->sample_rate()} * kMaxPacketMs / 1000;
  if (t->dec_->sample_rate() != t->enc_->sample_rate()) {
    auto rs = codec::Resampler::create(t->dec_->sample_rate(), t->enc_->sample_rate());
    if (!rs) return std::unexpected(rs.error());
    t->rs_ = std::make_unique<codec::Resampler>(std::move(*rs));
    out_max = t->rs_->max_output(in_max);
  }
  t->decoded_.assign(in_max, 0);
  t->fifo_.assign(out_max + t->spf_, 0);
  t->out_.assign(t->enc_->max_payload_size(t->spf_), 0);
  return t;
}

std::uint32_t Transcoder::push(std::span<const std::uint8_t> payload) {
  auto n = dec_->decode(payload, decoded_);
  if (!n || *n == 0) return 0;
  std::span<const std::int16_t> in(decoded_.data(), *n);
  std::span<std::int16_t> room(fifo_.data() + fill_, fifo_.size() - fill_);
  if (rs_) {
    auto p = rs_->process(in, room);
    // The filter delay makes a new stream's first output short: pad its front
    // with silence so that each packet still yields whole frames.
    auto expected = std::min(room.size(), in.size() * rs_->out_rate() / rs_->in_rate());
    if (fresh_ && p.produced < expected) {
      std::size_t pad = expected - p.produced;
      std::memmove(room.data() + pad, room.data(), p.produced * sizeof(std::int16_t));
      std::fill_n(room.data(), pad, std::int16_t{0});
      p.produced = expected;
    }
    fill_ += p.produced;
  } else {
    auto k = std::min(room.size(), in.size());
    std::copy_n(in.begin(), k, room.begin());
    fill_ += k;
  }
  fresh_ = false;
  return dec_->timestamp_units(*n);
}

std::span<const std::uint8_t> Transcoder::pop() {
  if (fill_ < spf_) return {};
  std::size_t n = enc_->encode(std::span<const std::int16_t>(fifo_.data(), spf_), out_);
  fill_ -= spf_;
  if (fill_ > 0) std::memmove(fifo_.data(), fifo_.data() + spf_, fill_ * sizeof(std::int16_t));
  return {out_.data(), n};
}

void Transcoder::clear() {
  fill_ = 0;
  fresh_ = true;
  if (rs_) rs_->reset();
}

}  // namespace callwire::media::engine
