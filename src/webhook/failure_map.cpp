#include "webhook/failure_map.hpp"

#include <curl/curl.h>
#include <openssl/x509_vfy.h>

namespace callwire::webhook::detail {

namespace {
bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
}  // namespace

FailureClass classify_curl_failure(int curl_code, long ssl_verify_result, std::string_view curl_message) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_URL_MALFORMAT:
      return {11100, ""};
    case CURLE_COULDNT_RESOLVE_HOST:
      return {11210, "ct"};
    case CURLE_COULDNT_CONNECT:
      return {11205, "ct"};
    case CURLE_OPERATION_TIMEDOUT:
      // curl names the phase that ran out of time in its message.
      if (starts_with(curl_message, "Resolving timed out")) return {11210, "ct"};
      if (starts_with(curl_message, "Connection timed out") || starts_with(curl_message, "SSL connection timeout")) {
        return {11205, "ct"};
      }
      return {11200, "rt"};
    case CURLE_TOO_MANY_REDIRECTS:
      return {11215, ""};
    case CURLE_FILESIZE_EXCEEDED:
      return {11750, ""};
    case CURLE_PEER_FAILED_VERIFICATION:
      // curl checks the host name itself after OpenSSL verified the chain and
      // then reports only its message ("... does not match target host name",
      // "no alternative certificate subject name matches ...").
      if (curl_message.find("host name") != std::string_view::npos &&
          curl_message.find("match") != std::string_view::npos) {
        return {11236, ""};
      }
      switch (ssl_verify_result) {
        case X509_V_ERR_HOSTNAME_MISMATCH:
        case X509_V_ERR_IP_ADDRESS_MISMATCH:
          return {11236, ""};
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_CERT_UNTRUSTED:
        case X509_V_ERR_CERT_REJECTED:
          return {11237, ""};
        default:  // expired, not yet valid, bad signature, ...
          return {11235, ""};
      }
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return {11220, ""};
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      // The request may have reached the application: only "rt" retries it.
      return {11205, "rt"};
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_PARTIAL_FILE:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_UNSUPPORTED_PROTOCOL:  // e.g. a redirect to ftp://
    case CURLE_RANGE_ERROR:
      return {11206, "rt"};
    default:
      return {11205, ""};
  }
}

FailureClass classify_status(int http_status) {
  if (http_status >= 400 && http_status < 500) return {11200, "4xx"};
  if (http_status >= 500 && http_status < 600) return {11200, "5xx"};
  return {11200, ""};
}

}  // namespace callwire::webhook::detail
