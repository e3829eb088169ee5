#include "core/log.hpp"

#include <deque>
#include <mutex>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace callwire::log {

namespace {
std::mutex mutex;
spdlog::level::level_enum default_level = spdlog::level::info;
}  // namespace

namespace {

std::shared_ptr<spdlog::logger> get_or_create(std::string_view layer) {
  std::string name(layer);
  if (auto existing = spdlog::get(name)) return existing;
  std::lock_guard lock(mutex);
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = spdlog::stderr_color_mt(name);
  logger->set_level(default_level);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] [t%t] %v");
  return logger;
}

}  // namespace

const std::shared_ptr<spdlog::logger>& get(std::string_view layer) {
  // A deque: references handed out stay valid as the cache grows.
  thread_local std::deque<std::pair<std::string, std::shared_ptr<spdlog::logger>>> seen;
  for (const auto& [name, logger] : seen) {
    if (name == layer) return logger;
  }
  auto logger = get_or_create(layer);
  return seen.emplace_back(std::string(layer), std::move(logger)).second;
}

void configure(std::string_view level, std::string_view per_layer) {
  {
    std::lock_guard lock(mutex);
    default_level = spdlog::level::from_str(std::string(level));
  }
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->set_level(default_level); });
  while (!per_layer.empty()) {
    auto comma = per_layer.find(',');
    auto item = per_layer.substr(0, comma);
    per_layer = comma == std::string_view::npos ? std::string_view{} : per_layer.substr(comma + 1);
    auto eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    get(item.substr(0, eq))->set_level(spdlog::level::from_str(std::string(item.substr(eq + 1))));
  }
}

}  // namespace callwire::log
