#pragma once
// The one espeak-ng instance of the process. espeak-ng keeps global state and
// is not thread-safe: only the Synthesizer's thread creates and uses this,
// and open() refuses a second live instance.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "media/tts/request.hpp"
#include "media/tts/voice_map.hpp"

namespace callwire::media::tts {

class EspeakEngine {
 public:
  // data_path: espeak-ng-data's parent folder; "" = the library's default.
  [[nodiscard]] static Result<std::unique_ptr<EspeakEngine>> open(const std::string& data_path = {});
  ~EspeakEngine();
  EspeakEngine(const EspeakEngine&) = delete;
  EspeakEngine& operator=(const EspeakEngine&) = delete;

  // Speaks the pieces with `voice`; PCM16 at sample_rate(). Unreadable SSML
  // values add to `warnings`.
  [[nodiscard]] Result<std::vector<std::int16_t>> speak(const std::vector<Piece>& pieces, const VoiceChoice& voice,
                                                        std::vector<std::string>& warnings);
  std::uint32_t sample_rate() const { return sample_rate_; }

 private:
  explicit EspeakEngine(std::uint32_t rate) : sample_rate_(rate) {}

  std::uint32_t sample_rate_;
};

}  // namespace callwire::media::tts
