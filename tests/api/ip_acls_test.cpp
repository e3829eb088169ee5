// IP access control lists and addresses (contract §4).
#include "api_fixture.hpp"

namespace callwire::api::test {
namespace {

class IpAcls : public ApiTest {};

TEST_P(IpAcls, AclCrud) {
  const std::string path = acct() + "/SIP/IpAccessControlLists.json";
  EXPECT_API_ERROR(post(path, {}), 400, 20001, "Missing required parameter FriendlyName");
  EXPECT_API_ERROR(post(path, {{"FriendlyName", std::string(256, 'x')}}), 400, 20002, "at most 255");

  auto r = post(path, {{"FriendlyName", std::string(255, 'y')}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string sid = r.json["sid"];
  EXPECT_TRUE(sid.starts_with("AL") && sid.size() == 34);
  const std::string base = acct() + "/SIP/IpAccessControlLists/" + sid;
  EXPECT_EQ(r.json["account_sid"], main_auth().sid);
  EXPECT_EQ(r.json["uri"], base + ".json");
  EXPECT_EQ(r.json["subresource_uris"], (nlohmann::json{{"ip_addresses", base + "/IpAddresses.json"}}));
  EXPECT_EQ(r.json.size(), 7u) << r.body;

  EXPECT_EQ(get(base + ".json").json, r.json);
  EXPECT_EQ(get(path).json["ip_access_control_lists"][0], r.json);
  auto u = post(base + ".json", {{"FriendlyName", "Carrier"}});
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.json["friendly_name"], "Carrier");
  EXPECT_API_ERROR(post(base + ".json", {{"FriendlyName", ""}}), 400, 20001, "FriendlyName");
  EXPECT_EQ(del(base + ".json").status, 204);
  EXPECT_API_ERROR(get(base + ".json"), 404, 20404, "not found");
}

TEST_P(IpAcls, AddressCrud) {
  auto acl = create_acl();
  const std::string acl_sid = acl["sid"];
  const std::string path = acct() + "/SIP/IpAccessControlLists/" + acl_sid + "/IpAddresses.json";
  auto r = post(path, {{"FriendlyName", "Carrier A"}, {"IpAddress", "192.0.2.10"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string sid = r.json["sid"];
  EXPECT_TRUE(sid.starts_with("IP") && sid.size() == 34);
  const std::string uri = acct() + "/SIP/IpAccessControlLists/" + acl_sid + "/IpAddresses/" + sid + ".json";
  EXPECT_EQ(r.json["account_sid"], main_auth().sid);
  EXPECT_EQ(r.json["ip_access_control_list_sid"], acl_sid);
  EXPECT_EQ(r.json["friendly_name"], "Carrier A");
  EXPECT_EQ(r.json["ip_address"], "192.0.2.10");
  EXPECT_EQ(r.json["cidr_prefix_length"], 0);  // 0 = this single address
  EXPECT_EQ(r.json["uri"], uri);
  EXPECT_EQ(r.json.size(), 9u) << r.body;
  EXPECT_EQ(get(uri).json, r.json);
  EXPECT_EQ(get(path).json["ip_addresses"][0], r.json);

  auto u = post(uri, {{"CidrPrefixLength", "24"}});
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.json["cidr_prefix_length"], 24);
  EXPECT_EQ(u.json["ip_address"], "192.0.2.10");
  EXPECT_EQ(u.json["friendly_name"], "Carrier A");
  u = post(uri, {{"IpAddress", "2001:DB8::10"}, {"CidrPrefixLength", "64"}, {"FriendlyName", "v6"}});
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.json["ip_address"], "2001:db8::10");
  EXPECT_EQ(u.json["cidr_prefix_length"], 64);
  // Back to IPv4 with /64 still set: the combination is refused.
  EXPECT_API_ERROR(post(uri, {{"IpAddress", "192.0.2.1"}}), 400, 20001, "0 to 32");

  EXPECT_EQ(del(uri).status, 204);
  EXPECT_API_ERROR(get(uri), 404, 20404, "not found");
}

TEST_P(IpAcls, AddressValidation) {
  auto acl = create_acl();
  const std::string path = acct() + "/SIP/IpAccessControlLists/" + acl["sid"].get<std::string>() + "/IpAddresses.json";
  auto add = [&](const std::string& ip, const std::string& cidr = "") {
    http::Params p{{"FriendlyName", "x"}, {"IpAddress", ip}};
    if (!cidr.empty()) p.add("CidrPrefixLength", cidr);
    return post(path, p);
  };
  EXPECT_API_ERROR(post(path, {{"IpAddress", "192.0.2.1"}}), 400, 20001, "Missing required parameter FriendlyName");
  EXPECT_API_ERROR(post(path, {{"FriendlyName", "x"}}), 400, 20001, "Missing required parameter IpAddress");
  EXPECT_API_ERROR(add("192.0.2.*"), 400, 20001, "wildcards and ranges are not accepted");
  EXPECT_API_ERROR(add("192.0.2.0/24"), 400, 20001, "CidrPrefixLength");
  EXPECT_API_ERROR(add("192.0.2.1-192.0.2.5"), 400, 20001, "ranges");
  EXPECT_API_ERROR(add("192.0.2"), 400, 20001, "not a full IPv4");
  EXPECT_API_ERROR(add("300.0.0.1"), 400, 20001, "not a full IPv4");
  EXPECT_API_ERROR(add("example.com"), 400, 20001, "IpAddress");
  EXPECT_API_ERROR(add("192.0.2.1", "33"), 400, 20001, "0 to 32");
  EXPECT_API_ERROR(add("192.0.2.1", "-1"), 400, 20001, "CidrPrefixLength");
  EXPECT_API_ERROR(add("192.0.2.1", "abc"), 400, 20001, "CidrPrefixLength");
  EXPECT_API_ERROR(add("2001:db8::1", "129"), 400, 20001, "0 to 128");
  EXPECT_EQ(get(path).json["ip_addresses"].size(), 0u);

  EXPECT_EQ(add("10.0.0.0", "8").json["cidr_prefix_length"], 8);
  EXPECT_EQ(add("10.0.0.1", "32").status, 201);
  EXPECT_EQ(add("::1", "128").status, 201);
  EXPECT_EQ(add("2001:db8::", "0").status, 201);
}

TEST_P(IpAcls, AddressesOfUnknownAclAre404) {
  const std::string missing = acct() + "/SIP/IpAccessControlLists/AL00000000000000000000000000000000";
  EXPECT_API_ERROR(get(missing + "/IpAddresses.json"), 404, 20404, "not found");
  EXPECT_API_ERROR(post(missing + "/IpAddresses.json", {{"FriendlyName", "x"}, {"IpAddress", "192.0.2.1"}}), 404,
                   20404, "not found");
}

TEST_P(IpAcls, DeletingAnAclDeletesItsAddresses) {
  auto acl = create_acl();
  auto ip = create_ip(acl["sid"], "198.51.100.7");
  EXPECT_EQ(del(acl["uri"]).status, 204);
  EXPECT_API_ERROR(get(ip["uri"]), 404, 20404, "not found");
}

class IpAclsSmallLimit : public ApiTest {
 protected:
  ApiConfig api_config() const override {
    ApiConfig c;
    c.limits.ip_access_control_lists_per_account = 1;
    c.limits.ip_addresses_per_list = 2;
    return c;
  }
};

TEST_P(IpAclsSmallLimit, Limits) {
  auto acl = create_acl();
  EXPECT_API_ERROR(post(acct() + "/SIP/IpAccessControlLists.json", {{"FriendlyName", "two"}}), 400, 20001,
                   "maximum of 1 IP access control lists");
  create_ip(acl["sid"], "192.0.2.1");
  create_ip(acl["sid"], "192.0.2.2");
  EXPECT_API_ERROR(post(acct() + "/SIP/IpAccessControlLists/" + acl["sid"].get<std::string>() + "/IpAddresses.json",
                        {{"FriendlyName", "3"}, {"IpAddress", "192.0.2.3"}}),
                   400, 20001, "maximum of 2 addresses");
}

CALLWIRE_API_BACKENDS(IpAcls);
CALLWIRE_API_BACKENDS(IpAclsSmallLimit);

}  // namespace
}  // namespace callwire::api::test
