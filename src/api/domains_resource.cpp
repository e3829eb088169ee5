// SIP Domains (contract §2): /2010-04-01/Accounts/{AccountSid}/SIP/Domains.
#include <fmt/format.h>

#include "api/context.hpp"
#include "api/domain_name.hpp"
#include "api/paging.hpp"
#include "api/validation.hpp"
#include "api/views.hpp"
#include "store/errc.hpp"

namespace callwire::api {

namespace {

constexpr std::size_t kDomainNameMax = 64;

std::unexpected<ApiError> domain_exists(std::string_view name) {
  return bad_request(fmt::format("Domain {} already exists.", name), kCodeDomainExists);
}

// Global uniqueness, the SID reservation and the subdomain rule for `name`,
// to be owned by scope.target. `self_sid` is the domain being renamed.
ApiResult<void> check_ownership(const Context& ctx, const Scope& scope, const DomainName& name,
                                std::string_view self_sid, std::string_view path) {
  const auto suffix = ctx.config.domain_suffix();
  const auto& target = scope.target;
  if (auto reserved = reserved_account_sid(name.name, suffix); reserved && *reserved != target.sid) {
    return domain_exists(name.name);
  }
  auto existing = ctx.store.domains().find_by_name(name.name);
  if (existing && existing->sid != self_sid) return domain_exists(name.name);
  if (!existing && !store::is(existing.error(), store::Errc::NotFound)) {
    return std::unexpected(from_store(existing.error(), path));
  }

  auto parent = parent_domain_name(name, suffix);
  if (!parent) return {};
  // The nearest existing ancestor decides; an account's reserved name counts
  // as that account's domain even when no Domain resource exists for it.
  std::optional<std::string> owner;
  for (auto ancestor = parent; ancestor && !owner;) {
    auto found = ctx.store.domains().find_by_name(*ancestor);
    if (found) {
      owner = found->account_sid;
    } else if (!store::is(found.error(), store::Errc::NotFound)) {
      return std::unexpected(from_store(found.error(), path));
    } else if (auto reserved = reserved_account_sid(*ancestor, suffix)) {
      owner = *reserved;
    } else {
      auto parsed = parse_domain_name(*ancestor, suffix);
      ancestor = parsed ? parent_domain_name(*parsed, suffix) : std::nullopt;
    }
  }
  if (!owner) {
    return bad_request(fmt::format("Domain {} is a subdomain of {}, which does not exist: create {} first", name.name,
                                   *parent, *parent),
                       kCodeDomainValidation);
  }
  const bool own = *owner == target.sid;
  const bool masters = !target.is_main() && *owner == target.owner_account_sid;
  if (!own && !masters) {
    return bad_request(fmt::format("Domain {} is a subdomain of a domain that belongs to another account; only the "
                                   "owner of {} (or its sub-accounts) may create it",
                                   name.name, *parent),
                       kCodeDomainValidation);
  }
  return {};
}

// Applies every parameter except DomainName to `d`.
ApiResult<void> apply_params(const http::Params& form, store::Domain& d) {
  if (auto v = form.get("FriendlyName")) {
    if (auto ok = check_friendly_name(*v, kDomainNameMax); !ok) return ok;
    d.friendly_name = std::string(*v);
  }
  struct UrlField {
    const char* url_param;
    const char* method_param;
    std::optional<std::string>* url;
    std::string* method;
  };
  const UrlField fields[] = {
      {"VoiceUrl", "VoiceMethod", &d.voice_url, &d.voice_method},
      {"VoiceFallbackUrl", "VoiceFallbackMethod", &d.voice_fallback_url, &d.voice_fallback_method},
      {"VoiceStatusCallbackUrl", "VoiceStatusCallbackMethod", &d.voice_status_callback_url,
       &d.voice_status_callback_method},
  };
  for (const auto& f : fields) {
    if (auto v = form.get(f.url_param)) {
      if (v->empty()) {
        f.url->reset();  // "" clears the URL
      } else {
        if (auto ok = check_url(f.url_param, *v); !ok) return ok;
        *f.url = std::string(*v);
      }
    }
    if (auto v = form.get(f.method_param)) {
      auto m = parse_http_method(f.method_param, *v);
      if (!m) return std::unexpected(m.error());
      *f.method = std::move(*m);
    }
  }
  struct BoolField {
    const char* param;
    bool* value;
  };
  const BoolField flags[] = {{"SipRegistration", &d.sip_registration},
                             {"EmergencyCallingEnabled", &d.emergency_calling_enabled},
                             {"Secure", &d.secure}};
  for (const auto& f : flags) {
    if (auto v = form.get(f.param)) {
      auto b = parse_boolean(f.param, *v);
      if (!b) return std::unexpected(b.error());
      *f.value = *b;
    }
  }
  if (auto v = form.get("ByocTrunkSid")) {
    auto sid = parse_optional_sid("ByocTrunkSid", *v, "BY");
    if (!sid) return std::unexpected(sid.error());
    d.byoc_trunk_sid = std::move(*sid);
  }
  if (auto v = form.get("EmergencyCallerSid")) {
    auto sid = parse_optional_sid("EmergencyCallerSid", *v, "PN");
    if (!sid) return std::unexpected(sid.error());
    d.emergency_caller_sid = std::move(*sid);
  }
  if (d.voice_fallback_url && !d.voice_url) {
    return bad_request("VoiceFallbackUrl was given without VoiceUrl: a fallback needs a primary URL",
                       kCodeFallbackWithoutUrl);
  }
  return {};
}

ApiError map_write_error(const Error& e, std::string_view name, std::string_view path) {
  if (store::is(e, store::Errc::Conflict)) return domain_exists(name).error();
  return from_store(e, path);
}

Reply list_domains(const Context& ctx, const http::Request& req, const Scope& scope) {
  const auto path = paths::domains(scope.target.sid) + ".json";
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  auto page = read_page<store::Domain>(
      *q, [&](const store::PageRequest& pr) { return ctx.store.domains().list(scope.target.sid, pr); });
  if (!page) return std::unexpected(from_store(page.error(), path));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& d : page->items) items.push_back(domain_json(d));
  return http::json_response(200, page_envelope(path, {}, *q, "domains", std::move(items), page->has_more,
                                                page->last_seq));
}

Reply create_domain(const Context& ctx, const http::Request& req, const Scope& scope) {
  const auto path = paths::domains(scope.target.sid) + ".json";
  auto raw = required_param(req.form(), "DomainName");
  if (!raw) return std::unexpected(raw.error());
  auto name = parse_domain_name(*raw, ctx.config.domain_suffix());
  if (!name) return std::unexpected(name.error());

  store::Domain d;
  d.account_sid = scope.target.sid;
  d.domain_name = name->name;
  d.friendly_name = name->name;  // the default when FriendlyName is absent
  if (auto ok = apply_params(req.form(), d); !ok) return std::unexpected(ok.error());

  auto count = ctx.store.domains().count(scope.target.sid);
  if (!count) return std::unexpected(from_store(count.error(), path));
  if (*count >= ctx.config.limits.domains_per_account) {
    return bad_request(
        fmt::format("This account already has the maximum of {} SIP domains", ctx.config.limits.domains_per_account));
  }
  if (auto ok = check_ownership(ctx, scope, *name, "", path); !ok) return std::unexpected(ok.error());

  auto created = ctx.store.domains().create(d);
  if (!created) return std::unexpected(map_write_error(created.error(), name->name, path));
  ctx.log->info("account {} created domain {} ({})", scope.target.sid, created->sid, created->domain_name);
  return http::json_response(201, domain_json(*created));
}

Reply fetch_domain(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "SD");
  if (!sid) return std::unexpected(sid.error());
  auto d = ctx.store.domains().fetch(scope.target.sid, *sid);
  if (!d) return std::unexpected(from_store(d.error(), req.path()));
  return http::json_response(200, domain_json(*d));
}

Reply update_domain(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "SD");
  if (!sid) return std::unexpected(sid.error());
  auto d = ctx.store.domains().fetch(scope.target.sid, *sid);
  if (!d) return std::unexpected(from_store(d.error(), req.path()));
  if (auto raw = req.form().get("DomainName")) {
    auto name = parse_domain_name(*raw, ctx.config.domain_suffix());
    if (!name) return std::unexpected(name.error());
    if (name->name != d->domain_name) {
      if (auto ok = check_ownership(ctx, scope, *name, d->sid, req.path()); !ok) return std::unexpected(ok.error());
      d->domain_name = name->name;
    }
  }
  if (auto ok = apply_params(req.form(), *d); !ok) return std::unexpected(ok.error());
  auto updated = ctx.store.domains().update(*d);
  if (!updated) return std::unexpected(map_write_error(updated.error(), d->domain_name, req.path()));
  return http::json_response(200, domain_json(*updated));
}

Reply delete_domain(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "Sid", "SD");
  if (!sid) return std::unexpected(sid.error());
  if (auto ok = ctx.store.domains().remove(scope.target.sid, *sid); !ok) {
    return std::unexpected(from_store(ok.error(), req.path()));
  }
  ctx.log->info("account {} deleted domain {}", scope.target.sid, *sid);
  return http::empty_response(204);
}

}  // namespace

void add_domain_routes(http::Router& router, const Context& ctx) {
  const std::string base = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains";
  router.add(http::Method::Get, base + ".json", with_scope(ctx, Access::Read, list_domains));
  router.add(http::Method::Post, base + ".json", with_scope(ctx, Access::Write, create_domain));
  router.add(http::Method::Get, base + "/{Sid}.json", with_scope(ctx, Access::Read, fetch_domain));
  router.add(http::Method::Post, base + "/{Sid}.json", with_scope(ctx, Access::Write, update_domain));
  router.add(http::Method::Delete, base + "/{Sid}.json", with_scope(ctx, Access::Write, delete_domain));
}

}  // namespace callwire::api
