#include "api/digest.hpp"

#include <cstdlib>
#include <string>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace callwire::api {

namespace {

std::string ha1(const EVP_MD* md, std::string_view username, std::string_view realm, std::string_view password) {
  std::string input;
  input.reserve(username.size() + realm.size() + password.size() + 2);
  input.append(username).append(":").append(realm).append(":").append(password);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const bool ok = EVP_Digest(input.data(), input.size(), out, &len, md, nullptr) == 1;
  // The buffer held the cleartext password: wipe it before it is freed.
  OPENSSL_cleanse(input.data(), input.size());
  // Only fails when the digest is unavailable (e.g. MD5 in a FIPS-only
  // build); storing a wrong hash would lock users out silently.
  if (!ok) std::abort();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(len * 2, '0');
  for (unsigned int i = 0; i < len; ++i) {
    hex[2 * i] = kHex[out[i] >> 4];
    hex[2 * i + 1] = kHex[out[i] & 0xf];
  }
  return hex;
}

}  // namespace

std::string ha1_md5(std::string_view username, std::string_view realm, std::string_view password) {
  return ha1(EVP_md5(), username, realm, password);
}

std::string ha1_sha256(std::string_view username, std::string_view realm, std::string_view password) {
  return ha1(EVP_sha256(), username, realm, password);
}

}  // namespace callwire::api
