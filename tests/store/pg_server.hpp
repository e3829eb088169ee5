#pragma once
// The PostgreSQL the storage tests run against, found in this order:
//  1. CALLWIRE_TEST_PG_URL: an existing server (tests create and drop their
//     own schemas in it);
//  2. CALLWIRE_TEST_PG_STATE: the state file of the ctest fixture
//     (Store.pg_cluster_start), one server for the whole ctest run;
//  3. otherwise a server this process starts on first use and stops when
//     the test program ends (a GoogleTest environment), even after failures.
// Each test gets a fresh schema through the URL's search_path, and its
// connections carry the schema name as application_name.
#include <string>

#include "core/result.hpp"

namespace callwire::store::test {

// Base URL of the server, or why there is none.
Result<std::string> pg_base_url();

// A new empty schema; returns a URL whose connections use it.
Result<std::string> pg_create_schema(std::string& schema_out);
void pg_drop_schema(const std::string& schema);
// Runs one statement on the server as its superuser (outside any schema).
Status pg_admin(const std::string& sql);

}  // namespace callwire::store::test
