#pragma once
// Encryption of secrets at rest (trunk passwords): AES-256-GCM with a key
// read from a file on first use. The sealed text is
//   "v1:" <key id: 8 hex> ":" <base64(nonce 12 | ciphertext | tag 16)>
// where the key id is the first 4 bytes of SHA-256(key): a node holding
// another key learns that in words ("encrypted with key 1a2b3c4d, this node
// has 5e6f7a8b") instead of failing the tag check without a clue. The
// row's sid is the GCM associated data, so a sealed value copied into
// another row does not open.
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace callwire::store::sql {

class SecretBox {
 public:
  // `key_file` empty: every seal/open fails with Errc::SecretKey ("no secret
  // key configured"). A missing file is created by the first seal (mode
  // 0600, 32 random bytes); an existing one must hold 32 bytes or 64 hex
  // digits.
  explicit SecretBox(std::string key_file);

  [[nodiscard]] Result<std::string> seal(std::string_view plaintext, std::string_view associated);
  // SecretKey for a wrong key, a tampered value or a missing key file;
  // Internal for text that is not a sealed value at all.
  [[nodiscard]] Result<std::string> open(std::string_view sealed, std::string_view associated);

  const std::string& key_file() const { return key_file_; }

 private:
  using Key = std::array<std::uint8_t, 32>;
  // Loads the key once; a missing file is created only when `create` (a
  // seal): reading never invents a key that cannot open anything.
  Result<Key> key(bool create);

  std::string key_file_;
  std::mutex mutex_;
  std::optional<Key> key_;
  std::string key_id_;
};

// StoreConfig::secret_key_file, else DATA_DIR/secret.key, else "".
std::string secret_key_path(std::string_view secret_key_file, std::string_view data_dir);

}  // namespace callwire::store::sql
