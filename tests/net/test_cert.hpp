#pragma once
// A throw-away self-signed certificate (EC P-256, SAN 127.0.0.1, ::1 and
// localhost) written as PEM files into a fresh temporary folder, which is
// removed again with the object.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace callwire::test {

class TestCert {
 public:
  explicit TestCert(const std::string& common_name = "callwire-test") {
    char pattern[] = "/tmp/callwire-cert-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp");
    dir_ = pattern;
    cert_file = (dir_ / "cert.pem").string();
    key_file = (dir_ / "key.pem").string();

    EVP_PKEY* key = EVP_EC_gen("P-256");
    if (!key) throw std::runtime_error("EVP_EC_gen");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
    X509_set_pubkey(x, key);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                               -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    add_ext(x, &ctx, NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost");
    add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE");
    if (X509_sign(x, key, EVP_sha256()) == 0) throw std::runtime_error("X509_sign");

    FILE* f = std::fopen(cert_file.c_str(), "w");
    PEM_write_X509(f, x);
    std::fclose(f);
    f = std::fopen(key_file.c_str(), "w");
    PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(x);
    EVP_PKEY_free(key);
  }
  ~TestCert() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestCert(const TestCert&) = delete;
  TestCert& operator=(const TestCert&) = delete;

  std::string cert_file, key_file;

 private:
  static void add_ext(X509* x, X509V3_CTX* ctx, int nid, const char* value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
    if (!ext) throw std::runtime_error("X509V3_EXT_conf_nid");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  std::filesystem::path dir_;
};

}  // namespace callwire::test
