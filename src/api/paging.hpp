#pragma once
// The v2010 list envelope (contract §1.4). Pages come from the store's
// keyset paging; PageToken carries the store's cursor ("PA" + hex of the
// last row's seq), and Page is the zero-based index echoed back. A request
// with Page > 0 and no PageToken (older clients, previous_page_uri) is served
// by walking the rows before it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/api_error.hpp"
#include "http/params.hpp"
#include "store/paging.hpp"

namespace callwire::api {

inline constexpr std::size_t kDefaultPageSize = 50;
inline constexpr std::size_t kMaxPageSize = 1000;

struct PageQuery {
  std::size_t page_size = kDefaultPageSize;
  std::int64_t page = 0;
  bool has_token = false;
  std::int64_t after_seq = 0;  // from the PageToken
};

// PageSize 1..1000, Page >= 0, PageToken as issued → else 400 20001.
ApiResult<PageQuery> parse_page_query(const http::Params& query);

std::string encode_page_token(std::int64_t after_seq);

// Reads one page. `fetch` is the store's list call for one PageRequest; when
// the query has no token but Page > 0, the rows of the earlier pages are
// skipped first.
template <class T>
using PageFetch = std::function<Result<store::Page<T>>(const store::PageRequest&)>;

template <class T>
Result<store::Page<T>> read_page(const PageQuery& q, const PageFetch<T>& fetch) {
  store::PageRequest req{q.page_size, q.has_token ? q.after_seq : 0};
  if (!q.has_token && q.page > 0) {
    // Offset paging over a keyset: skip page * page_size rows, in big steps.
    auto skip = static_cast<std::uint64_t>(q.page) * q.page_size;
    while (skip > 0) {
      store::PageRequest step{static_cast<std::size_t>(std::min<std::uint64_t>(skip, 1000)), req.after_seq};
      auto p = fetch(step);
      if (!p) return p;
      skip -= p->items.size();
      if (!p->has_more || p->items.empty()) return store::Page<T>{{}, false, p->last_seq};
      req.after_seq = p->last_seq;
    }
  }
  return fetch(req);
}

// The envelope: `items` under `key` plus first/next/previous/uri/page/
// page_size/start/end. `path` is the collection's canonical path and
// `filters` the list filters to keep in every paging URI.
nlohmann::json page_envelope(std::string_view path, const http::Params& filters, const PageQuery& q,
                             std::string_view key, nlohmann::json items, bool has_more, std::int64_t last_seq);

}  // namespace callwire::api
