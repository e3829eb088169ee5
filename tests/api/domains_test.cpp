// SIP Domains over HTTP (contract §2).
#include <regex>

#include "api_fixture.hpp"

namespace callwire::api::test {
namespace {

class Domains : public ApiTest {};

bool is_rfc2822(const nlohmann::json& v) {
  static const std::regex re(R"(^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$)");
  return v.is_string() && std::regex_match(v.get<std::string>(), re);
}

TEST_P(Domains, CreateWithDefaultsHasEveryField) {
  auto r = post(acct() + "/SIP/Domains.json", {{"DomainName", "Acme.sip.localhost"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  const auto& d = r.json;
  const std::string sid = d["sid"];
  EXPECT_TRUE(sid.starts_with("SD") && sid.size() == 34);
  EXPECT_EQ(d["account_sid"], main_auth().sid);
  EXPECT_EQ(d["api_version"], "2010-04-01");
  EXPECT_EQ(d["domain_name"], "acme.sip.localhost");
  EXPECT_EQ(d["friendly_name"], "acme.sip.localhost");
  EXPECT_EQ(d["auth_type"], "");
  EXPECT_TRUE(d["voice_url"].is_null());
  EXPECT_EQ(d["voice_method"], "POST");
  EXPECT_TRUE(d["voice_fallback_url"].is_null());
  EXPECT_EQ(d["voice_fallback_method"], "POST");
  EXPECT_TRUE(d["voice_status_callback_url"].is_null());
  EXPECT_EQ(d["voice_status_callback_method"], "POST");
  EXPECT_EQ(d["sip_registration"], false);
  EXPECT_EQ(d["emergency_calling_enabled"], false);
  EXPECT_EQ(d["secure"], false);
  EXPECT_TRUE(d["byoc_trunk_sid"].is_null());
  EXPECT_TRUE(d["emergency_caller_sid"].is_null());
  EXPECT_TRUE(is_rfc2822(d["date_created"])) << d["date_created"];
  EXPECT_TRUE(is_rfc2822(d["date_updated"]));
  const std::string base = acct() + "/SIP/Domains/" + sid;
  EXPECT_EQ(d["uri"], base + ".json");
  EXPECT_EQ(d["subresource_uris"],
            (nlohmann::json{{"credential_list_mappings", base + "/CredentialListMappings.json"},
                            {"ip_access_control_list_mappings", base + "/IpAccessControlListMappings.json"}}));
  EXPECT_EQ(d.size(), 21u) << d.dump();

  auto f = get(base + ".json");
  ASSERT_EQ(f.status, 200);
  EXPECT_EQ(f.json, d);
}

TEST_P(Domains, CreateWithEveryParameter) {
  const std::string by = "BY0123456789abcdef0123456789abcdef";
  const std::string pn = "PN0123456789ABCDEF0123456789abcdef";
  auto d = create_domain("full.sip.localhost", {{"FriendlyName", "Full PBX"},
                                                {"VoiceUrl", "https://app.example.com/voice?a=1"},
                                                {"VoiceMethod", "get"},
                                                {"VoiceFallbackUrl", "http://fallback.example.com/f"},
                                                {"VoiceFallbackMethod", "Get"},
                                                {"VoiceStatusCallbackUrl", "https://status.example.com/s"},
                                                {"VoiceStatusCallbackMethod", "post"},
                                                {"SipRegistration", "true"},
                                                {"EmergencyCallingEnabled", "True"},
                                                {"Secure", "true"},
                                                {"ByocTrunkSid", by},
                                                {"EmergencyCallerSid", pn},
                                                {"SomethingUnknown", "ignored"}});
  EXPECT_EQ(d["friendly_name"], "Full PBX");
  EXPECT_EQ(d["voice_url"], "https://app.example.com/voice?a=1");
  EXPECT_EQ(d["voice_method"], "GET");
  EXPECT_EQ(d["voice_fallback_url"], "http://fallback.example.com/f");
  EXPECT_EQ(d["voice_fallback_method"], "GET");
  EXPECT_EQ(d["voice_status_callback_url"], "https://status.example.com/s");
  EXPECT_EQ(d["voice_status_callback_method"], "POST");
  EXPECT_EQ(d["sip_registration"], true);
  EXPECT_EQ(d["emergency_calling_enabled"], true);
  EXPECT_EQ(d["secure"], true);
  EXPECT_EQ(d["byoc_trunk_sid"], by);
  EXPECT_EQ(d["emergency_caller_sid"], "PN0123456789abcdef0123456789abcdef");
}

TEST_P(Domains, UpdateChangesOnlyGivenFields) {
  auto d = create_domain("upd.sip.localhost", {{"VoiceUrl", "https://a.example.com/v"}, {"Secure", "true"}});
  const std::string uri = d["uri"];
  auto r = post(uri, {{"FriendlyName", "Renamed"}, {"VoiceMethod", "GET"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["friendly_name"], "Renamed");
  EXPECT_EQ(r.json["voice_method"], "GET");
  EXPECT_EQ(r.json["voice_url"], "https://a.example.com/v");
  EXPECT_EQ(r.json["secure"], true);
  EXPECT_EQ(r.json["date_created"], d["date_created"]);

  // "" clears a URL; the name can change (lower-cased).
  r = post(uri, {{"VoiceUrl", ""}, {"DomainName", "UPD2.sip.localhost"}, {"Secure", "false"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json["voice_url"].is_null());
  EXPECT_EQ(r.json["domain_name"], "upd2.sip.localhost");
  EXPECT_EQ(r.json["secure"], false);
  EXPECT_EQ(get(uri).json, r.json);
  // The old name is free again.
  create_domain("upd.sip.localhost");
}

TEST_P(Domains, DeleteThen404) {
  auto d = create_domain("gone.sip.localhost");
  const std::string uri = d["uri"];
  auto r = del(uri);
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_API_ERROR(get(uri), 404, 20404, "was not found");
  EXPECT_API_ERROR(del(uri), 404, 20404, "was not found");
  EXPECT_API_ERROR(post(uri, {{"FriendlyName", "x"}}), 404, 20404, "was not found");
}

TEST_P(Domains, MalformedSidIs404) {
  EXPECT_API_ERROR(get(acct() + "/SIP/Domains/SDnothex.json"), 404, 20404, "SDnothex");
  EXPECT_API_ERROR(get(acct() + "/SIP/Domains/CL0123456789abcdef0123456789abcdef.json"), 404, 20404, "not found");
}

TEST_P(Domains, UpperCaseHexSidFindsTheDomain) {
  auto d = create_domain("caps.sip.localhost");
  std::string sid = d["sid"];
  std::string upper = sid;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto r = get(acct() + "/SIP/Domains/" + upper + ".json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["sid"], sid);
}

TEST_P(Domains, NameValidation) {
  const std::string path = acct() + "/SIP/Domains.json";
  EXPECT_API_ERROR(post(path, {}), 400, 20001, "Missing required parameter DomainName");
  EXPECT_API_ERROR(post(path, {{"DomainName", "acme.sip.twilio.com"}}), 400, 21231, "must end in");
  EXPECT_API_ERROR(post(path, {{"DomainName", "acme.localhost"}}), 400, 21231, "must end in");
  EXPECT_API_ERROR(post(path, {{"DomainName", "ac_me.sip.localhost"}}), 400, 21231, "letters, digits");
  EXPECT_API_ERROR(post(path, {{"DomainName", "a..b.sip.localhost"}}), 400, 21231, "empty label");
  EXPECT_API_ERROR(post(path, {{"DomainName", std::string(64, 'x') + ".sip.localhost"}}), 400, 21231,
                   "longer than 63");
  EXPECT_API_ERROR(post(path, {{"DomainName", "-x.sip.localhost"}}), 400, 21231, "'-'");
  // Nothing was created along the way.
  EXPECT_EQ(get(path).json["domains"].size(), 0u);
}

TEST_P(Domains, DuplicateAnyCaseIs21232) {
  create_domain("dup.sip.localhost");
  const std::string path = acct() + "/SIP/Domains.json";
  EXPECT_API_ERROR(post(path, {{"DomainName", "DUP.sip.localhost"}}), 400, 21232,
                   "Domain dup.sip.localhost already exists.");
  // Also across accounts.
  auto sub = create_subaccount();
  EXPECT_API_ERROR(post(acct(sub.sid) + "/SIP/Domains.json", {{"DomainName", "dup.sip.localhost"}}, sub), 400, 21232,
                   "already exists");
  // And by renaming another domain onto it.
  auto other = create_domain("other.sip.localhost");
  EXPECT_API_ERROR(post(other["uri"], {{"DomainName", "dup.sip.localhost"}}), 400, 21232, "already exists");
}

TEST_P(Domains, AccountSidIsReserved) {
  auto sub = create_subaccount();
  std::string sub_lower = sub.sid;
  for (auto& c : sub_lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // The main account cannot take the sub-account's reserved name...
  EXPECT_API_ERROR(post(acct() + "/SIP/Domains.json", {{"DomainName", sub.sid + ".sip.localhost"}}), 400, 21232,
                   "already exists");
  // ...nor a name shaped like any other account SID.
  EXPECT_API_ERROR(
      post(acct() + "/SIP/Domains.json", {{"DomainName", "AC00000000000000000000000000000000.sip.localhost"}}), 400,
      21232, "already exists");
  // The owner can.
  auto own = post(acct(sub.sid) + "/SIP/Domains.json", {{"DomainName", sub.sid + ".sip.localhost"}}, sub);
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(own.json["domain_name"], sub_lower + ".sip.localhost");
  auto main_own = create_domain(main_auth().sid + ".sip.localhost");
  EXPECT_EQ(main_own["account_sid"], main_auth().sid);
}

TEST_P(Domains, SubdomainOwnership) {
  const std::string path = acct() + "/SIP/Domains.json";
  // Parent missing.
  EXPECT_API_ERROR(post(path, {{"DomainName", "foo.acme.sip.localhost"}}), 400, 21231,
                   "acme.sip.localhost, which does not exist");
  create_domain("acme.sip.localhost");
  auto foo = create_domain("foo.acme.sip.localhost");
  EXPECT_EQ(foo["domain_name"], "foo.acme.sip.localhost");
  // Deeper: the nearest existing ancestor decides.
  create_domain("a.b.acme.sip.localhost");

  // A sub-account may create subdomains of its main account's domains...
  auto sub = create_subaccount("one");
  auto r = post(acct(sub.sid) + "/SIP/Domains.json", {{"DomainName", "bar.acme.sip.localhost"}}, sub);
  EXPECT_EQ(r.status, 201) << r.body;
  // ...but a sibling's domain belongs to another account.
  auto sibling = create_subaccount("two");
  ASSERT_EQ(post(acct(sibling.sid) + "/SIP/Domains.json", {{"DomainName", "sib.sip.localhost"}}, sibling).status, 201);
  EXPECT_API_ERROR(post(acct(sub.sid) + "/SIP/Domains.json", {{"DomainName", "x.sib.sip.localhost"}}, sub), 400,
                   21231, "belongs to another account");
  // And the main account may not create subdomains of a sub-account's domain.
  EXPECT_API_ERROR(post(path, {{"DomainName", "y.sib.sip.localhost"}}), 400, 21231, "belongs to another account");
  // The sub-account's reserved name works as a parent for the sub-account only.
  r = post(acct(sub.sid) + "/SIP/Domains.json", {{"DomainName", "pbx." + sub.sid + ".sip.localhost"}}, sub);
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_API_ERROR(post(acct(sibling.sid) + "/SIP/Domains.json", {{"DomainName", "pbx2." + sub.sid + ".sip.localhost"}},
                        sibling),
                   400, 21231, "belongs to another account");
}

TEST_P(Domains, ParameterValidation) {
  const std::string path = acct() + "/SIP/Domains.json";
  auto with = [&](http::Params p) {
    p.add("DomainName", "v.sip.localhost");
    return post(path, p);
  };
  EXPECT_API_ERROR(with({{"VoiceUrl", "not a url"}}), 400, 21205, "VoiceUrl");
  EXPECT_API_ERROR(with({{"VoiceUrl", "ftp://example.com/x"}}), 400, 21205, "Invalid URL");
  EXPECT_API_ERROR(with({{"VoiceStatusCallbackUrl", "example.com"}}), 400, 21205, "VoiceStatusCallbackUrl");
  EXPECT_API_ERROR(with({{"VoiceMethod", "PUT"}}), 400, 21209, "VoiceMethod");
  EXPECT_API_ERROR(with({{"VoiceFallbackMethod", "delete"}}), 400, 21209, "VoiceFallbackMethod");
  EXPECT_API_ERROR(with({{"VoiceStatusCallbackMethod", ""}}), 400, 21209, "GET or POST");
  EXPECT_API_ERROR(with({{"VoiceFallbackUrl", "https://fb.example.com"}}), 400, 21405, "VoiceFallbackUrl");
  EXPECT_API_ERROR(with({{"Secure", "yes"}}), 400, 20001, "Secure");
  EXPECT_API_ERROR(with({{"SipRegistration", "1"}}), 400, 20001, "SipRegistration");
  EXPECT_API_ERROR(with({{"FriendlyName", std::string(65, 'f')}}), 400, 20002, "at most 64");
  EXPECT_API_ERROR(with({{"ByocTrunkSid", "TK0123456789abcdef0123456789abcdef"}}), 400, 20001, "ByocTrunkSid");
  EXPECT_API_ERROR(with({{"EmergencyCallerSid", "PN123"}}), 400, 20001, "EmergencyCallerSid");
  EXPECT_EQ(get(path).json["domains"].size(), 0u);

  // On update, clearing VoiceUrl while a fallback stays is refused too.
  auto d = create_domain("v.sip.localhost",
                         {{"VoiceUrl", "https://a.example.com"}, {"VoiceFallbackUrl", "https://b.example.com"}});
  EXPECT_API_ERROR(post(d["uri"], {{"VoiceUrl", ""}}), 400, 21405, "without VoiceUrl");
  auto r = post(d["uri"], {{"VoiceUrl", ""}, {"VoiceFallbackUrl", ""}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(get(d["uri"]).json["voice_url"], nullptr);
}

class DomainsSmallLimit : public ApiTest {
 protected:
  ApiConfig api_config() const override {
    ApiConfig c;
    c.limits.domains_per_account = 2;
    c.sip_domain_base = "example.org";
    return c;
  }
};

TEST_P(DomainsSmallLimit, RefusesBeyondTheLimitAndUsesTheBase) {
  const std::string path = acct() + "/SIP/Domains.json";
  EXPECT_API_ERROR(post(path, {{"DomainName", "a.sip.localhost"}}), 400, 21231, "sip.example.org");
  create_domain("a.sip.example.org");
  create_domain("b.sip.example.org");
  EXPECT_API_ERROR(post(path, {{"DomainName", "c.sip.example.org"}}), 400, 20001, "maximum of 2 SIP domains");
}

CALLWIRE_API_BACKENDS(Domains);
CALLWIRE_API_BACKENDS(DomainsSmallLimit);

}  // namespace
}  // namespace callwire::api::test
