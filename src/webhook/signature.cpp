#include "webhook/signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

namespace callwire::webhook {

std::string string_to_sign(std::string_view url, const Params& params) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(params.size());
  for (const auto& p : params) sorted.push_back(&p);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return *a < *b; });
  sorted.erase(std::unique(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return *a == *b; }), sorted.end());

  std::string out(url);
  for (const auto* p : sorted) {
    out += p->first;
    out += p->second;
  }
  return out;
}

std::string sign(std::string_view url, const Params& params, std::string_view auth_token) {
  const std::string data = string_to_sign(url, params);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &digest_len);
  std::string b64(4 * ((digest_len + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), digest, static_cast<int>(digest_len));
  b64.resize(static_cast<std::size_t>(n));
  return b64;
}

}  // namespace callwire::webhook
