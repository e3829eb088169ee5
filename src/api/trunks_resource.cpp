// Outbound trunks, callwire's own resource (not in Twilio's API; see
// docs/compatibility.md "callwire extensions: outbound trunks"):
// /2010-04-01/Accounts/{AccountSid}/SIP/Trunks[/{Sid}].json. SIDs are BY…,
// Twilio's BYOC prefix, so <Number byoc="BY…"> names one. The Password is
// write-only: responses carry `password_set` instead, and nothing logs it.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "api/context.hpp"
#include "api/paging.hpp"
#include "api/validation.hpp"
#include "api/views.hpp"
#include "core/text.hpp"
#include "dial/e164.hpp"
#include "dial/termination_uri.hpp"
#include "http/values.hpp"
#include "store/errc.hpp"

namespace callwire::api {

namespace {

constexpr std::size_t kFriendlyNameMax = 64;
constexpr std::size_t kCredentialMax = 128;
constexpr std::size_t kTrunksPerAccount = 100;
constexpr std::size_t kPrefixesPerTrunk = 100;

std::string trunks_path(std::string_view account_sid) { return paths::account(account_sid) + "/SIP/Trunks"; }

nlohmann::json trunk_json(const store::Trunk& t) {
  using nlohmann::json;
  auto text_or_null = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
  return json{
      {"sid", t.sid},
      {"account_sid", t.account_sid},
      {"api_version", kApiVersion},
      {"friendly_name", t.friendly_name},
      {"termination_uri", t.termination_uri},
      {"username", text_or_null(t.username)},
      {"password_set", !t.password.empty()},
      {"number_prefixes", t.number_prefixes},
      {"priority", t.priority},
      {"weight", t.weight},
      {"max_concurrent_calls", t.max_concurrent_calls},
      {"caller_id", text_or_null(t.caller_id)},
      {"number_format", t.number_format},
      {"enabled", t.enabled},
      {"date_created", http::format_rfc2822(t.date_created)},
      {"date_updated", http::format_rfc2822(t.date_updated)},
      {"uri", trunks_path(t.account_sid) + "/" + t.sid + ".json"},
  };
}

ApiResult<int> parse_int(std::string_view name, std::string_view value, int min, int max) {
  int n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || n < min || n > max) {
    return bad_request(fmt::format("Invalid {}: it must be a whole number from {} to {}", name, min, max));
  }
  return n;
}

// Digest credentials toward the carrier: printable ASCII without quotes or
// backslashes (they travel inside a quoted-string), at most 128 characters.
ApiResult<void> check_credential(std::string_view name, std::string_view value) {
  if (value.size() > kCredentialMax) {
    return bad_request(fmt::format("Invalid {}: it must be at most {} characters long", name, kCredentialMax));
  }
  for (char c : value) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
      return bad_request(fmt::format("Invalid {}: only printable ASCII characters without \" and \\ are allowed",
                                     name));
    }
  }
  return {};
}

// NumberPrefixes: comma-separated (or the parameter repeated); "" = every number.
ApiResult<std::vector<std::string>> parse_prefixes(const http::Params& form) {
  std::vector<std::string> out;
  for (std::string_view value : form.all("NumberPrefixes")) {
    while (!value.empty()) {
      const auto comma = value.find(',');
      const std::string_view item = value.substr(0, comma);
      if (!trim(item).empty()) {
        auto p = dial::normalize_prefix(item);
        if (!p) return bad_request("Invalid NumberPrefixes: " + p.error().what());
        if (std::find(out.begin(), out.end(), *p) == out.end()) out.push_back(std::move(*p));
      }
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  if (out.size() > kPrefixesPerTrunk) {
    return bad_request(fmt::format("Invalid NumberPrefixes: at most {} prefixes per trunk", kPrefixesPerTrunk));
  }
  return out;
}

// Applies every parameter present in `form` to `t`.
ApiResult<void> apply_params(const http::Params& form, store::Trunk& t) {
  if (auto v = form.get("FriendlyName")) {
    if (auto ok = check_friendly_name(*v, kFriendlyNameMax); !ok) return ok;
    t.friendly_name = std::string(*v);
  }
  if (auto v = form.get("TerminationUri")) {
    auto uri = dial::parse_termination_uri(*v);
    if (!uri) return bad_request("Invalid TerminationUri: " + uri.error().what());
    t.termination_uri = std::string(*v);
  }
  if (auto v = form.get("Username")) {
    if (auto ok = check_credential("Username", *v); !ok) return ok;
    t.username = std::string(*v);
  }
  if (auto v = form.get("Password")) {
    if (auto ok = check_credential("Password", *v); !ok) return ok;
    t.password = std::string(*v);
  }
  if (form.contains("NumberPrefixes")) {
    auto prefixes = parse_prefixes(form);
    if (!prefixes) return std::unexpected(prefixes.error());
    t.number_prefixes = std::move(*prefixes);
  }
  struct IntField {
    const char* param;
    int* value;
    int max;
  };
  const IntField ints[] = {{"Priority", &t.priority, 65535},
                           {"Weight", &t.weight, 65535},
                           {"MaxConcurrentCalls", &t.max_concurrent_calls, 1000000}};
  for (const auto& f : ints) {
    if (auto v = form.get(f.param)) {
      auto n = parse_int(f.param, *v, 0, f.max);
      if (!n) return std::unexpected(n.error());
      *f.value = *n;
    }
  }
  if (auto v = form.get("CallerId")) {
    if (v->empty()) {
      t.caller_id.clear();
    } else {
      auto number = dial::normalize_number(*v);
      if (!number) return bad_request("Invalid CallerId: " + number.error().what());
      t.caller_id = std::move(*number);
    }
  }
  if (auto v = form.get("NumberFormat")) {
    auto format = dial::parse_number_format(*v);
    if (!format) return bad_request("Invalid NumberFormat: it must be e164 or e164-without-plus");
    t.number_format = std::string(dial::to_string(*format));
  }
  if (auto v = form.get("Enabled")) {
    auto b = parse_boolean("Enabled", *v);
    if (!b) return std::unexpected(b.error());
    t.enabled = *b;
  }
  if (t.password.size() && t.username.empty()) {
    return bad_request("Invalid Password: a Password needs a Username (digest credentials for the carrier)");
  }
  return {};
}

// A key error names the problem (no secret in it) instead of a bare 500.
ApiError map_store_error(const Context& ctx, const Error& e, std::string_view path) {
  if (store::is(e, store::Errc::SecretKey)) {
    ctx.log->error("{}: {}", path, e.what());
    return {500, kCodeInternal, "Trunk password unavailable: " + e.what()};
  }
  return from_store(e, path);
}

Reply list_trunks(const Context& ctx, const http::Request& req, const Scope& scope) {
  const auto path = trunks_path(scope.target.sid) + ".json";
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  auto page = read_page<store::Trunk>(
      *q, [&](const store::PageRequest& pr) { return ctx.store.trunks().list(scope.target.sid, pr); });
  if (!page) return std::unexpected(map_store_error(ctx, page.error(), path));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& t : page->items) items.push_back(trunk_json(t));
  return http::json_response(
      200, page_envelope(path, {}, *q, "trunks", std::move(items), page->has_more, page->last_seq));
}

Reply create_trunk(const Context& ctx, const http::Request& req, const Scope& scope) {
  const auto path = trunks_path(scope.target.sid) + ".json";
  auto uri = required_param(req.form(), "TerminationUri");
  if (!uri) return std::unexpected(uri.error());
  store::Trunk t;
  t.account_sid = scope.target.sid;
  t.friendly_name = *uri;  // the default when FriendlyName is absent
  if (auto ok = apply_params(req.form(), t); !ok) return std::unexpected(ok.error());

  auto count = ctx.store.trunks().count(scope.target.sid);
  if (!count) return std::unexpected(from_store(count.error(), path));
  if (*count >= kTrunksPerAccount) {
    return bad_request(fmt::format("This account already has the maximum of {} trunks", kTrunksPerAccount));
  }
  auto created = ctx.store.trunks().create(t);
  if (!created) return std::unexpected(map_store_error(ctx, created.error(), path));
  ctx.log->info("account {} created trunk {} ({})", scope.target.sid, created->sid, created->termination_uri);
  return http::json_response(201, trunk_json(*created));
}

Reply fetch_trunk(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "BY");
  if (!sid) return std::unexpected(sid.error());
  auto t = ctx.store.trunks().fetch(scope.target.sid, *sid);
  if (!t) return std::unexpected(map_store_error(ctx, t.error(), req.path()));
  return http::json_response(200, trunk_json(*t));
}

Reply update_trunk(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "BY");
  if (!sid) return std::unexpected(sid.error());
  auto t = ctx.store.trunks().fetch(scope.target.sid, *sid);
  if (!t) return std::unexpected(map_store_error(ctx, t.error(), req.path()));
  if (auto v = req.form().get("TerminationUri"); v && v->empty()) return missing_param("TerminationUri");
  if (auto ok = apply_params(req.form(), *t); !ok) return std::unexpected(ok.error());
  auto updated = ctx.store.trunks().update(*t);
  if (!updated) return std::unexpected(map_store_error(ctx, updated.error(), req.path()));
  return http::json_response(200, trunk_json(*updated));
}

Reply delete_trunk(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "BY");
  if (!sid) return std::unexpected(sid.error());
  if (auto ok = ctx.store.trunks().remove(scope.target.sid, *sid); !ok) {
    return std::unexpected(from_store(ok.error(), req.path()));
  }
  ctx.log->info("account {} deleted trunk {}", scope.target.sid, *sid);
  return http::empty_response(204);
}

}  // namespace

void add_trunk_routes(http::Router& router, const Context& ctx) {
  const std::string base = "/2010-04-01/Accounts/{AccountSid}/SIP/Trunks";
  router.add(http::Method::Get, base + ".json", with_scope(ctx, Access::Read, list_trunks));
  router.add(http::Method::Post, base + ".json", with_scope(ctx, Access::Write, create_trunk));
  router.add(http::Method::Get, base + "/{Sid}.json", with_scope(ctx, Access::Read, fetch_trunk));
  router.add(http::Method::Post, base + "/{Sid}.json", with_scope(ctx, Access::Write, update_trunk));
  router.add(http::Method::Delete, base + "/{Sid}.json", with_scope(ctx, Access::Write, delete_trunk));
}

}  // namespace callwire::api
