#include "metrics/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace callwire::metrics {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(Metrics, ScrapeShowsCountsByLabel) {
  Metrics m;
  m.call_started();
  m.call_started();
  m.call_ended("busy");
  m.admission_drop("ip_acl");
  m.admission_drop("ip_acl");
  m.auth_failure("wrong_password");
  m.webhook("voice", "ok", std::chrono::milliseconds(3));
  m.webhook("voice", "11200", std::chrono::seconds(15));
  auto text = m.scrape();
  EXPECT_TRUE(has_line(text, "callwire_calls_total{status=\"busy\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "callwire_active_calls 1")) << text;
  EXPECT_TRUE(has_line(text, "callwire_admission_drops_total{reason=\"ip_acl\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "callwire_auth_failures_total{kind=\"wrong_password\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "callwire_webhooks_total{kind=\"voice\",outcome=\"11200\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "callwire_webhook_latency_seconds_bucket{kind=\"voice\",le=\"0.005\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "callwire_webhook_latency_seconds_count{kind=\"voice\"} 2")) << text;
}

TEST(Metrics, UpdatesFromManyThreadsAddUp) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) m.admission_drop("flood");
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(has_line(m.scrape(), "callwire_admission_drops_total{reason=\"flood\"} 4000"));
}

TEST(Metrics, SameLabelValuesInOtherFamiliesOrPlacesStayApart) {
  Metrics m;
  m.auth_failure("flood");
  m.admission_drop("flood");
  m.admission_drop("flood");
  m.webhook("voice", "ok", std::chrono::milliseconds(1));
  m.webhook("voiceok", "", std::chrono::milliseconds(1));
  m.webhook("voice", "ok", std::chrono::milliseconds(1));
  Metrics other;
  other.admission_drop("flood");
  auto text = m.scrape();
  EXPECT_TRUE(has_line(text, "callwire_auth_failures_total{kind=\"flood\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "callwire_admission_drops_total{reason=\"flood\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "callwire_webhooks_total{kind=\"voice\",outcome=\"ok\"} 2")) << text;
  EXPECT_TRUE(has_line(text, "callwire_webhooks_total{kind=\"voiceok\",outcome=\"\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "callwire_webhook_latency_seconds_count{kind=\"voice\"} 2")) << text;
  EXPECT_TRUE(has_line(other.scrape(), "callwire_admission_drops_total{reason=\"flood\"} 1"));
}

}  // namespace
}  // namespace callwire::metrics
