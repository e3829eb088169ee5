// Seeds one completed recording into the SQLite store of a running
// `callwire serve --data DIR`, as the media engine would: the row through
// the store interface and a WAV file at its default place. For the twilio
// compat test, which has no REST call that creates recordings.
//   callwire_compat_seed_recording DATA_DIR ACCOUNT_SID CALL_SID
// Prints the new recording's sid.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "store/open_store.hpp"

namespace {

// Two seconds of a mono 8 kHz 16-bit PCM ramp.
std::string wav() {
  constexpr std::uint32_t kSamples = 16000;
  auto le = [](std::string& out, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  std::string w = "RIFF";
  le(w, 36 + kSamples * 2, 4);
  w += "WAVEfmt ";
  // fmt chunk size, PCM, mono, rate, byte rate, block align, bits.
  const std::pair<std::uint32_t, int> fmt[] = {{16, 4}, {1, 2}, {1, 2}, {8000, 4}, {16000, 4}, {2, 2}, {16, 2}};
  for (auto [v, n] : fmt) le(w, v, n);
  w += "data";
  le(w, kSamples * 2, 4);
  for (std::uint32_t i = 0; i < kSamples; ++i) le(w, (i * 97) & 0xffff, 2);
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace callwire;
  if (argc != 4) {
    std::cerr << "usage: " << argv[0] << " DATA_DIR ACCOUNT_SID CALL_SID\n";
    return 2;
  }
  store::StoreConfig config;
  config.data_dir = argv[1];
  config.pool_size = 1;
  auto opened = store::open_store(config);
  if (!opened) {
    std::cerr << "open_store: " << opened.error().what() << "\n";
    return 1;
  }
  store::Recording k;
  k.account_sid = argv[2];
  k.call_sid = argv[3];
  k.status = "completed";
  k.duration = 2;
  k.start_time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto saved = (*opened)->recordings().save(k);
  if (!saved) {
    std::cerr << "save: " << saved.error().what() << "\n";
    return 1;
  }
  const auto file = std::filesystem::path(argv[1]) / store::recording_media_path(saved->account_sid, saved->sid);
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << wav();
  std::cout << saved->sid << "\n";
  return 0;
}
