#pragma once
// HTTP caching (RFC 9111) of <Play> media, from the response headers of
// the fetch. callwire keeps one cache for every account, so it behaves as a
// shared cache: s-maxage wins over max-age and `private` responses are not
// stored. A response without an expiry but with Last-Modified gets the
// usual heuristic lifetime (10% of its age, at most a day); one with
// neither is stored stale, to be revalidated (or refetched) on next use.
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callwire::media::audio {

using Headers = std::span<const std::pair<std::string, std::string>>;

// An HTTP-date (IMF-fixdate, RFC 850 or asctime form); nullopt if invalid.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

struct CachePolicy {
  using Clock = std::chrono::system_clock;

  // Reads Cache-Control (max-age, s-maxage, no-cache, no-store,
  // must-revalidate, proxy-revalidate, private), Expires, Date, Age, ETag
  // and Last-Modified; `now` is when the response arrived.
  static CachePolicy from_headers(Headers headers, Clock::time_point now);

  // May the decoded audio be kept at all?
  bool storable() const { return !no_store && !private_; }
  // May it be used at `now` without asking the server?
  bool fresh(Clock::time_point now) const;
  // May a stale copy be played when revalidation fails (network error)?
  bool may_serve_stale() const { return !must_revalidate && !no_cache; }
  bool can_revalidate() const { return !etag.empty() || !last_modified.empty(); }
  std::chrono::seconds age(Clock::time_point now) const;

  // If-None-Match / If-Modified-Since for a conditional GET.
  std::vector<std::pair<std::string, std::string>> revalidation_headers() const;
  // The policy after the server answered 304 Not Modified at `now`: its
  // headers update the stored ones (RFC 9111 4.3.4).
  CachePolicy revalidated(Headers not_modified_headers, Clock::time_point now) const;

  bool no_store = false;
  bool no_cache = false;
  bool must_revalidate = false;
  bool private_ = false;
  std::chrono::seconds lifetime{0};       // freshness lifetime
  std::chrono::seconds initial_age{0};    // age when it arrived (Age, or now - Date)
  Clock::time_point received{};
  std::string etag;           // as sent, quotes and W/ included
  std::string last_modified;  // as sent

 private:
  void apply(Headers headers, Clock::time_point now);
  // The caching headers of the response, for merging a 304's into.
  std::vector<std::pair<std::string, std::string>> stored_;
};

}  // namespace callwire::media::audio
