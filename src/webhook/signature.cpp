#include "webhook/signature.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

namespace callwire::webhook {

namespace {

constexpr std::size_t kSha1Block = 64;
constexpr std::size_t kSha1Size = 20;

// HMAC-SHA1 (RFC 2104) over a digest fetched once per thread: OpenSSL 3's
// one-shot HMAC() fetches the MAC and the digest by name on every call, which
// cost more than the hashing of a webhook's few hundred bytes.
struct Sha1 {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Sha1() {
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
  }
  void init() {
    if (md == nullptr || ctx == nullptr || EVP_DigestInit_ex(ctx, md, nullptr) != 1) std::abort();
  }
  void update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(ctx, data, size) != 1) std::abort();
  }
  void final(unsigned char* out) {
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != kSha1Size) std::abort();
  }
};

std::array<unsigned char, kSha1Size> hmac_sha1(std::string_view key, std::string_view data) {
  thread_local Sha1 sha1;
  std::array<unsigned char, kSha1Block> block{};
  if (key.size() > kSha1Block) {
    sha1.init();
    sha1.update(key.data(), key.size());
    sha1.final(block.data());
  } else {
    std::memcpy(block.data(), key.data(), key.size());
  }
  std::array<unsigned char, kSha1Block> pad;
  for (std::size_t i = 0; i < kSha1Block; ++i) pad[i] = block[i] ^ 0x36;
  std::array<unsigned char, kSha1Size> inner;
  sha1.init();
  sha1.update(pad.data(), pad.size());
  sha1.update(data.data(), data.size());
  sha1.final(inner.data());
  for (std::size_t i = 0; i < kSha1Block; ++i) pad[i] = block[i] ^ 0x5c;
  std::array<unsigned char, kSha1Size> out;
  sha1.init();
  sha1.update(pad.data(), pad.size());
  sha1.update(inner.data(), inner.size());
  sha1.final(out.data());
  return out;
}

}  // namespace

std::string string_to_sign(std::string_view url, const Params& params) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(params.size());
  std::size_t size = url.size();
  for (const auto& p : params) {
    sorted.push_back(&p);
    size += p.first.size() + p.second.size();
  }
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return *a < *b; });
  sorted.erase(std::unique(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return *a == *b; }), sorted.end());

  std::string out;
  out.reserve(size);
  out += url;
  for (const auto* p : sorted) {
    out += p->first;
    out += p->second;
  }
  return out;
}

std::string sign(std::string_view url, const Params& params, std::string_view auth_token) {
  const std::string data = string_to_sign(url, params);
  const auto digest = hmac_sha1(auth_token, data);
  std::string b64(4 * ((digest.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), digest.data(), static_cast<int>(digest.size()));
  b64.resize(static_cast<std::size_t>(n));
  return b64;
}

}  // namespace callwire::webhook
