#include "api/recording_media.hpp"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/random.hpp"
#include "media/mp3/encoder.hpp"

namespace callwire::api {

namespace {

namespace fs = std::filesystem;

struct Pcm {
  std::vector<std::int16_t> samples;
  std::uint32_t rate = 0;
};

std::uint32_t le(std::string_view b, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(b[at + i]);
  return v;
}

std::unexpected<Error> bad_wav(std::string detail) {
  return fail(std::make_error_code(std::errc::illegal_byte_sequence), "recording WAV: " + std::move(detail));
}

// The samples of a RIFF/WAVE file of 16-bit PCM, stereo folded to mono.
// The recorder writes the canonical 44-byte header and patches the data
// size when it ends, so a size of 0 (still recording) or past the end of
// the file means "the rest of the file". Chunks are walked, not assumed, so
// a WAV written by another tool reads too.
Result<Pcm> wav_pcm(std::string_view b) {
  if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WAVE") return bad_wav("not a RIFF/WAVE file");
  std::uint32_t format = 0, channels = 0, rate = 0, bits = 0;
  bool have_fmt = false;
  for (std::uint64_t pos = 12; pos + 8 <= b.size();) {
    const std::string_view id = b.substr(pos, 4);
    const std::uint64_t len = le(b, pos + 4, 4);
    const std::uint64_t body = pos + 8;
    const std::uint64_t avail = b.size() - body;
    if (id == "fmt ") {
      if (len < 16 || len > avail) return bad_wav("short fmt chunk");
      format = le(b, body, 2);
      channels = le(b, body + 2, 2);
      rate = le(b, body + 4, 4);
      bits = le(b, body + 14, 2);
      if (format == 0xFFFE && len >= 26) format = le(b, body + 24, 2);  // WAVE_FORMAT_EXTENSIBLE's sub-format
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) return bad_wav("data before fmt");
      if (format != 1 || bits != 16 || channels < 1 || channels > 2)
        return bad_wav("only 16-bit PCM, mono or stereo, is converted");
      const std::uint64_t n = (len == 0 || len > avail) ? avail : len;
      Pcm pcm;
      pcm.rate = rate;
      const std::uint64_t frames = n / (2 * channels);
      pcm.samples.resize(frames);
      for (std::uint64_t f = 0; f < frames; ++f) {
        std::int32_t sum = 0;
        for (std::uint32_t c = 0; c < channels; ++c)
          sum += static_cast<std::int16_t>(le(b, body + (f * channels + c) * 2, 2));
        pcm.samples[f] = static_cast<std::int16_t>(sum / static_cast<std::int32_t>(channels));
      }
      return pcm;
    }
    pos = body + len + (len & 1);  // chunks are word-aligned
  }
  return bad_wav("no data chunk");
}

// Writes `bytes` to `target` through a temporary name in the same folder,
// then renames it: readers see the whole file or none.
bool write_atomically(const fs::path& target, const std::string& bytes, std::string& error) {
  fs::path tmp = target;
  tmp += ".tmp-" + random_hex(12);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      error = "cannot write " + tmp.string();
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    error = "cannot rename to " + target.string() + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace

std::filesystem::path recording_file(const ApiConfig& config, const store::Recording& recording) {
  const std::filesystem::path relative =
      recording.media_path.empty() ? store::recording_media_path(recording.account_sid, recording.sid)
                                   : recording.media_path;
  if (relative.is_absolute()) return relative;
  return std::filesystem::path(config.data_dir) / relative;
}

std::filesystem::path mp3_cache_file(const std::filesystem::path& file) {
  std::filesystem::path mp3 = file;
  if (mp3.extension() == ".mp3") return mp3 += ".mp3";  // never the media file itself
  return mp3.replace_extension(".mp3");
}

std::optional<std::string> read_recording_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

Result<Mp3Media> recording_mp3(const std::filesystem::path& file, bool use_cache) {
  const auto missing = [&] {
    return fail(std::make_error_code(std::errc::no_such_file_or_directory), file.string());
  };
  std::error_code ec;
  const auto wav_time = fs::last_write_time(file, ec);
  if (ec) return missing();
  const fs::path cache = mp3_cache_file(file);
  if (use_cache) {
    // A WAV rewritten after the MP3 was made (newer mtime) is encoded again.
    const auto mp3_time = fs::last_write_time(cache, ec);
    if (!ec && mp3_time >= wav_time) {
      if (auto cached = read_recording_file(cache)) return Mp3Media{std::move(*cached), true, {}};
    }
  }
  auto wav = read_recording_file(file);
  if (!wav) return missing();
  auto pcm = wav_pcm(*wav);
  if (!pcm) return std::unexpected(pcm.error());
  wav.reset();  // an hour of 8 kHz audio is 57 MB: do not hold it twice
  auto mp3 = media::mp3::encode_mp3(pcm->samples, pcm->rate);
  if (!mp3) return std::unexpected(mp3.error());
  Mp3Media out;
  out.bytes.assign(mp3->begin(), mp3->end());
  if (use_cache && write_atomically(cache, out.bytes, out.cache_error)) {
    // A delete that ran while this request encoded took the WAV away: do
    // not leave an MP3 behind it.
    if (!fs::exists(file, ec)) fs::remove(cache, ec);
  }
  return out;
}

bool remove_recording_file(const std::filesystem::path& file, std::string& error) {
  bool ok = true;
  // The WAV first: an encoder finishing meanwhile checks for it after
  // renaming its MP3 into place, so one of the two removes that MP3.
  for (const auto& f : {file, mp3_cache_file(file)}) {
    std::error_code ec;
    std::filesystem::remove(f, ec);
    if (ec) {
      error += (error.empty() ? "" : "; ") + f.string() + ": " + ec.message();
      ok = false;
    }
  }
  return ok;
}

}  // namespace callwire::api
