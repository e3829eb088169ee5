#include "core/sid.hpp"
#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

class DomainStoreTest : public StoreTest {};

TEST_P(DomainStoreTest, CreateFetchUpdateDeleteRoundTripsEveryField) {
  const Account& main = main_account();
  Domain d = make_domain(main.sid, "Acme.SIP.localhost");
  d.friendly_name = "Acme PBX";
  d.voice_url = "https://app.example.com/voice";
  d.voice_method = "GET";
  d.voice_fallback_url = "https://app.example.com/fallback";
  d.voice_status_callback_url = std::nullopt;
  d.voice_status_callback_method = "GET";
  d.sip_registration = true;
  d.emergency_calling_enabled = false;
  d.secure = true;
  d.byoc_trunk_sid = "BY" + std::string(32, 'e');
  auto created = ok(store().domains().create(d));
  EXPECT_TRUE(is_sid(created.sid, "SD"));
  EXPECT_EQ(created.domain_name, "acme.sip.localhost");
  EXPECT_EQ(created.account_sid, main.sid);
  EXPECT_GT(created.seq, 0);
  EXPECT_EQ(created.date_created, created.date_updated);
  EXPECT_LE(std::chrono::abs(std::chrono::system_clock::now() - created.date_created), std::chrono::seconds(5));

  auto f = ok(store().domains().fetch(main.sid, created.sid));
  EXPECT_EQ(f.sid, created.sid);
  EXPECT_EQ(f.seq, created.seq);
  EXPECT_EQ(f.domain_name, "acme.sip.localhost");
  EXPECT_EQ(f.friendly_name, "Acme PBX");
  EXPECT_EQ(f.voice_url, d.voice_url);
  EXPECT_EQ(f.voice_method, "GET");
  EXPECT_EQ(f.voice_fallback_url, d.voice_fallback_url);
  EXPECT_EQ(f.voice_fallback_method, "POST");
  EXPECT_EQ(f.voice_status_callback_url, std::nullopt);
  EXPECT_EQ(f.voice_status_callback_method, "GET");
  EXPECT_TRUE(f.sip_registration);
  EXPECT_FALSE(f.emergency_calling_enabled);
  EXPECT_TRUE(f.secure);
  EXPECT_EQ(f.byoc_trunk_sid, d.byoc_trunk_sid);
  EXPECT_EQ(f.emergency_caller_sid, std::nullopt);
  EXPECT_EQ(f.date_created, created.date_created);
  EXPECT_FALSE(f.calls_ip_acl_mapped);
  EXPECT_FALSE(f.calls_credential_list_mapped);

  Domain u = f;
  u.domain_name = "acme2.sip.localhost";
  u.voice_url = std::nullopt;
  u.voice_status_callback_url = "https://app.example.com/status";
  u.sip_registration = false;
  u.emergency_calling_enabled = true;
  u.secure = false;
  u.byoc_trunk_sid = std::nullopt;
  u.emergency_caller_sid = "PN" + std::string(32, '1');
  auto updated = ok(store().domains().update(u));
  EXPECT_EQ(updated.domain_name, "acme2.sip.localhost");
  EXPECT_EQ(updated.voice_url, std::nullopt);
  EXPECT_EQ(updated.voice_status_callback_url, u.voice_status_callback_url);
  EXPECT_FALSE(updated.sip_registration);
  EXPECT_TRUE(updated.emergency_calling_enabled);
  EXPECT_FALSE(updated.secure);
  EXPECT_EQ(updated.byoc_trunk_sid, std::nullopt);
  EXPECT_EQ(updated.emergency_caller_sid, u.emergency_caller_sid);
  EXPECT_EQ(updated.date_created, created.date_created);
  EXPECT_EQ(updated.seq, created.seq);
  EXPECT_EQ(ok(store().domains().fetch(main.sid, created.sid)).domain_name, "acme2.sip.localhost");
  EXPECT_STORE_ERROR(store().domains().find_by_name("acme.sip.localhost"), Errc::NotFound);
  EXPECT_EQ(ok(store().domains().count(main.sid)), 1u);

  ASSERT_STORE_OK(store().domains().remove(main.sid, created.sid));
  EXPECT_STORE_ERROR(store().domains().fetch(main.sid, created.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().domains().remove(main.sid, created.sid), Errc::NotFound);
  EXPECT_STORE_ERROR(store().domains().update(u), Errc::NotFound);
  EXPECT_EQ(ok(store().domains().count(main.sid)), 0u);
}

TEST_P(DomainStoreTest, NamesAreGloballyUniqueAndCaseInsensitive) {
  const Account& main = main_account();
  const Account& sub = sub_account();
  auto a = ok(store().domains().create(make_domain(main.sid, "Demo.sip.localhost")));
  EXPECT_EQ(a.domain_name, "demo.sip.localhost");

  auto found = ok(store().domains().find_by_name("DEMO.SIP.LOCALHOST"));
  EXPECT_EQ(found.sid, a.sid);
  EXPECT_EQ(found.account_sid, main.sid);

  // Same name in any case, from any account: Conflict naming the domain.
  auto taken = store().domains().create(make_domain(sub.sid, "demo.SIP.localhost"));
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, make_error_code(Errc::Conflict));
  EXPECT_NE(taken.error().detail.find("demo.sip.localhost"), std::string::npos) << taken.error().detail;
  EXPECT_STORE_ERROR(store().domains().create(make_domain(main.sid, "demo.sip.localhost")), Errc::Conflict);

  // Renaming onto a taken name conflicts; keeping one's own name does not.
  auto b = ok(store().domains().create(make_domain(sub.sid, "other.sip.localhost")));
  Domain rename = b;
  rename.domain_name = "DEMO.sip.localhost";
  EXPECT_STORE_ERROR(store().domains().update(rename), Errc::Conflict);
  rename.domain_name = "Other.sip.localhost";
  rename.friendly_name = "still mine";
  EXPECT_EQ(ok(store().domains().update(rename)).friendly_name, "still mine");

  // A freed name can be taken again.
  ASSERT_STORE_OK(store().domains().remove(main.sid, a.sid));
  EXPECT_EQ(ok(store().domains().create(make_domain(sub.sid, "demo.sip.localhost"))).account_sid, sub.sid);
}

TEST_P(DomainStoreTest, AnotherAccountsDomainIsNotFound) {
  const Account& main = main_account();
  const Account& sub = sub_account();
  auto mine = ok(store().domains().create(make_domain(sub.sid, "sub.sip.localhost")));
  // Even the main account must name the owning account to reach it.
  EXPECT_STORE_ERROR(store().domains().fetch(main.sid, mine.sid), Errc::NotFound);
  Domain hijack = mine;
  hijack.account_sid = main.sid;
  hijack.friendly_name = "hijacked";
  EXPECT_STORE_ERROR(store().domains().update(hijack), Errc::NotFound);
  // NotFound, not Conflict, even when the new name is taken.
  auto theirs = ok(store().domains().create(make_domain(main.sid, "main.sip.localhost")));
  Domain probe = theirs;
  probe.account_sid = sub.sid;
  probe.domain_name = "sub.sip.localhost";
  EXPECT_STORE_ERROR(store().domains().update(probe), Errc::NotFound);
  EXPECT_STORE_ERROR(store().domains().remove(main.sid, mine.sid), Errc::NotFound);
  EXPECT_EQ(ok(store().domains().fetch(sub.sid, mine.sid)).friendly_name, "sub.sip.localhost");
  EXPECT_EQ(ok(store().domains().count(sub.sid)), 1u);
  auto listed = ok(store().domains().list(main.sid, {}));
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_EQ(listed.items[0].sid, theirs.sid);
}

TEST_P(DomainStoreTest, CreateForAMissingAccountIsForeignKey) {
  EXPECT_STORE_ERROR(store().domains().create(make_domain("AC" + std::string(32, '4'), "x.sip.localhost")),
                     Errc::ForeignKey);
}

TEST_P(DomainStoreTest, CallerGivenSidIsKept) {
  Domain d = make_domain(main_account().sid, "given.sip.localhost");
  d.sid = "SD" + std::string(32, 'd');
  EXPECT_EQ(ok(store().domains().create(d)).sid, d.sid);
  d.domain_name = "given2.sip.localhost";
  EXPECT_STORE_ERROR(store().domains().create(d), Errc::Conflict);
}

CALLWIRE_STORE_BACKENDS(DomainStoreTest);

}  // namespace
}  // namespace callwire::store::test
