#include "store/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <vector>

#include "store/errc.hpp"

namespace callwire::store::postgres {

namespace {

class PgRow final : public sql::Row {
 public:
  PgRow(PGresult* r, int row) : r_(r), row_(row) {}
  bool is_null(int col) const override { return PQgetisnull(r_, row_, col) != 0; }
  std::int64_t integer(int col) const override {
    const char* p = PQgetvalue(r_, row_, col);
    std::int64_t v = 0;
    std::from_chars(p, p + PQgetlength(r_, row_, col), v);
    return v;
  }
  bool boolean(int col) const override {
    const char* p = PQgetvalue(r_, row_, col);
    return p[0] == 't' || p[0] == '1';
  }
  std::string text(int col) const override {
    return std::string(PQgetvalue(r_, row_, col), static_cast<std::size_t>(PQgetlength(r_, row_, col)));
  }

 private:
  PGresult* r_;
  int row_;
};

struct ResultGuard {
  PGresult* r;
  ~ResultGuard() { PQclear(r); }
};

void ignore_notice(void*, const char*) {}

std::int64_t changed_rows(PGresult* r) {
  const char* n = PQcmdTuples(r);
  std::int64_t v = 0;
  if (n && *n) std::from_chars(n, n + std::strlen(n), v);
  return v;
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& url, int connect_timeout_s) {
  // Our defaults first: the URL (expanded from dbname) overrides them.
  const std::string timeout = std::to_string(connect_timeout_s);
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "callwire", "UTF8", url.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  if (!c) return fail(Errc::Unavailable, "postgresql: out of memory");
  if (PQstatus(c) != CONNECTION_OK) {
    std::string message = PQerrorMessage(c);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    PQfinish(c);
    return fail(Errc::Unavailable, "postgresql: " + message);
  }
  PQsetNoticeProcessor(c, ignore_notice, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(c));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

std::string PgConnection::describe() const {
  return std::string(PQhost(conn_)) + ":" + PQport(conn_) + "/" + PQdb(conn_);
}

Error PgConnection::error_of(PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const std::string_view s = state ? state : "";
  Errc code = Errc::Internal;
  if (s == "23505") code = Errc::Conflict;
  else if (s == "23503") code = Errc::ForeignKey;
  else if (s == "23514" || s == "23502" || s.starts_with("22")) code = Errc::Invalid;
  else if (s.starts_with("08") || s.starts_with("53") || s.starts_with("57P") || s == "40001" || s == "40P01")
    code = Errc::Unavailable;
  if (PQstatus(conn_) != CONNECTION_OK) {
    broken_ = true;
    code = Errc::Unavailable;
  }
  return Error(make_error_code(code), "postgresql: " + message);
}

Result<std::int64_t> PgConnection::execute(std::string_view sql, std::span<const sql::Value> params,
                                           const sql::RowFn& on_row) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "s";  // (not "s" + …: GCC 12 -Wrestrict false positive)
    name += std::to_string(prepared_.size());
    const std::string text(sql);
    ResultGuard prep{PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(params.size()), nullptr)};
    if (!prep.r || PQresultStatus(prep.r) != PGRES_COMMAND_OK) return std::unexpected(error_of(prep.r));
    it = prepared_.emplace(text, std::move(name)).first;
  }

  // Text format: each value as a NUL-terminated string.
  std::vector<std::string> storage(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const sql::Value& v = params[i];
    switch (v.type()) {
      case sql::Value::Type::Null: continue;
      case sql::Value::Type::Integer: storage[i] = std::to_string(v.integer()); break;
      case sql::Value::Type::Boolean: storage[i] = v.boolean() ? "true" : "false"; break;
      case sql::Value::Type::Text:
        if (auto ok = sql::check_text(v.text()); !ok) return std::unexpected(ok.error());
        storage[i] = v.text();
        break;
    }
    values[i] = storage[i].c_str();
  }

  ResultGuard res{PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(params.size()), values.data(), nullptr,
                                 nullptr, 0)};
  const auto status = res.r ? PQresultStatus(res.r) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK) {
    const int rows = PQntuples(res.r);
    if (on_row)
      for (int r = 0; r < rows; ++r) on_row(PgRow(res.r, r));
    return changed_rows(res.r);
  }
  if (status == PGRES_COMMAND_OK) return changed_rows(res.r);
  return std::unexpected(error_of(res.r));
}

Status PgConnection::execute_script(std::string_view sql) {
  const std::string text(sql);
  ResultGuard res{PQexec(conn_, text.c_str())};
  const auto status = res.r ? PQresultStatus(res.r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
  return std::unexpected(error_of(res.r));
}

Status PgConnection::begin(bool write) {
  // Reads get one snapshot for all their statements (domain_auth).
  return execute_script(write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

Status PgConnection::commit() { return execute_script("COMMIT"); }

bool PgConnection::in_transaction() const { return PQtransactionStatus(conn_) == PQTRANS_INTRANS; }

void PgConnection::rollback() {
  if (!broken_ && PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)execute_script("ROLLBACK");
}

}  // namespace callwire::store::postgres
