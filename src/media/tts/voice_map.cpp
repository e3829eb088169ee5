#include "media/tts/voice_map.hpp"

#include <algorithm>
#include <iterator>

namespace callwire::media::tts {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Twilio language tag (lower-case) → espeak-ng 1.51 voice name as
// espeak_SetVoiceByName accepts it ("en" is British English, "fr" France). espeak-ng has no
// Australian, Canadian, Indian, Irish or South African English nor Canadian
// French: the nearest voice stands in.
struct LanguageRow {
  std::string_view tag;
  std::string_view espeak;
};
constexpr LanguageRow kLanguages[] = {
    {"en-us", "en-us"},   {"en", "en-us"},      {"en-gb", "en"},   {"en-au", "en"},   {"en-ca", "en-us"},
    {"en-in", "en"},   {"en-ie", "en"},   {"en-nz", "en"},   {"en-za", "en"},   {"en-gb-wls", "en"},
    {"cy-gb", "cy"},      {"es-es", "es"},      {"es", "es"},         {"es-mx", "es-419"},  {"es-us", "es-419"},
    {"fr-fr", "fr"},   {"fr", "fr"},      {"fr-ca", "fr"},   {"fr-be", "fr-be"},   {"fr-ch", "fr-ch"},
    {"de-de", "de"},      {"de", "de"},         {"de-at", "de"},      {"de-ch", "de"},      {"it-it", "it"},
    {"it", "it"},         {"pt-br", "pt-br"},   {"pt-pt", "pt"},      {"pt", "pt"},         {"ja-jp", "ja"},
    {"ko-kr", "ko"},      {"zh-cn", "cmn"},     {"cmn-cn", "cmn"},    {"zh-tw", "cmn"},     {"cmn-tw", "cmn"},
    {"zh-hk", "yue"},     {"yue-hk", "yue"},    {"da-dk", "da"},      {"nl-nl", "nl"},      {"nl-be", "nl"},
    {"nb-no", "nb"},      {"sv-se", "sv"},      {"fi-fi", "fi"},      {"pl-pl", "pl"},      {"ru-ru", "ru"},
    {"ca-es", "ca"},      {"tr-tr", "tr"},      {"ro-ro", "ro"},      {"is-is", "is"},      {"hi-in", "hi"},
    {"arb", "ar"},        {"ar-ae", "ar"},      {"ar-xa", "ar"},      {"cs-cz", "cs"},      {"el-gr", "el"},
    {"hu-hu", "hu"},      {"id-id", "id"},      {"sk-sk", "sk"},      {"uk-ua", "uk"},      {"vi-vn", "vi"},
    {"ta-in", "ta"},      {"te-in", "te"},      {"bn-in", "bn"},      {"gu-in", "gu"},      {"kn-in", "kn"},
    {"ml-in", "ml"},      {"mr-in", "mr"},      {"pa-in", "pa"},      {"he-il", "he"},      {"ms-my", "ms"},
    {"bg-bg", "bg"},      {"af-za", "af"},
};

// Amazon Polly voices: name → (language, female?).
struct PollyRow {
  std::string_view name;  // lower-case
  std::string_view language;
  bool female;
};
constexpr PollyRow kPolly[] = {
    {"joanna", "en-US", true},    {"salli", "en-US", true},      {"kimberly", "en-US", true},
    {"kendra", "en-US", true},    {"ivy", "en-US", true},        {"ruth", "en-US", true},
    {"danielle", "en-US", true},  {"matthew", "en-US", false},   {"justin", "en-US", false},
    {"joey", "en-US", false},     {"kevin", "en-US", false},     {"stephen", "en-US", false},
    {"gregory", "en-US", false},  {"patrick", "en-US", false},   {"amy", "en-GB", true},
    {"emma", "en-GB", true},      {"brian", "en-GB", false},     {"arthur", "en-GB", false},
    {"nicole", "en-AU", true},    {"olivia", "en-AU", true},     {"russell", "en-AU", false},
    {"aditi", "en-IN", true},     {"raveena", "en-IN", true},    {"kajal", "en-IN", true},
    {"niamh", "en-IE", true},     {"aria", "en-NZ", true},       {"ayanda", "en-ZA", true},
    {"geraint", "en-GB-WLS", false}, {"gwyneth", "cy-GB", true}, {"conchita", "es-ES", true},
    {"lucia", "es-ES", true},     {"enrique", "es-ES", false},   {"sergio", "es-ES", false},
    {"mia", "es-MX", true},       {"andres", "es-MX", false},    {"penelope", "es-US", true},
    {"lupe", "es-US", true},      {"miguel", "es-US", false},    {"pedro", "es-US", false},
    {"celine", "fr-FR", true},    {"lea", "fr-FR", true},        {"mathieu", "fr-FR", false},
    {"remi", "fr-FR", false},     {"chantal", "fr-CA", true},    {"gabrielle", "fr-CA", true},
    {"liam", "fr-CA", false},     {"marlene", "de-DE", true},    {"vicki", "de-DE", true},
    {"hans", "de-DE", false},     {"daniel", "de-DE", false},    {"carla", "it-IT", true},
    {"bianca", "it-IT", true},    {"giorgio", "it-IT", false},   {"adriano", "it-IT", false},
    {"mizuki", "ja-JP", true},    {"kazuha", "ja-JP", true},     {"tomoko", "ja-JP", true},
    {"takumi", "ja-JP", false},   {"camila", "pt-BR", true},     {"vitoria", "pt-BR", true},
    {"ricardo", "pt-BR", false},  {"thiago", "pt-BR", false},    {"ines", "pt-PT", true},
    {"cristiano", "pt-PT", false}, {"lotte", "nl-NL", true},     {"ruben", "nl-NL", false},
    {"naja", "da-DK", true},      {"mads", "da-DK", false},      {"liv", "nb-NO", true},
    {"astrid", "sv-SE", true},    {"ewa", "pl-PL", true},        {"jacek", "pl-PL", false},
    {"tatyana", "ru-RU", true},   {"maxim", "ru-RU", false},
};

// Google voice letters documented as male for en-US Standard/Wavenet voices;
// other locales reuse the rule (an approximation: the name carries no gender).
constexpr std::string_view kGoogleMaleLetters = "BDIJ";

std::string_view espeak_language(std::string_view tag_lower) {
  for (const auto& row : kLanguages)
    if (row.tag == tag_lower) return row.espeak;
  // "de-li" → "de": the primary subtag when the table has it alone.
  const auto dash = tag_lower.find('-');
  if (dash != std::string_view::npos) {
    const std::string_view primary = tag_lower.substr(0, dash);
    for (const auto& row : kLanguages)
      if (row.tag == primary) return row.espeak;
  }
  return {};
}

// Polly names may be written with accents in documents ("Céline", "Léa").
std::string fold_accents(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xC3 && i + 1 < s.size()) {
      const unsigned char d = static_cast<unsigned char>(s[++i]);
      if (d >= 0xA0 && d <= 0xA5) out += 'a';
      else if (d >= 0xA8 && d <= 0xAB) out += 'e';
      else if (d >= 0xAC && d <= 0xAF) out += 'i';
      else if (d >= 0xB2 && d <= 0xB6) out += 'o';
      else if (d >= 0xB9 && d <= 0xBC) out += 'u';
      else if (d >= 0x80 && d <= 0x85) out += 'a';
      else if (d >= 0x88 && d <= 0x8B) out += 'e';
      else out += '?';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> supported_languages() {
  std::vector<std::string> out;
  for (const auto& row : kLanguages) out.emplace_back(row.tag);
  return out;
}

VoiceChoice resolve_voice(std::string_view voice, std::string_view language) {
  VoiceChoice out;
  std::string variant = "m3";
  std::string voice_language;  // set by Polly/Google voices

  const std::string v = lower(voice);
  if (v.empty() || v == "man") {
    variant = "m3";
  } else if (v == "woman") {
    variant = "f3";
  } else if (v == "alice") {
    variant = "f2";
  } else if (v.starts_with("polly.")) {
    std::string name = fold_accents(v.substr(6));
    for (std::string_view suffix : {"-neural", "-generative", "-longform"})
      if (name.ends_with(suffix)) name.resize(name.size() - suffix.size());
    const auto* it = std::find_if(std::begin(kPolly), std::end(kPolly), [&](const PollyRow& r) { return r.name == name; });
    if (it != std::end(kPolly)) {
      variant = it->female ? "f3" : "m3";
      voice_language = std::string(it->language);
    } else {
      out.unknown_voice = true;
    }
  } else if (v.starts_with("google.")) {
    // Google.<ll>-<CC>-<Model>-<X>: the locale is the first two dash fields.
    const std::string rest(voice.substr(7));
    const auto d1 = rest.find('-');
    const auto d2 = d1 == std::string::npos ? std::string::npos : rest.find('-', d1 + 1);
    if (d2 != std::string::npos && !espeak_language(lower(rest.substr(0, d2))).empty()) {
      voice_language = rest.substr(0, d2);
      const auto last = rest.rfind('-');
      const std::string_view letter = std::string_view(rest).substr(last + 1);
      variant = (letter.size() == 1 && kGoogleMaleLetters.find(letter[0]) != std::string_view::npos) ? "m3" : "f3";
    } else {
      out.unknown_voice = true;
    }
  } else {
    out.unknown_voice = true;
  }
  if (out.unknown_voice) {
    variant = "m3";
    out.warnings.push_back("unknown voice '" + std::string(voice) + "', using man");
  }

  std::string tag = voice_language.empty() ? std::string(language) : voice_language;
  if (tag.empty()) tag = "en-US";
  std::string_view espeak = espeak_language(lower(tag));
  if (espeak.empty()) {
    out.unknown_language = true;
    out.warnings.push_back("unknown language '" + tag + "', using en-US");
    tag = "en-US";
    espeak = "en-us";
  }
  out.language = tag;
  out.espeak_voice = std::string(espeak) + "+" + variant;
  return out;
}

}  // namespace callwire::media::tts
