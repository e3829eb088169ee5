#include "store/sql/secret_box.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "store/errc.hpp"

namespace callwire::store::sql {

namespace {

constexpr std::size_t kNonce = 12;
constexpr std::size_t kTag = 16;
constexpr std::string_view kVersion = "v1:";

std::string hex(const std::uint8_t* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string base64(const std::vector<std::uint8_t>& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::vector<std::uint8_t>> unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::vector<std::uint8_t> out(text.size() / 4 * 3);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  if (text.ends_with("==")) size -= 2;
  else if (text.ends_with("=")) size -= 1;
  out.resize(size);
  return out;
}

std::unexpected<Error> key_error(std::string detail) { return fail(Errc::SecretKey, std::move(detail)); }

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// Writes 32 fresh random bytes to `path` atomically: a temp file, then
// link(2), which fails when another process created the key meanwhile (its
// key wins and is read back by the caller).
Status create_key_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path() && !std::filesystem::exists(path.parent_path(), ec)) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return key_error("cannot create " + path.parent_path().string() + ": " + ec.message());
    ::chmod(path.parent_path().c_str(), 0700);
  }
  std::uint8_t key[32];
  if (RAND_bytes(key, sizeof key) != 1) return key_error("no random bytes for a new secret key");
  const std::string tmp = path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return key_error("cannot create secret key file " + tmp + ": " + std::strerror(errno));
  const bool written = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  OPENSSL_cleanse(key, sizeof key);
  if (!written) {
    ::unlink(tmp.c_str());
    return key_error("cannot write secret key file " + tmp + ": " + std::strerror(saved));
  }
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    return key_error("cannot create secret key file " + path.string() + ": " + std::strerror(link_errno));
  }
  return {};
}

}  // namespace

std::string secret_key_path(std::string_view secret_key_file, std::string_view data_dir) {
  if (!secret_key_file.empty()) return std::string(secret_key_file);
  if (data_dir.empty()) return {};
  return (std::filesystem::path(data_dir) / "secret.key").string();
}

SecretBox::SecretBox(std::string key_file) : key_file_(std::move(key_file)) {}

Result<SecretBox::Key> SecretBox::key(bool create) {
  std::lock_guard lock(mutex_);
  if (key_) return *key_;
  if (key_file_.empty()) {
    return key_error("no secret key configured for encrypting trunk passwords (set --secret-key-file or --data)");
  }
  const std::filesystem::path path(key_file_);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!create) {
      return key_error("secret key file " + key_file_ + " does not exist, so stored trunk passwords cannot be "
                       "decrypted: restore it, or give every node the same --secret-key-file");
    }
    if (auto ok = create_key_file(path); !ok) return std::unexpected(ok.error());
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return key_error("cannot read secret key file " + key_file_ + ": " + std::strerror(errno));
  char buf[130];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n < 0) return key_error("cannot read secret key file " + key_file_ + ": " + std::strerror(errno));
  Key k{};
  std::string_view text(buf, static_cast<std::size_t>(n));
  if (text.size() == k.size()) {
    std::memcpy(k.data(), text.data(), k.size());
  } else {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    bool ok = text.size() == 2 * k.size();
    for (std::size_t i = 0; ok && i < k.size(); ++i) {
      const int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
      ok = hi >= 0 && lo >= 0;
      if (ok) k[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    OPENSSL_cleanse(buf, sizeof buf);
    if (!ok) {
      return key_error("secret key file " + key_file_ + " must hold 32 bytes or 64 hex digits (it has " +
                       std::to_string(n) + " bytes)");
    }
  }
  OPENSSL_cleanse(buf, sizeof buf);
  std::uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(k.data(), k.size(), digest);
  key_id_ = hex(digest, 4);
  key_ = k;
  return k;
}

Result<std::string> SecretBox::seal(std::string_view plaintext, std::string_view associated) {
  auto k = key(true);
  if (!k) return std::unexpected(k.error());
  std::vector<std::uint8_t> out(kNonce + plaintext.size() + kTag);
  if (RAND_bytes(out.data(), kNonce) != 1) return fail(Errc::Internal, "no random bytes for a nonce");
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0, total = 0;
  const bool ok =
      ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, k->data(), out.data()) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(associated.data()),
                        static_cast<int>(associated.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), out.data() + kNonce, &len,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) == 1 &&
      (total = len, EVP_EncryptFinal_ex(ctx.get(), out.data() + kNonce + total, &len) == 1) &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, out.data() + kNonce + plaintext.size()) == 1;
  if (!ok) return fail(Errc::Internal, "AES-256-GCM encryption failed");
  std::lock_guard lock(mutex_);
  return std::string(kVersion) + key_id_ + ":" + base64(out);
}

Result<std::string> SecretBox::open(std::string_view sealed, std::string_view associated) {
  if (!sealed.starts_with(kVersion) || sealed.size() < kVersion.size() + 9 || sealed[kVersion.size() + 8] != ':') {
    return fail(Errc::Internal, "stored secret is not in the v1 format");
  }
  const std::string_view id = sealed.substr(kVersion.size(), 8);
  auto bytes = unbase64(sealed.substr(kVersion.size() + 9));
  if (!bytes || bytes->size() < kNonce + kTag) return fail(Errc::Internal, "stored secret is not in the v1 format");
  auto k = key(false);
  if (!k) return std::unexpected(k.error());
  std::string have;
  {
    std::lock_guard lock(mutex_);
    have = key_id_;
  }
  if (id != have) {
    return key_error(fmt::format("a stored trunk password was encrypted with secret key {}, but this node's key "
                                 "({}) is {}: give every node the same --secret-key-file",
                                 id, key_file_, have));
  }
  const std::size_t size = bytes->size() - kNonce - kTag;
  std::string plain(size, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  std::uint8_t* tag = bytes->data() + kNonce + size;
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, k->data(), bytes->data()) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(associated.data()),
                        static_cast<int>(associated.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, bytes->data() + kNonce,
                        static_cast<int>(size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &len) == 1;
  if (!ok) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return key_error("a stored trunk password does not decrypt with secret key " + have +
                     ": the value was altered or belongs to another row");
  }
  return plain;
}

}  // namespace callwire::store::sql
