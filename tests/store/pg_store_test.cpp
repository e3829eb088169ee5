// PostgreSQL-only behaviour: surviving server-side connection loss.
#include "pg_server.hpp"
#include "store_fixture.hpp"

namespace callwire::store::test {
namespace {

class PgStoreTest : public StoreTest {};

TEST_P(PgStoreTest, RecoversWhenTheServerDropsEveryConnection) {
  const Account& main = main_account();
  auto d = ok(store().domains().create(make_domain(main.sid, "pg.sip.localhost")));
  ASSERT_STORE_OK(store().domains().fetch(main.sid, d.sid));
  // What a server restart or failover does to the pool: every backend of
  // this store is gone.
  ASSERT_STORE_OK(pg_admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" +
                           schema_ + "'"));
  // Reads and writes go on, on fresh connections, without an error.
  EXPECT_EQ(ok(store().domains().fetch(main.sid, d.sid)).domain_name, "pg.sip.localhost");
  ASSERT_STORE_OK(store().domains().create(make_domain(main.sid, "pg2.sip.localhost")));
  auto auth = ok(store().domain_auth("pg2.sip.localhost"));
  EXPECT_TRUE(auth.has_value());
  EXPECT_GT(store().generation(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Store, PgStoreTest, ::testing::Values(Backend::Postgres), backend_name);

}  // namespace
}  // namespace callwire::store::test
