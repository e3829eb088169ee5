#include "api/paging.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "http/form.hpp"
#include "http/values.hpp"

namespace callwire::api {

namespace {

http::Params paging_params(const http::Params& filters, std::size_t page_size, std::int64_t page,
                           const std::string* token) {
  http::Params p = filters;
  p.add("PageSize", std::to_string(page_size));
  p.add("Page", std::to_string(page));
  if (token != nullptr) p.add("PageToken", *token);
  return p;
}

}  // namespace

std::string encode_page_token(std::int64_t after_seq) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<std::uint64_t>(after_seq), 16);
  return "PA" + std::string(buf, end);
}

ApiResult<PageQuery> parse_page_query(const http::Params& query) {
  PageQuery q;
  if (auto v = query.get("PageSize")) {
    auto n = http::parse_int(*v, 1, static_cast<std::int64_t>(kMaxPageSize));
    if (!n) return bad_request("Invalid PageSize: it must be an integer from 1 to 1000");
    q.page_size = static_cast<std::size_t>(*n);
  }
  if (auto v = query.get("Page")) {
    auto n = http::parse_int(*v, 0, 1'000'000'000);
    if (!n) return bad_request("Invalid Page: it must be an integer from 0");
    q.page = *n;
  }
  if (auto v = query.get("PageToken")) {
    auto t = *v;
    std::uint64_t seq = 0;
    auto digits = t.size() > 2 ? t.substr(2) : std::string_view{};
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq, 16);
    const bool lower_hex = std::all_of(digits.begin(), digits.end(),
                                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    if (!t.starts_with("PA") || digits.empty() || digits.size() > 16 || !lower_hex || ec != std::errc{} ||
        end != digits.data() + digits.size() || seq > static_cast<std::uint64_t>(INT64_MAX)) {
      return bad_request("Invalid PageToken: use the next_page_uri of a previous page as it is");
    }
    q.has_token = true;
    q.after_seq = static_cast<std::int64_t>(seq);
  }
  return q;
}

nlohmann::json page_envelope(std::string_view path, const http::Params& filters, const PageQuery& q,
                             std::string_view key, nlohmann::json items, bool has_more, std::int64_t last_seq) {
  const auto count = items.size();
  const auto start = static_cast<std::int64_t>(q.page) * static_cast<std::int64_t>(q.page_size);
  nlohmann::json out;
  out["first_page_uri"] = http::build_query(path, paging_params(filters, q.page_size, 0, nullptr));
  std::string this_token = q.has_token ? encode_page_token(q.after_seq) : std::string();
  out["uri"] = http::build_query(path, paging_params(filters, q.page_size, q.page, q.has_token ? &this_token : nullptr));
  if (has_more && count > 0) {
    auto next = encode_page_token(last_seq);
    out["next_page_uri"] = http::build_query(path, paging_params(filters, q.page_size, q.page + 1, &next));
  } else {
    out["next_page_uri"] = nullptr;
  }
  // Keyset tokens only lead forward; the previous page is addressed by its
  // index, which read_page() serves by skipping rows.
  if (q.page > 0) {
    out["previous_page_uri"] = http::build_query(path, paging_params(filters, q.page_size, q.page - 1, nullptr));
  } else {
    out["previous_page_uri"] = nullptr;
  }
  out["page"] = q.page;
  out["page_size"] = q.page_size;
  out["start"] = start;
  out["end"] = count == 0 ? start : start + static_cast<std::int64_t>(count) - 1;
  out[std::string(key)] = std::move(items);
  return out;
}

}  // namespace callwire::api
