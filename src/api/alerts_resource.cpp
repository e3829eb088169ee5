// Monitor Alerts (contract §12): /v1/Alerts, the debugger's errors. The
// account is the authenticated one: a main account sees its own alerts,
// a sub-account's alerts are read with the sub-account's credentials.
// v1 style: ISO 8601 dates, a `meta` paging block with absolute URLs.
#include <fmt/format.h>

#include <algorithm>

#include "api/context.hpp"
#include "api/dates.hpp"
#include "api/paging.hpp"
#include "api/validation.hpp"
#include "api/views.hpp"
#include "http/form.hpp"
#include "store/alert_store.hpp"

namespace callwire::api {

namespace {

constexpr std::string_view kAlertsPath = "/v1/Alerts";

// Absolute URLs lead back to this server (helper libraries request
// meta.next_page_url verbatim).
std::string monitor_base(const http::Request& req) { return request_base(req); }

http::Params paging(const http::Params& filters, std::size_t size, std::int64_t page, const std::string* token) {
  http::Params p = filters;
  p.add("PageSize", std::to_string(size));
  p.add("Page", std::to_string(page));
  if (token) p.add("PageToken", *token);
  return p;
}

Reply list_alerts(const Context& ctx, const http::Request& req, const store::Account& caller) {
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  store::AlertFilter f;
  http::Params kept;
  if (auto v = req.query().get("LogLevel")) {
    const bool known = std::any_of(std::begin(store::kAlertLogLevels), std::end(store::kAlertLogLevels),
                                   [&](const char* l) { return *v == l; });
    if (!known) return bad_request("Invalid value for LogLevel: expected error, warning, notice or debug");
    f.log_level = std::string(*v);
    kept.add("LogLevel", std::string(*v));
  }
  if (auto v = req.query().get("StartDate")) {
    auto span = parse_date_param("StartDate", *v);
    if (!span) return std::unexpected(span.error());
    f.start_date = span->begin;
    kept.add("StartDate", std::string(*v));
  }
  if (auto v = req.query().get("EndDate")) {
    auto span = parse_date_param("EndDate", *v);
    if (!span) return std::unexpected(span.error());
    f.end_date = span->end;  // on or before: the whole named day / second
    kept.add("EndDate", std::string(*v));
  }

  auto page = read_page<store::Alert>(
      *q, [&](const store::PageRequest& pr) { return ctx.store.alerts().list(caller.sid, f, pr); });
  if (!page) return std::unexpected(from_store(page.error(), req.path()));

  const auto base = monitor_base(req);
  const auto url = base + std::string(kAlertsPath);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : page->items) items.push_back(alert_json(a, base, false));

  nlohmann::json meta;
  meta["page"] = q->page;
  meta["page_size"] = q->page_size;
  meta["first_page_url"] = http::build_query(url, paging(kept, q->page_size, 0, nullptr));
  const std::string this_token = q->has_token ? encode_page_token(q->after_seq) : std::string();
  meta["url"] = http::build_query(url, paging(kept, q->page_size, q->page, q->has_token ? &this_token : nullptr));
  if (page->has_more && !page->items.empty()) {
    const auto next = encode_page_token(page->last_seq);
    meta["next_page_url"] = http::build_query(url, paging(kept, q->page_size, q->page + 1, &next));
  } else {
    meta["next_page_url"] = nullptr;
  }
  meta["previous_page_url"] =
      q->page > 0 ? nlohmann::json(http::build_query(url, paging(kept, q->page_size, q->page - 1, nullptr)))
                  : nlohmann::json(nullptr);
  meta["key"] = "alerts";
  return http::json_response(200, nlohmann::json{{"alerts", std::move(items)}, {"meta", std::move(meta)}});
}

ApiResult<std::string> alert_sid(const http::Request& req) { return sid_capture(req, "Sid", "NO"); }

Reply fetch_alert(const Context& ctx, const http::Request& req, const store::Account& caller) {
  auto sid = alert_sid(req);
  if (!sid) return std::unexpected(sid.error());
  auto a = ctx.store.alerts().fetch(caller.sid, *sid);
  if (!a) return std::unexpected(from_store(a.error(), req.path()));
  return http::json_response(200, alert_json(*a, monitor_base(req), true));
}

Reply delete_alert(const Context& ctx, const http::Request& req, const store::Account& caller) {
  auto sid = alert_sid(req);
  if (!sid) return std::unexpected(sid.error());
  if (auto ok = ctx.store.alerts().remove(caller.sid, *sid); !ok) {
    return std::unexpected(from_store(ok.error(), req.path()));
  }
  return http::empty_response(204);
}

}  // namespace

void add_alert_routes(http::Router& router, const Context& ctx) {
  const std::string base(kAlertsPath);
  router.add(http::Method::Get, base, with_caller(ctx, list_alerts));
  router.add(http::Method::Get, base + "/{Sid}", with_caller(ctx, fetch_alert));
  router.add(http::Method::Delete, base + "/{Sid}", with_caller(ctx, delete_alert));
}

}  // namespace callwire::api
