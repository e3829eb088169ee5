#pragma once
// The schema, versioned in code. Both backends share the list and its
// version numbers; the text uses {seq} and {bool} for the two column types
// whose spelling differs (Dialect). Append new versions; never edit an old
// one once released.
#include <span>
#include <string>
#include <string_view>

#include "store/sql/connection.hpp"

namespace callwire::store::sql {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> migrations();

// `sql` with the dialect's tokens substituted.
std::string render(std::string_view sql, const Dialect& dialect);

}  // namespace callwire::store::sql
