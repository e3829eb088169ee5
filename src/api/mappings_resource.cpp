// Credential-list and IP-ACL mappings of a domain (contract §5): the legacy
// SIP/Domains/{SD}/CredentialListMappings and IpAccessControlListMappings,
// and Auth/Calls/* and Auth/Registrations/*. Legacy and Auth/Calls are views
// of the same rows (the store keeps one table), so mapping a list through
// both is a duplicate.
#include <fmt/format.h>

#include "api/context.hpp"
#include "api/paging.hpp"
#include "api/validation.hpp"
#include "api/views.hpp"
#include "store/errc.hpp"

namespace callwire::api {

namespace {

struct MappingRoute {
  std::string suffix;  // after ".../SIP/Domains/{DomainSid}"
  store::MappingKind kind;
  store::MappingUsage usage;
  bool legacy;

  bool credential() const { return kind == store::MappingKind::CredentialList; }
  const char* param() const { return credential() ? "CredentialListSid" : "IpAccessControlListSid"; }
  const char* prefix() const { return credential() ? "CL" : "AL"; }
  const char* resource() const { return credential() ? "CredentialList" : "IpAccessControlList"; }
  const char* list_key() const {
    if (!legacy) return "contents";
    return credential() ? "credential_list_mappings" : "ip_access_control_list_mappings";
  }
  nlohmann::json to_json(const store::Mapping& m) const {
    return legacy ? legacy_mapping_json(m) : auth_mapping_json(m);
  }
};

const MappingRoute kRoutes[] = {
    {"/CredentialListMappings", store::MappingKind::CredentialList, store::MappingUsage::Calls, true},
    {"/IpAccessControlListMappings", store::MappingKind::IpAccessControlList, store::MappingUsage::Calls, true},
    {"/Auth/Calls/CredentialListMappings", store::MappingKind::CredentialList, store::MappingUsage::Calls, false},
    {"/Auth/Calls/IpAccessControlListMappings", store::MappingKind::IpAccessControlList, store::MappingUsage::Calls,
     false},
    {"/Auth/Registrations/CredentialListMappings", store::MappingKind::CredentialList,
     store::MappingUsage::Registrations, false},
};

// The domain of the path, which must exist in the account (404 otherwise).
ApiResult<std::string> path_domain(const Context& ctx, const http::Request& req, const Scope& scope) {
  auto sid = sid_capture(req, "DomainSid", "SD");
  if (!sid) return std::unexpected(sid.error());
  auto d = ctx.store.domains().fetch(scope.target.sid, *sid);
  if (!d) return std::unexpected(from_store(d.error(), req.path()));
  return std::move(*sid);
}

Reply list_mappings(const MappingRoute& route, const Context& ctx, const http::Request& req, const Scope& scope) {
  auto domain = path_domain(ctx, req, scope);
  if (!domain) return std::unexpected(domain.error());
  const auto path = paths::domain(scope.target.sid, *domain) + route.suffix + ".json";
  auto q = parse_page_query(req.query());
  if (!q) return std::unexpected(q.error());
  const store::MappingKey key{scope.target.sid, *domain, route.kind, route.usage};
  auto page = read_page<store::Mapping>(
      *q, [&](const store::PageRequest& pr) { return ctx.store.mappings().list(key, pr); });
  if (!page) return std::unexpected(from_store(page.error(), path));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& m : page->items) items.push_back(route.to_json(m));
  return http::json_response(
      200, page_envelope(path, {}, *q, route.list_key(), std::move(items), page->has_more, page->last_seq));
}

Reply create_mapping(const MappingRoute& route, const Context& ctx, const http::Request& req, const Scope& scope) {
  auto domain = path_domain(ctx, req, scope);
  if (!domain) return std::unexpected(domain.error());
  auto raw = required_param(req.form(), route.param());
  if (!raw) return std::unexpected(raw.error());
  auto list_sid = normalize_sid(*raw, route.prefix());
  if (!list_sid) {
    return bad_request(fmt::format("Invalid {}: it must be {} followed by 32 hex digits", route.param(), route.prefix()));
  }
  const store::MappingKey key{scope.target.sid, *domain, route.kind, route.usage};
  if (route.usage == store::MappingUsage::Registrations) {
    const auto limit = ctx.config.limits.registration_credential_lists_per_domain;
    auto existing = ctx.store.mappings().list(key, store::PageRequest{limit, 0});
    if (!existing) return std::unexpected(from_store(existing.error(), req.path()));
    if (existing->items.size() >= limit) {
      return bad_request(fmt::format("This domain already has the maximum of {} credential lists for registrations",
                                     limit));
    }
  }
  auto mapped = ctx.store.mappings().map(key, *list_sid);
  if (!mapped) {
    const auto& e = mapped.error();
    if (store::is(e, store::Errc::Conflict)) {
      return bad_request(fmt::format("{} already associated with this domain", route.resource()),
                         kCodeDomainValidation);
    }
    if (store::is(e, store::Errc::ForeignKey) || store::is(e, store::Errc::NotFound)) {
      // The list does not exist in this account (another account's list
      // looks the same: nothing tells the two apart).
      return api_fail(404, kCodeNotFound,
                      fmt::format("The requested resource {} {} was not found", route.resource(), *list_sid));
    }
    return std::unexpected(from_store(e, req.path()));
  }
  ctx.log->info("account {} mapped {} to domain {}{}", scope.target.sid, *list_sid, *domain, route.suffix);
  return http::json_response(201, route.to_json(*mapped));
}

ApiResult<std::pair<std::string, std::string>> path_mapping(const MappingRoute& route, const Context& ctx,
                                                            const http::Request& req, const Scope& scope) {
  auto domain = path_domain(ctx, req, scope);
  if (!domain) return std::unexpected(domain.error());
  auto sid = sid_capture(req, "Sid", route.prefix());
  if (!sid) return std::unexpected(sid.error());
  return std::pair{std::move(*domain), std::move(*sid)};
}

Reply fetch_mapping(const MappingRoute& route, const Context& ctx, const http::Request& req, const Scope& scope) {
  auto ids = path_mapping(route, ctx, req, scope);
  if (!ids) return std::unexpected(ids.error());
  const store::MappingKey key{scope.target.sid, ids->first, route.kind, route.usage};
  auto m = ctx.store.mappings().fetch(key, ids->second);
  if (!m) return std::unexpected(from_store(m.error(), req.path()));
  return http::json_response(200, route.to_json(*m));
}

Reply delete_mapping(const MappingRoute& route, const Context& ctx, const http::Request& req, const Scope& scope) {
  auto ids = path_mapping(route, ctx, req, scope);
  if (!ids) return std::unexpected(ids.error());
  const store::MappingKey key{scope.target.sid, ids->first, route.kind, route.usage};
  if (auto ok = ctx.store.mappings().unmap(key, ids->second); !ok) {
    return std::unexpected(from_store(ok.error(), req.path()));
  }
  ctx.log->info("account {} unmapped {} from domain {}{}", scope.target.sid, ids->second, ids->first, route.suffix);
  return http::empty_response(204);
}

}  // namespace

void add_mapping_routes(http::Router& router, const Context& ctx) {
  const std::string domain = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{DomainSid}";
  for (const auto& route : kRoutes) {
    const auto* r = &route;
    auto bind = [r](Reply (*fn)(const MappingRoute&, const Context&, const http::Request&, const Scope&)) {
      return [r, fn](const Context& c, const http::Request& q, const Scope& s) { return fn(*r, c, q, s); };
    };
    const auto collection = domain + route.suffix + ".json";
    const auto instance = domain + route.suffix + "/{Sid}.json";
    router.add(http::Method::Get, collection, with_scope(ctx, Access::Read, bind(list_mappings)));
    router.add(http::Method::Post, collection, with_scope(ctx, Access::Write, bind(create_mapping)));
    router.add(http::Method::Get, instance, with_scope(ctx, Access::Read, bind(fetch_mapping)));
    router.add(http::Method::Delete, instance, with_scope(ctx, Access::Write, bind(delete_mapping)));
  }
}

}  // namespace callwire::api
