#include "media/tts/voice_map.hpp"

#include <gtest/gtest.h>

namespace callwire::media::tts {
namespace {

TEST(VoiceMap, TwilioBasicVoices) {
  struct Case {
    const char* voice;
    const char* language;
    const char* espeak;
    const char* tag;
  } cases[] = {
      {"", "", "en-us+m3", "en-US"},          {"man", "en-US", "en-us+m3", "en-US"},
      {"woman", "en-GB", "en+f3", "en-GB"}, {"alice", "es-MX", "es-419+f2", "es-MX"},
      {"man", "fr", "fr+m3", "fr"},         {"woman", "de-DE", "de+f3", "de-DE"},
      {"alice", "ja-JP", "ja+f2", "ja-JP"},    {"alice", "pt-BR", "pt-br+f2", "pt-BR"},
      {"woman", "en-AU", "en+f3", "en-AU"}, {"man", "it-IT", "it+m3", "it-IT"},
      {"Woman", "ES-es", "es+f3", "ES-es"},    {"alice", "de-LI", "de+f2", "de-LI"},
  };
  for (const auto& c : cases) {
    const VoiceChoice v = resolve_voice(c.voice, c.language);
    EXPECT_EQ(v.espeak_voice, c.espeak) << c.voice << "/" << c.language;
    EXPECT_EQ(v.language, c.tag) << c.voice << "/" << c.language;
    EXPECT_TRUE(v.warnings.empty()) << c.voice << "/" << c.language;
  }
}

TEST(VoiceMap, PollyVoicesSpeakTheirOwnLanguage) {
  EXPECT_EQ(resolve_voice("Polly.Joanna", "").espeak_voice, "en-us+f3");
  EXPECT_EQ(resolve_voice("Polly.Matthew-Neural", "en-US").espeak_voice, "en-us+m3");
  EXPECT_EQ(resolve_voice("Polly.Brian", "en-US").espeak_voice, "en+m3");
  const VoiceChoice celine = resolve_voice("Polly.Céline", "");
  EXPECT_EQ(celine.espeak_voice, "fr+f3");
  EXPECT_EQ(celine.language, "fr-FR");
  EXPECT_EQ(resolve_voice("Polly.Mia-Generative", "").espeak_voice, "es-419+f3");
  EXPECT_EQ(resolve_voice("Polly.Takumi", "").espeak_voice, "ja+m3");
}

TEST(VoiceMap, GoogleVoicesUseTheirLocale) {
  EXPECT_EQ(resolve_voice("Google.en-US-Standard-C", "").espeak_voice, "en-us+f3");
  EXPECT_EQ(resolve_voice("Google.en-GB-Wavenet-B", "").espeak_voice, "en+m3");
  const VoiceChoice de = resolve_voice("Google.de-DE-Neural2-A", "fr-FR");
  EXPECT_EQ(de.espeak_voice, "de+f3");
  EXPECT_EQ(de.language, "de-DE");
  EXPECT_TRUE(de.warnings.empty());
}

TEST(VoiceMap, UnknownVoiceFallsBackWithWarning) {
  for (const char* v : {"robot", "Polly.Nobody", "Google.xx-YY-Standard-A", "Google.bad"}) {
    const VoiceChoice c = resolve_voice(v, "en-GB");
    EXPECT_TRUE(c.unknown_voice) << v;
    EXPECT_FALSE(c.unknown_language) << v;
    ASSERT_EQ(c.warnings.size(), 1u) << v;
    EXPECT_NE(c.warnings[0].find(v), std::string::npos);
    EXPECT_EQ(c.espeak_voice, "en+m3") << v;
  }
}

TEST(VoiceMap, UnknownLanguageFallsBackWithWarning) {
  const VoiceChoice c = resolve_voice("woman", "xx-ZZ");
  EXPECT_TRUE(c.unknown_language);
  EXPECT_EQ(c.espeak_voice, "en-us+f3");
  EXPECT_EQ(c.language, "en-US");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("xx-ZZ"), std::string::npos);
}

}  // namespace
}  // namespace callwire::media::tts
