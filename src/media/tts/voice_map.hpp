#pragma once
// Twilio <Say> voice and language → espeak-ng voice ("<language>+<variant>").
// The table is documented in docs/compatibility.md ("Media: Say voices").
#include <string>
#include <string_view>
#include <vector>

namespace callwire::media::tts {

struct VoiceChoice {
  std::string espeak_voice;   // e.g. "en-us+f3", for espeak_SetVoiceByName
  std::string language;       // the Twilio language it stands for, e.g. "en-US"
  bool unknown_voice = false;     // voice not recognised: default used
  bool unknown_language = false;  // language not recognised: en-US used
  std::vector<std::string> warnings;
};

// voice: man | woman | alice | Polly.<Name>[-Neural|-Generative|-LongForm] |
//        Google.<ll-CC>-<Model>-<X>; "" = man.
// language: a BCP-47 tag as Twilio writes it; "" = the voice's own, else en-US.
// Polly and Google voices speak their own language whatever `language` says.
VoiceChoice resolve_voice(std::string_view voice, std::string_view language);

// The language tags of the table (lower-case), for documentation and tests.
std::vector<std::string> supported_languages();

}  // namespace callwire::media::tts
