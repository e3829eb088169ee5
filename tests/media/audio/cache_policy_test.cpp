#include "media/audio/cache_policy.hpp"

#include <gtest/gtest.h>

namespace callwire::media::audio {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;
using H = std::vector<std::pair<std::string, std::string>>;

Clock::time_point at(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d)) +
         std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss);
}

const auto kNow = at(2026, 11, 27, 12, 0, 0);

TEST(HttpDate, ThreeForms) {
  const auto want = at(1994, 11, 6, 8, 49, 37);
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), want);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), want);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), want);
  EXPECT_EQ(parse_http_date("Thu, 01 Jan 2037 00:00:00 GMT"), at(2037, 1, 1, 0, 0, 0));
  EXPECT_FALSE(parse_http_date("0"));
  EXPECT_FALSE(parse_http_date("-1"));
  EXPECT_FALSE(parse_http_date("Sun, 31 Feb 2026 00:00:00 GMT"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 25:00:00 GMT"));
  EXPECT_FALSE(parse_http_date(""));
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 0087 08:49:37 GMT"));  // before the clock's range
  EXPECT_EQ(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"), at(2200, 12, 31, 23, 59, 59));
}

TEST(CachePolicy, MaxAge) {
  const auto p = CachePolicy::from_headers(H{{"Cache-Control", "public, max-age=300"}}, kNow);
  EXPECT_TRUE(p.storable());
  EXPECT_EQ(p.lifetime, 300s);
  EXPECT_TRUE(p.fresh(kNow));
  EXPECT_TRUE(p.fresh(kNow + 299s));
  EXPECT_FALSE(p.fresh(kNow + 300s));
  EXPECT_TRUE(p.may_serve_stale());
}

TEST(CachePolicy, AgeAndDateCountAgainstTheLifetime) {
  const auto aged = CachePolicy::from_headers(H{{"cache-control", "max-age=300"}, {"Age", "200"}}, kNow);
  EXPECT_TRUE(aged.fresh(kNow + 99s));
  EXPECT_FALSE(aged.fresh(kNow + 100s));
  // Date 60 s before arrival (a slow or clock-skewed origin).
  const auto dated = CachePolicy::from_headers(
      H{{"Cache-Control", "max-age=100"}, {"Date", "Fri, 27 Nov 2026 11:59:00 GMT"}}, kNow);
  EXPECT_EQ(dated.age(kNow), 60s);
  EXPECT_FALSE(dated.fresh(kNow + 40s));
}

TEST(CachePolicy, SMaxageWinsAndImpliesRevalidate) {
  const auto p = CachePolicy::from_headers(H{{"Cache-Control", "max-age=10, s-maxage=1000"}}, kNow);
  EXPECT_EQ(p.lifetime, 1000s);
  EXPECT_FALSE(p.may_serve_stale());
}

TEST(CachePolicy, Expires) {
  const H h{{"Date", "Fri, 27 Nov 2026 12:00:00 GMT"}, {"Expires", "Fri, 27 Nov 2026 13:00:00 GMT"}};
  const auto p = CachePolicy::from_headers(h, kNow);
  EXPECT_EQ(p.lifetime, 3600s);
  EXPECT_TRUE(p.fresh(kNow + 3599s));
  EXPECT_FALSE(p.fresh(kNow + 3600s));
  // max-age wins over Expires; an invalid Expires means already stale.
  EXPECT_EQ(CachePolicy::from_headers(H{{"Expires", "Fri, 27 Nov 2026 13:00:00 GMT"},
                                        {"Cache-Control", "max-age=5"}}, kNow).lifetime, 5s);
  EXPECT_FALSE(CachePolicy::from_headers(H{{"Expires", "0"}}, kNow).fresh(kNow));
}

TEST(CachePolicy, NoStoreNoCachePrivateMustRevalidate) {
  const auto no_store = CachePolicy::from_headers(H{{"Cache-Control", "no-store"}}, kNow);
  EXPECT_FALSE(no_store.storable());
  EXPECT_FALSE(no_store.fresh(kNow));
  const auto no_cache = CachePolicy::from_headers(H{{"Cache-Control", "no-cache, max-age=600"}, {"ETag", "\"v1\""}}, kNow);
  EXPECT_TRUE(no_cache.storable());
  EXPECT_FALSE(no_cache.fresh(kNow));
  EXPECT_FALSE(no_cache.may_serve_stale());
  EXPECT_TRUE(no_cache.can_revalidate());
  EXPECT_FALSE(CachePolicy::from_headers(H{{"Cache-Control", "private, max-age=60"}}, kNow).storable());
  const auto must = CachePolicy::from_headers(H{{"Cache-Control", "max-age=60,must-revalidate"}}, kNow);
  EXPECT_TRUE(must.fresh(kNow));
  EXPECT_FALSE(must.may_serve_stale());
  // Directives in separate header lines, a quoted value, a bad max-age (= stale).
  const auto split = CachePolicy::from_headers(
      H{{"Cache-Control", "community=\"a,b\""}, {"Cache-Control", "max-age=\"30\""}}, kNow);
  EXPECT_EQ(split.lifetime, 30s);
  EXPECT_EQ(CachePolicy::from_headers(H{{"Cache-Control", "max-age=soon"}}, kNow).lifetime, 0s);
  EXPECT_EQ(CachePolicy::from_headers(H{{"Cache-Control", "max-age=99999999999999999999"}}, kNow).lifetime.count(),
            std::int64_t{1} << 31);
}

TEST(CachePolicy, HeuristicFromLastModified) {
  const H h{{"Date", "Fri, 27 Nov 2026 12:00:00 GMT"}, {"Last-Modified", "Fri, 27 Nov 2026 02:00:00 GMT"}};
  EXPECT_EQ(CachePolicy::from_headers(h, kNow).lifetime, 3600s);  // 10% of 10 h
  const H old{{"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"}};
  EXPECT_EQ(CachePolicy::from_headers(old, kNow).lifetime, 24h);
  // No expiry, no validator: stored but stale at once.
  const auto bare = CachePolicy::from_headers(H{{"Content-Type", "audio/wav"}}, kNow);
  EXPECT_TRUE(bare.storable());
  EXPECT_FALSE(bare.fresh(kNow));
  EXPECT_FALSE(bare.can_revalidate());
}

TEST(CachePolicy, RevalidationHeadersAndA304) {
  const H h{{"Cache-Control", "max-age=60"}, {"ETag", "W/\"abc\""},
            {"Last-Modified", "Thu, 26 Nov 2026 10:00:00 GMT"}, {"Date", "Fri, 27 Nov 2026 12:00:00 GMT"}};
  const auto p = CachePolicy::from_headers(h, kNow);
  EXPECT_EQ(p.revalidation_headers(),
            (H{{"If-None-Match", "W/\"abc\""}, {"If-Modified-Since", "Thu, 26 Nov 2026 10:00:00 GMT"}}));
  EXPECT_FALSE(p.fresh(kNow + 120s));
  // A 304 without Cache-Control keeps the stored max-age and validators;
  // the old Date does not age the renewed entry.
  const auto later = kNow + 120s;
  const auto r1 = p.revalidated(H{}, later);
  EXPECT_TRUE(r1.fresh(later));
  EXPECT_FALSE(r1.fresh(later + 60s));
  EXPECT_EQ(r1.etag, "W/\"abc\"");
  // One with new headers replaces them.
  const auto r2 = p.revalidated(H{{"Cache-Control", "max-age=600"}, {"ETag", "\"def\""}}, later);
  EXPECT_TRUE(r2.fresh(later + 500s));
  EXPECT_EQ(r2.etag, "\"def\"");
  EXPECT_EQ(r2.last_modified, "Thu, 26 Nov 2026 10:00:00 GMT");
  EXPECT_FALSE(p.revalidated(H{{"Cache-Control", "no-store"}}, later).storable());
}

}  // namespace
}  // namespace callwire::media::audio
