#include "media/rtp/symmetric_latch.hpp"

#include <gtest/gtest.h>

namespace callwire::media::rtp {
namespace {

using namespace std::chrono_literals;
using D = SymmetricLatch::Decision;

const auto sdp = PeerAddress::v4(192, 168, 1, 10, 4000);   // private address in the SDP
const auto nat = PeerAddress::v4(203, 0, 113, 5, 61000);   // where packets really come from
const auto nat2 = PeerAddress::v4(203, 0, 113, 5, 61002);  // after a NAT rebinding
const auto evil = PeerAddress::v4(198, 51, 100, 66, 5000);
const Clock::time_point T0 = Clock::time_point{} + 10s;

TEST(SymmetricLatch, SendsToSdpUntilFirstValidPacketThenLatches) {
  SymmetricLatch l({}, sdp);
  EXPECT_EQ(l.target(), sdp);
  EXPECT_FALSE(l.latched());
  EXPECT_EQ(l.on_packet(nat, 5, false, T0), D::Ignore);  // wrong payload type: no latch
  EXPECT_FALSE(l.latched());
  EXPECT_EQ(l.on_packet(nat, 5, true, T0), D::Latched);
  EXPECT_EQ(l.target(), nat);
  EXPECT_EQ(l.ssrc(), 5u);
  EXPECT_EQ(l.on_packet(nat, 5, true, T0 + 20ms), D::Accept);
}

TEST(SymmetricLatch, IgnoresOtherAddressesWhileLatchedSourceIsActive) {
  SymmetricLatch l({}, sdp);
  l.on_packet(nat, 5, true, T0);
  for (int i = 1; i < 100; ++i) {
    EXPECT_EQ(l.on_packet(evil, 9, true, T0 + 20ms * i), D::Ignore);
    EXPECT_EQ(l.on_packet(nat, 5, true, T0 + 20ms * i), D::Accept);
  }
  EXPECT_EQ(l.target(), nat);
}

TEST(SymmetricLatch, RelatchesAfterSilenceAndConfirmation) {
  SymmetricLatch l({1000ms, 2, std::nullopt}, sdp);
  l.on_packet(nat, 5, true, T0);
  EXPECT_EQ(l.on_packet(nat2, 5, true, T0 + 999ms), D::Ignore);   // old one not silent long enough
  EXPECT_EQ(l.on_packet(nat2, 5, true, T0 + 1000ms), D::Ignore);  // first of two
  EXPECT_EQ(l.on_packet(nat2, 5, true, T0 + 1020ms), D::Relatched);
  EXPECT_EQ(l.target(), nat2);
  EXPECT_EQ(l.on_packet(nat, 5, true, T0 + 1040ms), D::Ignore);    // the old address is now the stranger
}

TEST(SymmetricLatch, CandidateMustBeConsecutiveAndOldSourceInterrupts) {
  SymmetricLatch l({500ms, 3, std::nullopt}, sdp);
  l.on_packet(nat, 5, true, T0);
  auto t = T0 + 600ms;
  EXPECT_EQ(l.on_packet(nat2, 6, true, t), D::Ignore);
  EXPECT_EQ(l.on_packet(evil, 7, true, t), D::Ignore);   // another address resets the count
  EXPECT_EQ(l.on_packet(nat2, 6, true, t), D::Ignore);
  EXPECT_EQ(l.on_packet(nat2, 6, true, t), D::Ignore);
  EXPECT_EQ(l.on_packet(nat, 5, true, t), D::Accept);    // old source is back
  EXPECT_EQ(l.on_packet(nat2, 6, true, t + 10ms), D::Ignore);
  EXPECT_EQ(l.target(), nat);
  t += 600ms;
  EXPECT_EQ(l.on_packet(nat2, 6, true, t), D::Ignore);
  EXPECT_EQ(l.on_packet(nat2, 6, true, t), D::Ignore);
  EXPECT_EQ(l.on_packet(nat2, 6, true, t), D::Relatched);
  EXPECT_EQ(l.ssrc(), 6u);
}

TEST(SymmetricLatch, ExpectedSsrcAndReset) {
  SymmetricLatch l({1000ms, 2, 77u}, sdp);
  EXPECT_EQ(l.on_packet(evil, 1, true, T0), D::Ignore);
  EXPECT_EQ(l.on_packet(nat, 77, true, T0), D::Latched);
  l.reset(PeerAddress::v4(10, 0, 0, 1, 5000));
  EXPECT_FALSE(l.latched());
  EXPECT_EQ(l.target(), PeerAddress::v4(10, 0, 0, 1, 5000));
  EXPECT_EQ(l.on_packet(nat2, 77, true, T0 + 1ms), D::Latched);
}

}  // namespace
}  // namespace callwire::media::rtp
