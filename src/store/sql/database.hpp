#pragma once
// A small connection pool plus the transaction discipline every repository
// follows:
// - write(): BEGIN (write lock); per write: SAVEPOINT, bump
//   config_generation FIRST, run the body, RELEASE (or ROLLBACK TO); COMMIT.
//   Call-log and alert writes pass Generation::Keep: no bump, so they
//   neither invalidate the SIP side's auth cache nor queue on the
//   generation row lock (they have no cross-row checks to serialize).
//   Bumping first takes the single generation row lock, so writes are
//   serialized on PostgreSQL just as SQLite serializes them: checks made
//   inside a write (parent exists, list not mapped) cannot race.
// - read(): one consistent snapshot for multi-statement reads.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/errc.hpp"
#include "store/sql/connection.hpp"

namespace callwire::store::sql {

// Whether a write moves Store::generation().
enum class Generation { Bump, Keep };

struct DatabaseOptions {
  Dialect dialect;
  int pool_size = 4;
  std::chrono::milliseconds wait{5000};
  // True when only this process writes (SQLite): generation() then reads the
  // value published by our own commits instead of querying.
  bool generation_is_local = true;
  std::string description;
};

class Database {
 public:
  using Factory = std::function<Result<std::unique_ptr<Connection>>()>;

  Database(Factory factory, DatabaseOptions options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A pooled connection, returned on destruction (dropped when broken).
  class Lease {
   public:
    Lease(Database* db, std::unique_ptr<Connection> c) : db_(db), c_(std::move(c)) {}
    Lease(Lease&& other) noexcept = default;
    ~Lease();
    Connection& operator*() const { return *c_; }
    Connection* operator->() const { return c_.get(); }

   private:
    Database* db_;
    std::unique_ptr<Connection> c_;
  };

  [[nodiscard]] Result<Lease> acquire();

  // Applies pending migrations (migrations.hpp), one transaction each.
  [[nodiscard]] Status migrate();

  // One statement (or independent ones) outside a transaction. Reads are
  // retried once on a fresh connection when the pooled one turns out to be
  // dead (e.g. after a PostgreSQL restart): a read has no effect to repeat.
  template <class T>
  Result<T> once(const std::function<Result<T>(Connection&)>& body) {
    for (int attempt = 0;; ++attempt) {
      auto lease = acquire();
      if (!lease) return std::unexpected(lease.error());
      Result<T> result = body(**lease);
      if (result || !(*lease)->broken() || attempt == 1) return result;
    }
  }
  // Concurrent writes are group-committed: the first writer to arrive leads
  // a batch of every write queued meanwhile, each in its own SAVEPOINT (a
  // failing one is rolled back alone), then one COMMIT makes the whole batch
  // durable with a single fsync. Each caller returns only after that COMMIT.
  template <class T>
  Result<T> write(const std::function<Result<T>(Connection&)>& body, Generation generation = Generation::Bump) {
    std::optional<Result<T>> out;
    Status done = write_job(
        [&](Connection& c) -> Status {
          out.emplace(body(c));
          if (!*out) return std::unexpected(out->error());
          return {};
        },
        generation);
    if (!done) return std::unexpected(done.error());
    return std::move(*out);
  }
  // One consistent snapshot for several statements (retried like once()).
  template <class T>
  Result<T> read(const std::function<Result<T>(Connection&)>& body) {
    return once<T>([&](Connection& c) -> Result<T> {
      if (auto ok = c.begin(false); !ok) return std::unexpected(ok.error());
      Result<T> result = body(c);
      if (!result) {
        c.rollback();
        return result;
      }
      if (auto ok = c.commit(); !ok) {
        c.rollback();
        return std::unexpected(ok.error());
      }
      return result;
    });
  }

  std::uint64_t generation();
  const Dialect& dialect() const { return options_.dialect; }
  const std::string& description() const { return options_.description; }

 private:
  struct WriteJob {
    const std::function<Status(Connection&)>* body;
    Generation generation;
    Status result;
    bool done = false;
  };
  Status write_job(const std::function<Status(Connection&)>& body, Generation generation);
  void run_batch(std::vector<WriteJob*>& batch);

  Result<std::uint64_t> bump_generation(Connection& c);
  void publish_generation(std::uint64_t g);
  void give_back(std::unique_ptr<Connection> c);

  Factory factory_;
  DatabaseOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // connections handed out or idle
  std::atomic<std::uint64_t> generation_{0};

  std::mutex write_mutex_;
  std::condition_variable write_cv_;
  std::vector<WriteJob*> write_queue_;
  bool leading_ = false;  // a batch is being written
};

// Runs `sql` and calls `on_row` per row.
[[nodiscard]] Result<std::int64_t> run(Connection& c, std::string_view sql, std::initializer_list<Value> params,
                                       const RowFn& on_row = {});

// The rows of `sql`, each turned into a T by `read`.
template <class T, class Read>
Result<std::vector<T>> query(Connection& c, std::string_view sql, std::initializer_list<Value> params, Read read) {
  std::vector<T> out;
  auto r = run(c, sql, params, [&](const Row& row) { out.push_back(read(row)); });
  if (!r) return std::unexpected(r.error());
  return out;
}

// The first row of `sql`, or nullopt.
template <class T, class Read>
Result<std::optional<T>> query_one(Connection& c, std::string_view sql, std::initializer_list<Value> params,
                                   Read read) {
  std::optional<T> out;
  auto r = run(c, sql, params, [&](const Row& row) {
    if (!out) out = read(row);
  });
  if (!r) return std::unexpected(r.error());
  return out;
}

}  // namespace callwire::store::sql
