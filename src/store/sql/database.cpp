#include "store/sql/database.hpp"

#include <algorithm>
#include <ctime>

#include "core/log.hpp"
#include "store/sql/migrations.hpp"

namespace callwire::store::sql {

Database::Lease::~Lease() {
  if (c_) db_->give_back(std::move(c_));
}

Database::Database(Factory factory, DatabaseOptions options)
    : factory_(std::move(factory)), options_(std::move(options)) {
  options_.pool_size = std::max(1, options_.pool_size);
}

Database::~Database() = default;

Result<Database::Lease> Database::acquire() {
  std::unique_lock lock(mutex_);
  const auto ready = [&] { return !idle_.empty() || open_ < options_.pool_size; };
  if (!available_.wait_for(lock, options_.wait, ready))
    return fail(Errc::Unavailable, "no free database connection");
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(c));
  }
  ++open_;
  lock.unlock();
  auto c = factory_();  // connect outside the lock: it may take a while
  if (!c) {
    lock.lock();
    --open_;
    available_.notify_one();
    return std::unexpected(c.error());
  }
  return Lease(this, std::move(*c));
}

void Database::give_back(std::unique_ptr<Connection> c) {
  {
    std::lock_guard lock(mutex_);
    if (c->broken()) {
      --open_;
      c.reset();
    } else {
      idle_.push_back(std::move(c));
    }
  }
  available_.notify_one();
}

Status Database::write_job(const std::function<Status(Connection&)>& body, Generation generation) {
  WriteJob job{&body, generation, {}, false};
  std::unique_lock lock(write_mutex_);
  write_queue_.push_back(&job);
  write_cv_.wait(lock, [&] { return job.done || !leading_; });
  if (job.done) return job.result;
  // Lead: take everything queued so far (our own job included).
  leading_ = true;
  std::vector<WriteJob*> batch;
  batch.swap(write_queue_);
  lock.unlock();
  run_batch(batch);
  lock.lock();
  for (WriteJob* j : batch) j->done = true;
  leading_ = false;
  write_cv_.notify_all();  // results for this batch; the next waiter leads
  return job.result;
}

void Database::run_batch(std::vector<WriteJob*>& batch) {
  // Every write not already failed on its own gets `e`.
  auto fail_all = [&](const Error& e) {
    for (WriteJob* j : batch)
      if (j->result) j->result = std::unexpected(e);
  };
  // A pooled connection found dead at BEGIN has sent nothing: take another.
  std::optional<Lease> lease;
  for (int attempt = 0; !lease; ++attempt) {
    auto l = acquire();
    if (!l) return fail_all(l.error());
    auto ok = (*l)->begin(true);
    if (ok) lease.emplace(std::move(*l));
    else if (!(*l)->broken() || attempt == 1) return fail_all(ok.error());
  }
  Connection& c = **lease;

  std::uint64_t generation = 0;
  bool any = false;
  for (WriteJob* j : batch) {
    if (auto ok = c.execute_script("SAVEPOINT w"); !ok) {
      c.rollback();
      return fail_all(ok.error());
    }
    const bool bumps = j->generation == Generation::Bump;
    Status result = [&]() -> Status {
      if (!bumps) return (*j->body)(c);
      auto g = bump_generation(c);
      if (!g) return std::unexpected(g.error());
      auto r = (*j->body)(c);
      if (r) generation = *g;
      return r;
    }();
    const bool kept = result.has_value();
    if (!kept) (void)c.execute_script("ROLLBACK TO SAVEPOINT w");
    const auto released = c.execute_script("RELEASE SAVEPOINT w");
    // An error that aborted the whole transaction (disk full, lost
    // connection) takes the earlier writes of the batch with it.
    if (!released || !c.in_transaction()) {
      c.rollback();
      j->result = !result ? std::move(result) : std::unexpected(released ? Error(make_error_code(Errc::Internal), "transaction aborted") : released.error());
      return fail_all(Error(make_error_code(Errc::Unavailable),
                            "write batch aborted by another write: " + j->result.error().what()));
    }
    j->result = std::move(result);
    any = any || (kept && bumps);
  }
  if (auto ok = c.commit(); !ok) {
    c.rollback();
    return fail_all(ok.error());
  }
  if (any) publish_generation(generation);
}

Result<std::uint64_t> Database::bump_generation(Connection& c) {
  auto value = query_one<std::int64_t>(c, "UPDATE config_generation SET value = value + 1 WHERE id = 1 RETURNING value",
                                       {}, [](const Row& r) { return r.integer(0); });
  if (!value) return std::unexpected(value.error());
  if (!*value) return fail(Errc::Internal, "config_generation row missing");
  return static_cast<std::uint64_t>(**value);
}

void Database::publish_generation(std::uint64_t g) {
  auto seen = generation_.load(std::memory_order_relaxed);
  while (seen < g && !generation_.compare_exchange_weak(seen, g, std::memory_order_release)) {
  }
}

std::uint64_t Database::generation() {
  if (options_.generation_is_local) return generation_.load(std::memory_order_acquire);
  auto lease = acquire();
  if (lease) {
    auto value = query_one<std::int64_t>(**lease, "SELECT value FROM config_generation WHERE id = 1", {},
                                         [](const Row& r) { return r.integer(0); });
    if (value && *value) publish_generation(static_cast<std::uint64_t>(**value));
  }
  return generation_.load(std::memory_order_acquire);
}

Status Database::migrate() {
  auto lease = acquire();
  if (!lease) return std::unexpected(lease.error());
  Connection& c = **lease;
  if (auto ok = c.execute_script(
          "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
          "applied_at BIGINT NOT NULL)");
      !ok)
    return ok;

  const auto known = migrations();
  for (const Migration& m : known) {
    if (auto ok = c.begin(true); !ok) return ok;
    auto body = [&]() -> Result<bool> {
      if (!options_.dialect.lock_migrations.empty()) {
        if (auto ok = c.execute_script(options_.dialect.lock_migrations); !ok) return std::unexpected(ok.error());
      }
      auto applied = query_one<std::int64_t>(c, "SELECT version FROM schema_version WHERE version = $1",
                                             {m.version}, [](const Row& r) { return r.integer(0); });
      if (!applied) return std::unexpected(applied.error());
      if (*applied) return false;
      if (auto ok = c.execute_script(render(m.sql, options_.dialect)); !ok) {
        return fail(Errc::Internal, "migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                                        ") failed: " + ok.error().what());
      }
      auto ins = run(c, "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                     {m.version, m.name, static_cast<std::int64_t>(std::time(nullptr))});
      if (!ins) return std::unexpected(ins.error());
      return true;
    }();
    if (!body) {
      c.rollback();
      return std::unexpected(body.error());
    }
    if (auto ok = c.commit(); !ok) {
      c.rollback();
      return ok;
    }
    if (*body) log::get("store")->info("applied schema migration {} ({})", m.version, m.name);
  }

  // A database written by a newer callwire: refuse rather than misread it.
  auto newest = query_one<std::int64_t>(c, "SELECT MAX(version) FROM schema_version", {},
                                        [](const Row& r) { return r.is_null(0) ? 0 : r.integer(0); });
  if (!newest) return std::unexpected(newest.error());
  if (*newest && **newest > known.back().version) {
    return fail(Errc::Internal, "database schema version " + std::to_string(**newest) +
                                    " is newer than this callwire knows (" + std::to_string(known.back().version) +
                                    ")");
  }

  auto value = query_one<std::int64_t>(c, "SELECT value FROM config_generation WHERE id = 1", {},
                                       [](const Row& r) { return r.integer(0); });
  if (!value) return std::unexpected(value.error());
  if (*value) publish_generation(static_cast<std::uint64_t>(**value));
  return {};
}

Result<std::int64_t> run(Connection& c, std::string_view sql, std::initializer_list<Value> params,
                         const RowFn& on_row) {
  return c.execute(sql, std::span<const Value>(params.begin(), params.size()), on_row);
}

}  // namespace callwire::store::sql
