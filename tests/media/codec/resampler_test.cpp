#include "media/codec/resampler.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "media/codec/errc.hpp"
#include "media/codec/signal.hpp"

namespace callwire::media::codec {
namespace {

struct RateCase {
  std::uint32_t in, out;
};

class ResamplerRates : public ::testing::TestWithParam<RateCase> {};

TEST_P(ResamplerRates, StreamingKeepsLengthAndTone) {
  const auto [in_rate, out_rate] = GetParam();
  auto r = Resampler::create(in_rate, out_rate);
  ASSERT_TRUE(r) << r.error().what();
  const auto input = test::sine(600, in_rate, in_rate);  // one second of 600 Hz
  std::vector<std::int16_t> out;
  // Feed in 10 ms chunks into a fixed 20 ms output buffer, as a call would.
  std::vector<std::int16_t> buf(out_rate / 50);
  const std::size_t chunk = in_rate / 100;
  for (std::size_t at = 0; at < input.size();) {
    auto in = std::span(input).subspan(at, std::min(chunk, input.size() - at));
    while (!in.empty()) {
      const auto p = r->process(in, buf);
      ASSERT_TRUE(p.consumed > 0 || p.produced > 0);
      in = in.subspan(p.consumed);
      at += p.consumed;
      out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(p.produced));
    }
  }
  const std::size_t tail = r->flush(buf);
  out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(tail));
  EXPECT_NEAR(static_cast<double>(out.size()), out_rate, 2) << in_rate << "->" << out_rate;
  const auto middle = std::span(out).subspan(out.size() / 4, out.size() / 2);
  EXPECT_NEAR(test::tone_level(middle, 600, out_rate), 8000, 800);
  EXPECT_EQ(r->in_rate(), in_rate);
  EXPECT_EQ(r->out_rate(), out_rate);
}

INSTANTIATE_TEST_SUITE_P(Rates, ResamplerRates,
                         ::testing::Values(RateCase{22050, 8000}, RateCase{8000, 16000}, RateCase{48000, 8000},
                                           RateCase{16000, 48000}, RateCase{22050, 48000}, RateCase{8000, 8000}));

TEST(Resampler, WholeBufferIsAlignedWithInput) {
  // An impulse at 0.5 s comes out at 0.5 s: the filter delay is compensated.
  std::vector<std::int16_t> in(22050);
  in[11025] = 20000;
  auto out = resample(in, 22050, 8000, 5);
  ASSERT_TRUE(out);
  EXPECT_NEAR(static_cast<double>(out->size()), 8000, 2);
  std::size_t peak = 0;
  for (std::size_t i = 0; i < out->size(); ++i)
    if (std::abs((*out)[i]) > std::abs((*out)[peak])) peak = i;
  EXPECT_NEAR(static_cast<double>(peak), 4000, 2);
}

TEST(Resampler, QualityAndRatesChecked) {
  auto r = Resampler::create(8000, 16000, 42);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->quality(), 10);
  auto bad = Resampler::create(0, 8000);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::BadSampleRate);
  EXPECT_GE(r->max_output(160), 320u);
}

TEST(Resampler, ResetStartsANewStream) {
  auto r = Resampler::create(8000, 16000);
  ASSERT_TRUE(r);
  const auto input = test::sine(500, 8000, 800);
  std::vector<std::int16_t> a(2000), b(2000);
  const auto pa = r->process(input, a);
  r->reset();
  const auto pb = r->process(input, b);
  ASSERT_EQ(pa.produced, pb.produced);
  EXPECT_TRUE(std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(pa.produced), b.begin()));
}

}  // namespace
}  // namespace callwire::media::codec
