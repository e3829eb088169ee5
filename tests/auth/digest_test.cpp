#include "auth/digest.hpp"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>
#include <openssl/evp.h>

namespace callwire::auth {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

const std::string kRealm = "sip.example.com";
const std::string kRuri = "sip:+14155550100@acme.sip.example.com";
const Clock::time_point kNow = Clock::time_point{} + 1'700'000'000s;

// Independent of the library's hashing: straight EVP.
std::string hex(const EVP_MD* md, std::string_view s) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), out, &len, md, nullptr);
  std::string r;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", out[i]);
    r += buf;
  }
  return r;
}

struct Answer {
  const EVP_MD* md = EVP_md5();
  std::string ha1, nonce, method = "INVITE", uri = kRuri, qop = "auth", nc = "00000001", cnonce = "0a4f113b";
};

std::string response(const Answer& a) {
  std::string ha2 = hex(a.md, a.method + ":" + a.uri);
  if (a.qop.empty()) return hex(a.md, a.ha1 + ":" + a.nonce + ":" + ha2);
  return hex(a.md, a.ha1 + ":" + a.nonce + ":" + a.nc + ":" + a.cnonce + ":" + a.qop + ":" + ha2);
}

TEST(DigestVectors, Rfc2617Section3_5) {
  Answer a;
  a.ha1 = hex(EVP_md5(), "Mufasa:testrealm@host.com:Circle Of Life");
  a.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  a.method = "GET";
  a.uri = "/dir/index.html";
  EXPECT_EQ(response(a), "6629fae49393a05397450978507c4ef1");
  EXPECT_EQ(hash_hex(DigestAlgorithm::Md5, "Mufasa:testrealm@host.com:Circle Of Life"), a.ha1);
}

TEST(DigestVectors, Rfc7616Section3_9_1) {
  Answer a;
  a.nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  a.cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  a.method = "GET";
  a.uri = "/dir/index.html";
  a.ha1 = hash_hex(DigestAlgorithm::Md5, "Mufasa:http-auth@example.org:Circle of Life");
  EXPECT_EQ(response(a), "8ca523f5e9506fed4657c9700eebdbec");
  a.md = EVP_sha256();
  a.ha1 = hash_hex(DigestAlgorithm::Sha256, "Mufasa:http-auth@example.org:Circle of Life");
  EXPECT_EQ(response(a), "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

std::string param(std::string_view challenge, std::string_view name) {
  auto at = challenge.find(std::string(name) + "=\"");
  if (at == std::string_view::npos) return {};
  at += name.size() + 2;
  return std::string(challenge.substr(at, challenge.find('"', at) - at));
}

sip::Message invite(const std::vector<std::string>& auth_headers, std::string ruri = kRuri,
                    std::string header_name = "Proxy-Authorization") {
  std::string m = "INVITE " + ruri + " SIP/2.0\r\n"
                  "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1\r\n"
                  "Max-Forwards: 70\r\n"
                  "From: <sip:alice@192.0.2.1>;tag=1\r\n"
                  "To: <" + kRuri + ">\r\n"
                  "Call-ID: c1@192.0.2.1\r\n"
                  "CSeq: 2 INVITE\r\n";
  for (const auto& h : auth_headers) m += header_name + ": " + h + "\r\n";
  m += "Content-Length: 0\r\n\r\n";
  auto parsed = sip::Message::parse(m);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().what());
  return std::move(*parsed);
}

class DigestTest : public ::testing::Test {
 protected:
  DigestConfig config() {
    DigestConfig c;
    c.realm = kRealm;
    c.secret = "0123456789abcdef0123456789abcdef";
    return c;
  }
  DigestAuthenticator auth{config()};
  std::vector<store::DigestUser> users{
      {"alice", hex(EVP_md5(), "alice:" + kRealm + ":Secret-Pass-123"),
       hex(EVP_sha256(), "alice:" + kRealm + ":Secret-Pass-123"), "CL1"},
      {"bob", hex(EVP_md5(), "bob:" + kRealm + ":Other-Pass-456"), "", "CL2"},
  };

  std::string nonce_for(std::string_view ip, Clock::time_point at = kNow) {
    return param(auth.challenges(ip, false, at).back(), "nonce");
  }

  // A complete Proxy-Authorization value answering with `a`.
  std::string header(const Answer& a, std::string_view user = "alice", std::string_view extra = "") {
    std::string h = "Digest username=\"" + std::string(user) + "\", realm=\"" + kRealm + "\", nonce=\"" + a.nonce +
                    "\", uri=\"" + a.uri + "\", response=\"" + response(a) + "\", opaque=\"" +
                    std::string(auth.opaque()) + "\"";
    if (a.md == EVP_sha256()) h += ", algorithm=SHA-256";
    if (!a.qop.empty()) h += ", qop=" + a.qop + ", nc=" + a.nc + ", cnonce=\"" + a.cnonce + "\"";
    h += extra;
    return h;
  }
  Answer answer(std::string_view password, std::string_view ip = "192.0.2.1", std::string user = "alice") {
    Answer a;
    a.ha1 = hex(EVP_md5(), user + ":" + kRealm + ":" + std::string(password));
    a.nonce = nonce_for(ip);
    return a;
  }
  DigestCheck check(const std::string& h, std::string_view ip = "192.0.2.1", Clock::time_point at = kNow,
                    std::string ruri = kRuri) {
    return auth.verify(invite({h}, ruri), "Proxy-Authorization", ip, users, at);
  }
};

TEST_F(DigestTest, ChallengeFormat) {
  auto c = auth.challenges("192.0.2.1", false, kNow);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_TRUE(c[0].starts_with("Digest realm=\"sip.example.com\", nonce=\"")) << c[0];
  EXPECT_NE(c[0].find("qop=\"auth\""), std::string::npos);
  EXPECT_EQ(param(c[0], "opaque"), auth.opaque());
  EXPECT_EQ(c[0].find("algorithm"), std::string::npos);
  EXPECT_EQ(c[0].find("stale"), std::string::npos);
  EXPECT_EQ(param(c[0], "nonce").size(), 40u);
  // The nonce is bound to time and source.
  EXPECT_NE(nonce_for("192.0.2.1"), nonce_for("192.0.2.2"));
  EXPECT_NE(nonce_for("192.0.2.1"), nonce_for("192.0.2.1", kNow + 1s));
  // Every challenge gets its own nonce, even for one source within one second.
  EXPECT_NE(nonce_for("192.0.2.1"), nonce_for("192.0.2.1"));

  auto stale = auth.challenges("192.0.2.1", true, kNow);
  EXPECT_TRUE(stale[0].ends_with(", stale=true"));

  auto cfg = config();
  cfg.offer_sha256 = true;
  DigestAuthenticator both(cfg);
  auto two = both.challenges("192.0.2.1", false, kNow);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_NE(two[0].find(", algorithm=SHA-256"), std::string::npos);
  EXPECT_EQ(two[1].find("algorithm"), std::string::npos);
  EXPECT_EQ(param(two[0], "nonce"), param(two[1], "nonce"));
}

TEST_F(DigestTest, Md5QopAuthIsOk) {
  auto r = check(header(answer("Secret-Pass-123")));
  EXPECT_EQ(r.verdict, DigestVerdict::Ok) << r.detail;
  EXPECT_EQ(r.username, "alice");
  EXPECT_EQ(r.credential_list_sid, "CL1");
}

TEST_F(DigestTest, Sha256QopAuthIsOk) {
  Answer a = answer("");
  a.md = EVP_sha256();
  a.ha1 = hex(EVP_sha256(), "alice:" + kRealm + ":Secret-Pass-123");
  auto r = check(header(a));
  EXPECT_EQ(r.verdict, DigestVerdict::Ok) << r.detail;
  // bob has no SHA-256 hash stored.
  Answer b = answer("", "192.0.2.1", "bob");
  b.md = EVP_sha256();
  b.ha1 = hex(EVP_sha256(), "bob:" + kRealm + ":Other-Pass-456");
  EXPECT_EQ(check(header(b, "bob")).verdict, DigestVerdict::UnknownUser);
}

TEST_F(DigestTest, SessVariantsAreOk) {
  Answer a = answer("Secret-Pass-123");
  Answer s = a;
  s.ha1 = hex(EVP_md5(), a.ha1 + ":" + a.nonce + ":" + a.cnonce);
  std::string h = header(s);
  h += ", algorithm=MD5-sess";
  EXPECT_EQ(check(h).verdict, DigestVerdict::Ok);
}

TEST_F(DigestTest, Rfc2069StyleIsSingleUse) {
  Answer a = answer("Secret-Pass-123");
  a.qop.clear();
  auto h = header(a);
  EXPECT_EQ(check(h).verdict, DigestVerdict::Ok);
  EXPECT_EQ(check(h).verdict, DigestVerdict::Replay);
}

TEST_F(DigestTest, NonceCountMustIncrease) {
  Answer a = answer("Secret-Pass-123");
  EXPECT_EQ(check(header(a)).verdict, DigestVerdict::Ok);
  EXPECT_EQ(check(header(a)).verdict, DigestVerdict::Replay);
  a.nc = "00000002";
  EXPECT_EQ(check(header(a)).verdict, DigestVerdict::Ok);
  a.nc = "0000000A";  // hex, either case
  EXPECT_EQ(check(header(a)).verdict, DigestVerdict::Ok);
  a.nc = "00000009";
  EXPECT_EQ(check(header(a)).verdict, DigestVerdict::Replay);
  // A qop-less reuse of a counted nonce is a replay too.
  a.qop.clear();
  EXPECT_EQ(check(header(a)).verdict, DigestVerdict::Replay);
}

TEST_F(DigestTest, WrongPasswordUnknownUserWrongRealm) {
  EXPECT_EQ(check(header(answer("wrong"))).verdict, DigestVerdict::WrongPassword);
  auto r = check(header(answer("Secret-Pass-123", "192.0.2.1", "mallory"), "mallory"));
  EXPECT_EQ(r.verdict, DigestVerdict::UnknownUser);
  EXPECT_EQ(r.username, "mallory");
  // Usernames are case-sensitive.
  EXPECT_EQ(check(header(answer("Secret-Pass-123"), "Alice")).verdict, DigestVerdict::UnknownUser);

  std::string other = "Digest username=\"alice\", realm=\"sip.twilio.com\", nonce=\"n\", uri=\"" + kRuri +
                      "\", response=\"00\"";
  EXPECT_EQ(check(other).verdict, DigestVerdict::WrongRealm);
  // The header for our realm counts when several are sent.
  auto msg = invite({other, header(answer("Secret-Pass-123"))});
  EXPECT_EQ(auth.verify(msg, "Proxy-Authorization", "192.0.2.1", users, kNow).verdict, DigestVerdict::Ok);
}

TEST_F(DigestTest, SameUsernameInTwoListsTriesBoth) {
  users.push_back({"alice", hex(EVP_md5(), "alice:" + kRealm + ":Second-Pass-789"), "", "CL9"});
  auto r = check(header(answer("Second-Pass-789")));
  EXPECT_EQ(r.verdict, DigestVerdict::Ok);
  EXPECT_EQ(r.credential_list_sid, "CL9");
}

TEST_F(DigestTest, ExpiredNonceIsStale) {
  auto h = header(answer("Secret-Pass-123"));
  EXPECT_EQ(check(h, "192.0.2.1", kNow + 301s).verdict, DigestVerdict::Stale);
  EXPECT_EQ(check(h, "192.0.2.1", kNow + 300s).verdict, DigestVerdict::Ok);
  // A wrong password with an expired nonce is still a wrong password.
  EXPECT_EQ(check(header(answer("nope")), "192.0.2.1", kNow + 1h).verdict, DigestVerdict::WrongPassword);
}

TEST_F(DigestTest, NonceFromAnotherSourceOrForgedNeverAuthenticates) {
  auto h = header(answer("Secret-Pass-123", "192.0.2.1"));
  EXPECT_EQ(check(h, "192.0.2.99").verdict, DigestVerdict::Stale);
  EXPECT_EQ(check(header(answer("bad", "192.0.2.1")), "192.0.2.99").verdict, DigestVerdict::WrongPassword);

  // Forged: right shape, wrong MAC; another secret; not our shape at all.
  for (std::string nonce : {std::string(40, 'A'), std::string("garbage"), std::string()}) {
    Answer a = answer("Secret-Pass-123");
    a.nonce = nonce;
    EXPECT_EQ(check(header(a)).verdict, DigestVerdict::Stale) << nonce;
  }
  auto cfg = config();
  cfg.secret = "another secret";
  DigestAuthenticator other(cfg);
  Answer a = answer("Secret-Pass-123");
  a.nonce = param(other.challenges("192.0.2.1", false, kNow)[0], "nonce");
  EXPECT_EQ(check(header(a)).verdict, DigestVerdict::Stale);
  // A tampered timestamp (first character) breaks the MAC.
  Answer t = answer("Secret-Pass-123");
  t.nonce[0] = t.nonce[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(check(header(t)).verdict, DigestVerdict::Stale);
}

TEST_F(DigestTest, ForeignOpaqueIsStale) {
  Answer a = answer("Secret-Pass-123");
  std::string h = header(a);
  auto at = h.find(std::string(auth.opaque()));
  h.replace(at, auth.opaque().size(), "not-ours");
  EXPECT_EQ(check(h).verdict, DigestVerdict::Stale);
}

TEST_F(DigestTest, UriMustNameTheRequestUri) {
  Answer a = answer("Secret-Pass-123");
  a.uri = "sip:+14155550199@acme.sip.example.com";
  auto r = check(header(a));
  EXPECT_EQ(r.verdict, DigestVerdict::Malformed);
  EXPECT_NE(r.detail.find("uri"), std::string::npos);
  a.uri = "sip:+14155550100@other.sip.example.com";
  EXPECT_EQ(check(header(a)).verdict, DigestVerdict::Malformed);
  a.uri = "sip:+14155550100@acme.sip.example.com:5070";
  EXPECT_EQ(check(header(a)).verdict, DigestVerdict::Malformed);
  // Equivalent spellings pass: host case, default port, URI parameters.
  int nc = 1;
  for (std::string uri : {"sip:+14155550100@ACME.sip.example.com", "sip:+14155550100@acme.sip.example.com:5060",
                          "sip:+14155550100@acme.sip.example.com;transport=udp"}) {
    Answer b = answer("Secret-Pass-123");
    b.uri = uri;
    b.nc = "0000000" + std::to_string(nc++);
    EXPECT_EQ(check(header(b)).verdict, DigestVerdict::Ok) << uri;
  }
  // The Request-URI carries parameters the digest uri lacks.
  Answer c = answer("Secret-Pass-123");
  c.nc = "00000009";
  EXPECT_EQ(check(header(c), "192.0.2.1", kNow, kRuri + ";user=phone").verdict, DigestVerdict::Ok);
}

TEST_F(DigestTest, MissingAndAuthorizationFlow) {
  EXPECT_EQ(auth.verify(invite({}), "Proxy-Authorization", "192.0.2.1", users, kNow).verdict, DigestVerdict::Missing);
  auto msg = invite({header(answer("Secret-Pass-123"))}, kRuri, "Authorization");
  EXPECT_EQ(auth.verify(msg, "Proxy-Authorization", "192.0.2.1", users, kNow).verdict, DigestVerdict::Missing);
  EXPECT_EQ(auth.verify(msg, "authorization", "192.0.2.1", users, kNow).verdict, DigestVerdict::Ok);
}

TEST_F(DigestTest, UppercaseResponseHexIsAccepted) {
  Answer a = answer("Secret-Pass-123");
  std::string h = header(a);
  std::string resp = response(a);
  std::string upper = resp;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  h.replace(h.find(resp), resp.size(), upper);
  EXPECT_EQ(check(h).verdict, DigestVerdict::Ok);
}

TEST_F(DigestTest, MalformedCredentialsNeverCrash) {
  Answer a = answer("Secret-Pass-123");
  const std::string good = header(a);
  struct Case {
    std::string header;
    DigestVerdict verdict;
  };
  std::vector<Case> cases = {
      {"Basic YWxpY2U6cHc=", DigestVerdict::Malformed},
      {"Digest", DigestVerdict::Malformed},
      {"Digest username=\"alice\"", DigestVerdict::Malformed},
      {"Digest realm=\"" + kRealm + "\", nonce=\"x\", uri=\"" + kRuri + "\", response=\"y\"", DigestVerdict::Malformed},
      {good + ", username=\"bob\"", DigestVerdict::Malformed},
      {good.substr(0, good.size() - 3), DigestVerdict::Malformed},
  };
  for (std::string bad : {"auth-int", "auth,auth-int", "token"}) {
    Answer b = a;
    b.qop = bad;
    cases.push_back({header(b), DigestVerdict::Malformed});
  }
  for (std::string bad : {"0000001", "000000001", "zzzzzzzz", "00000000", "-0000001"}) {
    Answer b = a;
    b.nc = bad;
    cases.push_back({header(b), DigestVerdict::Malformed});
  }
  cases.push_back({good + ", algorithm=SHA-512-256", DigestVerdict::Malformed});
  for (const auto& c : cases) {
    auto r = check(c.header);
    EXPECT_EQ(r.verdict, c.verdict) << c.header << " → " << to_string(r.verdict) << ": " << r.detail;
    EXPECT_FALSE(r.detail.empty());
  }
  // Every truncation of a good header: never Ok unless whole, never a crash.
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_NE(check(good.substr(0, n)).verdict, DigestVerdict::Ok) << n;
  }
}

TEST_F(DigestTest, ManyCallsFromOneSourceInOneSecondEachAuthenticate) {
  // A PBX placing several calls per second: each call is challenged, each
  // answers its own nonce with nc=00000001, and none is taken for a replay.
  for (int call = 0; call < 20; ++call) {
    auto r = check(header(answer("Secret-Pass-123")));
    EXPECT_EQ(r.verdict, DigestVerdict::Ok) << "call " << call << ": " << r.detail;
  }
}

TEST_F(DigestTest, ConcurrentReplaysAdmitExactlyOne) {
  Answer a = answer("Secret-Pass-123");
  const std::string h = header(a);
  std::atomic<int> ok{0}, replay{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto v = check(h).verdict;
        if (v == DigestVerdict::Ok) ++ok;
        if (v == DigestVerdict::Replay) ++replay;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(replay.load(), 399);
}

TEST_F(DigestTest, NonceTableIsBounded) {
  auto cfg = config();
  cfg.max_tracked_nonces = 16;  // one per shard
  DigestAuthenticator small(cfg);
  std::vector<Answer> answers;
  for (int i = 0; i < 200; ++i) {
    Answer a = answer("Secret-Pass-123");
    a.nonce = param(small.challenges("192.0.2.1", false, kNow + std::chrono::seconds(i)).back(), "nonce");
    answers.push_back(a);
  }
  const auto at = kNow + 200s;
  for (auto& a : answers) {
    ASSERT_EQ(small.verify(invite({header(a)}), "Proxy-Authorization", "192.0.2.1", users, at).verdict,
              DigestVerdict::Ok);
  }
  // The first nonces were forgotten: a later count is stale (re-challenge),
  // never Ok, since their history is gone.
  int stale = 0;
  for (int i = 0; i < 50; ++i) {
    Answer a = answers[i];
    a.nc = "00000002";
    auto v = small.verify(invite({header(a)}), "Proxy-Authorization", "192.0.2.1", users, at).verdict;
    EXPECT_TRUE(v == DigestVerdict::Stale || v == DigestVerdict::Ok);
    stale += v == DigestVerdict::Stale;
  }
  EXPECT_GT(stale, 40);
}

}  // namespace
}  // namespace callwire::auth
