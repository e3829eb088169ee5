#include "core/digest_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>
#include <cstring>
#include <utility>

namespace callwire {

namespace {

constexpr std::size_t kBlock = 64;  // the block size of MD5, SHA-1 and SHA-256
constexpr char kHex[] = "0123456789abcdef";

[[noreturn]] void broken() { std::abort(); }

const char* name(HashAlgorithm a) {
  switch (a) {
    case HashAlgorithm::Md5: return "MD5";
    case HashAlgorithm::Sha1: return "SHA1";
    case HashAlgorithm::Sha256: return "SHA256";
  }
  broken();
}

// The digests this thread has fetched, and a context to run them in.
struct ThreadDigests {
  std::array<EVP_MD*, 3> md{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();

  ThreadDigests() {
    if (ctx == nullptr) broken();
  }
  ~ThreadDigests() {
    EVP_MD_CTX_free(ctx);
    for (auto* m : md) EVP_MD_free(m);
  }
  ThreadDigests(const ThreadDigests&) = delete;
  ThreadDigests& operator=(const ThreadDigests&) = delete;

  const EVP_MD* get(HashAlgorithm a) {
    auto& m = md[static_cast<std::size_t>(a)];
    if (m == nullptr) {
      m = EVP_MD_fetch(nullptr, name(a), nullptr);
      if (m == nullptr) broken();
    }
    return m;
  }
};

ThreadDigests& digests() {
  thread_local ThreadDigests d;
  return d;
}

void init(EVP_MD_CTX* ctx, const EVP_MD* md) {
  if (EVP_DigestInit_ex(ctx, md, nullptr) != 1) broken();
}

void update(EVP_MD_CTX* ctx, const void* data, std::size_t size) {
  if (EVP_DigestUpdate(ctx, data, size) != 1) broken();
}

// Short pieces are gathered into one update: each EVP_DigestUpdate() goes
// through the provider's dispatch and the digest's partial-block handling.
void update(EVP_MD_CTX* ctx, std::span<const std::string_view> pieces) {
  constexpr std::size_t kGather = 512;
  std::array<char, kGather> buf;
  std::size_t used = 0;
  for (auto p : pieces) {
    if (p.size() > kGather - used) {
      if (used > 0) update(ctx, buf.data(), used);
      used = 0;
      if (p.size() > kGather / 2) {
        update(ctx, p.data(), p.size());
        continue;
      }
    }
    if (!p.empty()) std::memcpy(buf.data() + used, p.data(), p.size());
    used += p.size();
  }
  if (used > 0 || pieces.empty()) update(ctx, buf.data(), used);
}

HashBytes final(EVP_MD_CTX* ctx) {
  HashBytes out;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, out.bytes.data(), &len) != 1 || len > kMaxHashSize) broken();
  out.size = len;
  return out;
}

// The HMAC key block: the key, or H(key) when longer than a block, zero-padded.
std::array<unsigned char, kBlock> key_block(EVP_MD_CTX* ctx, const EVP_MD* md, std::string_view key) {
  std::array<unsigned char, kBlock> block{};
  if (key.size() > kBlock) {
    init(ctx, md);
    update(ctx, key.data(), key.size());
    auto h = final(ctx);
    std::memcpy(block.data(), h.bytes.data(), h.size);
  } else if (!key.empty()) {
    std::memcpy(block.data(), key.data(), key.size());
  }
  return block;
}

// Starts `ctx` on H((key block) ^ pad).
void start_pad(EVP_MD_CTX* ctx, const EVP_MD* md, const std::array<unsigned char, kBlock>& block, unsigned char pad) {
  std::array<unsigned char, kBlock> padded;
  for (std::size_t i = 0; i < kBlock; ++i) padded[i] = block[i] ^ pad;
  init(ctx, md);
  update(ctx, padded.data(), padded.size());
  OPENSSL_cleanse(padded.data(), padded.size());
}

std::span<const std::string_view> span_of(HashPieces pieces) { return {pieces.begin(), pieces.size()}; }

}  // namespace

std::size_t HashBytes::hex(char* out) const {
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return 2 * size;
}

std::string HashBytes::hex() const {
  std::string out(2 * size, '\0');
  hex(out.data());
  return out;
}

std::string to_hex(std::span<const unsigned char> bytes) {
  std::string out(2 * bytes.size(), '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return out;
}

HashBytes hash(HashAlgorithm algorithm, std::span<const std::string_view> pieces) {
  auto& d = digests();
  init(d.ctx, d.get(algorithm));
  update(d.ctx, pieces);
  return final(d.ctx);
}

HashBytes hash(HashAlgorithm algorithm, HashPieces pieces) { return hash(algorithm, span_of(pieces)); }

HashBytes hmac(HashAlgorithm algorithm, std::string_view key, std::span<const std::string_view> data) {
  auto& d = digests();
  const EVP_MD* md = d.get(algorithm);
  auto block = key_block(d.ctx, md, key);
  start_pad(d.ctx, md, block, 0x36);
  update(d.ctx, data);
  const auto inner = final(d.ctx);
  start_pad(d.ctx, md, block, 0x5c);
  OPENSSL_cleanse(block.data(), block.size());
  update(d.ctx, inner.bytes.data(), inner.size);
  return final(d.ctx);
}

HashBytes hmac(HashAlgorithm algorithm, std::string_view key, HashPieces data) {
  return hmac(algorithm, key, span_of(data));
}

HmacKey::HmacKey(HashAlgorithm algorithm, std::string_view key)
    : algorithm_(algorithm), inner_(EVP_MD_CTX_new()), outer_(EVP_MD_CTX_new()) {
  if (inner_ == nullptr || outer_ == nullptr) broken();
  auto& d = digests();
  const EVP_MD* md = d.get(algorithm);
  auto block = key_block(d.ctx, md, key);
  start_pad(inner_, md, block, 0x36);
  start_pad(outer_, md, block, 0x5c);
  OPENSSL_cleanse(block.data(), block.size());
}

HmacKey::~HmacKey() {
  EVP_MD_CTX_free(inner_);
  EVP_MD_CTX_free(outer_);
}

HmacKey::HmacKey(HmacKey&& other) noexcept
    : algorithm_(other.algorithm_),
      inner_(std::exchange(other.inner_, nullptr)),
      outer_(std::exchange(other.outer_, nullptr)) {}

HmacKey& HmacKey::operator=(HmacKey&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(inner_);
    EVP_MD_CTX_free(outer_);
    algorithm_ = other.algorithm_;
    inner_ = std::exchange(other.inner_, nullptr);
    outer_ = std::exchange(other.outer_, nullptr);
  }
  return *this;
}

HashBytes HmacKey::mac(std::span<const std::string_view> data) const {
  if (inner_ == nullptr) broken();  // used after a move
  auto* ctx = digests().ctx;
  if (EVP_MD_CTX_copy_ex(ctx, inner_) != 1) broken();
  update(ctx, data);
  const auto inner = final(ctx);
  if (EVP_MD_CTX_copy_ex(ctx, outer_) != 1) broken();
  update(ctx, inner.bytes.data(), inner.size);
  return final(ctx);
}

HashBytes HmacKey::mac(HashPieces data) const { return mac(span_of(data)); }

}  // namespace callwire
