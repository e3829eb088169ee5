#pragma once
// ITU-T G.711 µ-law and A-law, table-driven. Results match the ITU reference
// implementation (G.191 STL g711.c) for every 16-bit input: µ-law looks at the
// top 14 bits, A-law at the top 13, negative values in one's complement.
#include <cstdint>
#include <span>

namespace callwire::media::codec::g711 {

std::uint8_t linear_to_ulaw(std::int16_t sample);
std::int16_t ulaw_to_linear(std::uint8_t code);
std::uint8_t linear_to_alaw(std::int16_t sample);
std::int16_t alaw_to_linear(std::uint8_t code);

// Whole-frame forms; `out` must be at least as long as the input.
void encode_ulaw(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out);
void decode_ulaw(std::span<const std::uint8_t> codes, std::span<std::int16_t> out);
void encode_alaw(std::span<const std::int16_t> pcm, std::span<std::uint8_t> out);
void decode_alaw(std::span<const std::uint8_t> codes, std::span<std::int16_t> out);

}  // namespace callwire::media::codec::g711
