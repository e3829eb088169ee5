#include "media/tts/espeak_engine.hpp"

#include <atomic>

#include <espeak-ng/speak_lib.h>

#include "media/tts/errc.hpp"
#include "media/tts/ssml.hpp"

namespace callwire::media::tts {

namespace {
// espeak-ng itself is a process-wide singleton; this flag only mirrors that
// fact so a second engine fails cleanly instead of corrupting the first.
std::atomic<bool> g_engine_open{false};
// espeak-ng 1.51 hangs in espeak_Terminate once it has been initialised a
// second time (its internal fifo thread state is not reset), so it is
// initialised once per process and never terminated; only g_engine_open
// guards the "one user thread at a time" rule.
int g_sample_rate = 0;  // written and read only by the engine's owner

// espeak hands back each chunk with the user_data given to espeak_Synth: the
// buffer being filled.
int on_samples(short* wav, int count, espeak_EVENT* events) {
  auto* sink = events ? static_cast<std::vector<std::int16_t>*>(events->user_data) : nullptr;
  if (sink && wav && count > 0) sink->insert(sink->end(), wav, wav + count);
  return 0;  // continue
}
}  // namespace

Result<std::unique_ptr<EspeakEngine>> EspeakEngine::open(const std::string& data_path) {
  bool expected = false;
  if (!g_engine_open.compare_exchange_strong(expected, true))
    return fail(Errc::EngineFailed, "espeak-ng is already in use by another synthesizer");
  if (g_sample_rate <= 0) {
    // DONT_EXIT: a missing voice data folder must be an error, not exit().
    g_sample_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.empty() ? nullptr : data_path.c_str(),
                                      espeakINITIALIZE_DONT_EXIT);
    if (g_sample_rate <= 0) {
      g_engine_open = false;
      return fail(Errc::EngineFailed, "espeak-ng could not start (voice data missing?)");
    }
  }
  espeak_SetSynthCallback(&on_samples);
  return std::unique_ptr<EspeakEngine>(new EspeakEngine(static_cast<std::uint32_t>(g_sample_rate)));
}

EspeakEngine::~EspeakEngine() { g_engine_open = false; }

Result<std::vector<std::int16_t>> EspeakEngine::speak(const std::vector<Piece>& pieces, const VoiceChoice& voice,
                                                      std::vector<std::string>& warnings) {
  if (espeak_SetVoiceByName(voice.espeak_voice.c_str()) != EE_OK) {
    // The variant may be missing from the voice data; the language alone still speaks.
    const std::string language = voice.espeak_voice.substr(0, voice.espeak_voice.find('+'));
    if (espeak_SetVoiceByName(language.c_str()) != EE_OK)
      return fail(Errc::EngineFailed, "espeak-ng has no voice " + voice.espeak_voice);
    warnings.push_back("voice variant of " + voice.espeak_voice + " missing, using " + language);
  }
  std::vector<std::int16_t> pcm;
  for (const Piece& piece : pieces) {
    if (piece.kind == Piece::Kind::Break) {
      const auto ms = break_length(piece, warnings);
      pcm.insert(pcm.end(), static_cast<std::size_t>(ms.count()) * sample_rate_ / 1000, std::int16_t{0});
      continue;
    }
    const std::string text = spoken_text(piece);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    const Prosody p = prosody_for(piece, warnings);
    espeak_SetParameter(espeakRATE, p.rate_wpm, 0);
    espeak_SetParameter(espeakPITCH, p.pitch, 0);
    espeak_SetParameter(espeakVOLUME, p.volume, 0);
    const espeak_ERROR err = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                                          nullptr, &pcm);
    if (err != EE_OK) return fail(Errc::EngineFailed, "espeak-ng refused the text");
  }
  return pcm;
}

}  // namespace callwire::media::tts
