#pragma once
// What the SSML attributes carried by Pieces mean for espeak-ng. Values come
// from TwiML documents: anything unreadable falls back to the default and
// adds a warning, never an error.
#include <chrono>
#include <string>
#include <vector>

#include "media/tts/request.hpp"

namespace callwire::media::tts {

// espeak-ng parameters for one text piece.
struct Prosody {
  int rate_wpm = 175;  // espeakRATE (espeak-ng's default speed)
  int pitch = 50;      // espeakPITCH, 0-100
  int volume = 100;    // espeakVOLUME, 0-200
};

// The silence a Break piece stands for: `time` ("750ms", "1.5s", at most
// 10 s) else `strength` (none 0, x-weak 100 ms, weak 250 ms, medium 400 ms,
// strong 750 ms, x-strong 1200 ms).
std::chrono::milliseconds break_length(const Piece& piece, std::vector<std::string>& warnings);

// espeak parameters for a text piece's emphasis and prosody attributes.
Prosody prosody_for(const Piece& piece, std::vector<std::string>& warnings);

// The text to hand to espeak: say-as digits/characters/spell-out/telephone
// spell it out character by character ("A12" → "A 1 2"); other say-as values
// are read as written.
std::string spoken_text(const Piece& piece);

}  // namespace callwire::media::tts
