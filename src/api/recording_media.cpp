#include "api/recording_media.hpp"

#include <fstream>
#include <iterator>
#include <system_error>

namespace callwire::api {

std::filesystem::path recording_file(const ApiConfig& config, const store::Recording& recording) {
  const std::filesystem::path relative =
      recording.media_path.empty() ? store::recording_media_path(recording.account_sid, recording.sid)
                                   : recording.media_path;
  if (relative.is_absolute()) return relative;
  return std::filesystem::path(config.data_dir) / relative;
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

bool remove_recording_file(const std::filesystem::path& file, std::string& error) {
  std::error_code ec;
  std::filesystem::remove(file, ec);
  if (ec) {
    error = ec.message();
    return false;
  }
  return true;
}

}  // namespace callwire::api
