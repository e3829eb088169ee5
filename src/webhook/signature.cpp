#include "webhook/signature.hpp"

#include <openssl/evp.h>

#include <algorithm>

#include "core/digest_hash.hpp"

namespace callwire::webhook {

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
  const auto digest = hmac(HashAlgorithm::Sha1, auth_token, {data});
  std::string b64(4 * ((digest.size + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), digest.bytes.data(), static_cast<int>(digest.size));
  b64.resize(static_cast<std::size_t>(n));
  return b64;
}

}  // namespace callwire::webhook
