#pragma once
// Test helper: WAV files built byte by byte, so each variant's header is
// exactly what the test says.
#include <cstdint>
#include <string_view>
#include <vector>

namespace callwire::media::audio::test {

inline void put_le(std::vector<std::uint8_t>& b, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
inline void put_tag(std::vector<std::uint8_t>& b, std::string_view tag) {
  for (char c : tag) b.push_back(static_cast<std::uint8_t>(c));  // insert() trips a GCC 12 false warning
}

// format_tag: 1 PCM, 3 float, 6 A-law, 7 µ-law, 0xFFFE extensible (PCM inside).
inline std::vector<std::uint8_t> wav(int format_tag, int channels, int rate, int bits,
                                     const std::vector<std::uint8_t>& data) {
  std::vector<std::uint8_t> fmt;
  const int block = channels * bits / 8;
  put_le(fmt, static_cast<std::uint64_t>(format_tag), 2);
  put_le(fmt, static_cast<std::uint64_t>(channels), 2);
  put_le(fmt, static_cast<std::uint64_t>(rate), 4);
  put_le(fmt, static_cast<std::uint64_t>(rate * block), 4);
  put_le(fmt, static_cast<std::uint64_t>(block), 2);
  put_le(fmt, static_cast<std::uint64_t>(bits), 2);
  if (format_tag == 0xFFFE) {
    put_le(fmt, 22, 2);
    put_le(fmt, static_cast<std::uint64_t>(bits), 2);  // valid bits
    put_le(fmt, channels == 1 ? 4 : 3, 4);             // channel mask
    // KSDATAFORMAT_SUBTYPE_PCM
    const std::uint8_t guid[16] = {1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71};
    fmt.insert(fmt.end(), guid, guid + 16);
  } else if (format_tag != 1) {
    put_le(fmt, 0, 2);  // cbSize
  }
  std::vector<std::uint8_t> b;
  put_tag(b, "RIFF");
  put_le(b, 4 + 8 + fmt.size() + 8 + data.size() + (data.size() & 1), 4);
  put_tag(b, "WAVE");
  put_tag(b, "fmt ");
  put_le(b, fmt.size(), 4);
  b.insert(b.end(), fmt.begin(), fmt.end());
  put_tag(b, "data");
  put_le(b, data.size(), 4);
  b.insert(b.end(), data.begin(), data.end());
  if (data.size() & 1) b.push_back(0);
  return b;
}

inline std::vector<std::uint8_t> pcm16_bytes(const std::vector<std::int16_t>& s) {
  std::vector<std::uint8_t> b;
  for (auto v : s) put_le(b, static_cast<std::uint16_t>(v), 2);
  return b;
}

}  // namespace callwire::media::audio::test
