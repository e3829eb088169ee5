// WAV, AIFF and AU through libsndfile, reading from memory.
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "media/audio/readers.hpp"

namespace callwire::media::audio::detail {

namespace {

struct Memory {
  std::span<const std::uint8_t> bytes;
  sf_count_t pos = 0;
};

sf_count_t mem_length(void* user) { return static_cast<sf_count_t>(static_cast<Memory*>(user)->bytes.size()); }

sf_count_t mem_seek(sf_count_t offset, int whence, void* user) {
  auto* m = static_cast<Memory*>(user);
  const auto size = static_cast<sf_count_t>(m->bytes.size());
  sf_count_t base = 0;
  if (whence == SEEK_CUR) base = m->pos;
  else if (whence == SEEK_END) base = size;
  else if (whence != SEEK_SET) return -1;
  // Offsets come from the file's own headers: refuse what would overflow.
  if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0) return -1;
  m->pos = std::min(base + offset, size);
  return m->pos;
}

sf_count_t mem_read(void* ptr, sf_count_t count, void* user) {
  auto* m = static_cast<Memory*>(user);
  const auto size = static_cast<sf_count_t>(m->bytes.size());
  if (count <= 0 || m->pos >= size) return 0;
  const sf_count_t n = std::min(count, size - m->pos);
  std::copy_n(m->bytes.data() + m->pos, n, static_cast<std::uint8_t*>(ptr));
  m->pos += n;
  return n;
}

sf_count_t mem_write(const void*, sf_count_t, void*) { return 0; }
sf_count_t mem_tell(void* user) { return static_cast<Memory*>(user)->pos; }

struct Close {
  void operator()(SNDFILE* f) const { sf_close(f); }
};

bool allowed(int major, Format format) {
  switch (format) {
    case Format::Wav: return major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX || major == SF_FORMAT_RF64;
    case Format::Aiff: return major == SF_FORMAT_AIFF;
    case Format::Au: return major == SF_FORMAT_AU;
    case Format::RawGsm: return major == SF_FORMAT_RAW;
    default: return false;
  }
}

const char* name(Format format) {
  switch (format) {
    case Format::Wav: return "WAV";
    case Format::Aiff: return "AIFF";
    case Format::Au: return "AU";
    case Format::RawGsm: return "GSM 06.10";
    default: return "audio";
  }
}

}  // namespace

Status read_sndfile(std::span<const std::uint8_t> bytes, Format format, MonoSink& sink) {
  SF_VIRTUAL_IO io{mem_length, mem_seek, mem_read, mem_write, mem_tell};
  Memory mem{bytes};
  SF_INFO info{};
  if (format == Format::RawGsm) {
    info.format = SF_FORMAT_RAW | SF_FORMAT_GSM610;
    info.samplerate = 8000;
    info.channels = 1;
  }
  std::unique_ptr<SNDFILE, Close> file(sf_open_virtual(&io, SFM_READ, &info, &mem));
  // sf_strerror(nullptr) reads process-wide state: say only what failed.
  if (!file) return fail(Errc::Corrupt, std::string("not a readable ") + name(format) + " file");
  if (!allowed(info.format & SF_FORMAT_TYPEMASK, format))
    return fail(Errc::Corrupt, std::string("not a ") + name(format) + " file");
  if (info.samplerate <= 0) return fail(Errc::UnsupportedFormat, "no sample rate");
  if (auto s = sink.set_input(static_cast<std::uint32_t>(info.samplerate), info.channels); !s) return s;
  // The header's frame count is only a hint: no format here yields more
  // than 8 frames per byte, so a lying header cannot reserve gigabytes.
  sink.expect_frames(std::min<std::uint64_t>(info.frames > 0 ? static_cast<std::uint64_t>(info.frames) : 0,
                                             std::uint64_t{8} * bytes.size()));

  const auto channels = static_cast<std::size_t>(info.channels);
  const std::size_t frames = std::max<std::size_t>(1, 16384 / channels);
  std::vector<std::int16_t> buf(frames * channels);
  // libsndfile hands float data to a short reader unscaled, so floats are
  // read as floats ([-1, 1]) and scaled here, louder samples clipped.
  const int sub = info.format & SF_FORMAT_SUBMASK;
  const bool is_float = sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE;
  std::vector<float> fbuf(is_float ? buf.size() : 0);
  for (;;) {
    sf_count_t got = 0;
    if (is_float) {
      got = sf_readf_float(file.get(), fbuf.data(), static_cast<sf_count_t>(frames));
      for (std::size_t i = 0; i < static_cast<std::size_t>(std::max<sf_count_t>(got, 0)) * channels; ++i) {
        const float v = fbuf[i] * 32768.0f;
        // NaN fails both comparisons and becomes 0.
        buf[i] = v >= 32767.0f ? 32767 : v <= -32768.0f ? -32768 : v == v ? static_cast<std::int16_t>(std::lrint(v)) : 0;
      }
    } else {
      got = sf_readf_short(file.get(), buf.data(), static_cast<sf_count_t>(frames));
    }
    if (got <= 0) break;
    if (auto s = sink.push(std::span(buf).first(static_cast<std::size_t>(got) * channels)); !s) return s;
  }
  return {};
}

}  // namespace callwire::media::audio::detail
