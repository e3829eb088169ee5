#include "media/tts/ssml.hpp"

#include <gtest/gtest.h>

namespace callwire::media::tts {
namespace {

using std::chrono::milliseconds;

TEST(Ssml, BreakLengths) {
  std::vector<std::string> w;
  EXPECT_EQ(break_length(Piece::pause("500ms"), w), milliseconds(500));
  EXPECT_EQ(break_length(Piece::pause("2s"), w), milliseconds(2000));
  EXPECT_EQ(break_length(Piece::pause("1.5s"), w), milliseconds(1500));
  EXPECT_EQ(break_length(Piece::pause("60s"), w), milliseconds(10000));
  EXPECT_EQ(break_length(Piece::pause("", "strong"), w), milliseconds(750));
  EXPECT_EQ(break_length(Piece::pause("", "none"), w), milliseconds(0));
  EXPECT_EQ(break_length(Piece::pause(""), w), milliseconds(400));
  EXPECT_EQ(break_length(Piece::pause("300ms", "x-strong"), w), milliseconds(300));
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(break_length(Piece::pause("soon"), w), milliseconds(400));
  EXPECT_EQ(break_length(Piece::pause("-5s"), w), milliseconds(400));
  EXPECT_EQ(break_length(Piece::pause("", "loud"), w), milliseconds(400));
  EXPECT_EQ(w.size(), 3u);
}

TEST(Ssml, ProsodyAndEmphasis) {
  std::vector<std::string> w;
  Piece p = Piece::plain("x");
  const Prosody base = prosody_for(p, w);
  EXPECT_EQ(base.rate_wpm, 175);
  EXPECT_EQ(base.pitch, 50);
  EXPECT_EQ(base.volume, 100);

  p.rate = "slow";
  EXPECT_EQ(prosody_for(p, w).rate_wpm, 140);
  p.rate = "200%";
  EXPECT_EQ(prosody_for(p, w).rate_wpm, 350);
  p.rate = "x-fast";
  p.pitch = "+20%";
  p.volume = "+6dB";
  const Prosody fast = prosody_for(p, w);
  EXPECT_EQ(fast.rate_wpm, 262);
  EXPECT_EQ(fast.pitch, 60);
  EXPECT_NEAR(fast.volume, 199, 1);
  p = Piece::plain("x");
  p.volume = "silent";
  p.pitch = "x-low";
  EXPECT_EQ(prosody_for(p, w).volume, 0);
  EXPECT_EQ(prosody_for(p, w).pitch, 20);
  EXPECT_TRUE(w.empty());

  p = Piece::plain("x");
  p.emphasis = "strong";
  const Prosody strong = prosody_for(p, w);
  EXPECT_LT(strong.rate_wpm, 175);
  EXPECT_GT(strong.volume, 100);
  p.emphasis = "reduced";
  EXPECT_LT(prosody_for(p, w).volume, 100);

  p = Piece::plain("x");
  p.rate = "warp";
  p.pitch = "1e999%";
  EXPECT_EQ(prosody_for(p, w).rate_wpm, 175);
  EXPECT_EQ(w.size(), 2u);
}

TEST(Ssml, SayAsSpellsOut) {
  Piece p = Piece::plain("12 34");
  p.say_as = "digits";
  EXPECT_EQ(spoken_text(p), "1 2 3 4");
  p.text = "abc";
  p.say_as = "characters";
  EXPECT_EQ(spoken_text(p), "A B C");
  p.say_as = "spell-out";
  p.text = "é1";
  EXPECT_EQ(spoken_text(p), "é 1");
  p.say_as = "cardinal";
  p.text = "1234";
  EXPECT_EQ(spoken_text(p), "1234");
}

}  // namespace
}  // namespace callwire::media::tts
