// InboundCall's <Dial>: loads the account's trunks when a number is dialed
// (off the worker), runs a DialSession, and serves as its DialHost (the
// caller's media, answering, keys, alerts). When the caller hangs up during
// the dial, the call posts the Dial action itself (its answer is not run).
#include <algorithm>
#include <utility>

#include "calls/inbound_call.hpp"
#include "calls/calls_logger.hpp"
#include "core/log.hpp"
#include "twiml/errc.hpp"

namespace callwire::calls {
namespace {

// The trunks a call of `account_sid` may use: its own, then its parent's
// (a main account's trunks serve its sub-accounts).
Result<std::vector<store::Trunk>> load_trunks(CallServices& s, const std::string& account_sid) {
  auto own = s.trunks->list_all(account_sid);
  if (!own) return std::unexpected(own.error());
  if (s.accounts == nullptr) return own;
  auto account = s.accounts->fetch(account_sid);
  if (!account || account->is_main()) return own;
  auto parent = s.trunks->list_all(account->owner_account_sid);
  if (!parent) return std::unexpected(parent.error());
  own->insert(own->end(), std::make_move_iterator(parent->begin()), std::make_move_iterator(parent->end()));
  return own;
}

}  // namespace

void InboundCall::dial(twiml::DialRequest request, twiml::DialDone done) {
  // The caller hanging up mid-dial: the action still hears how it went.
  if (!request.action_url.empty()) {
    auto* client = services_.webhooks[worker_];
    std::string url = request.action_url, method = request.action_method, token = domain_->auth_token;
    // The call's final status is known only once it has ended.
    CallIdentity identity = identity_;
    InviteFacts facts = facts_;
    auto final_status = std::make_shared<std::string>("completed");
    dial_final_status_ = final_status;
    done = [client, identity, facts, final_status, url, method, token, done = std::move(done)](twiml::DialResult r) mutable {
      if (!r.caller_hung_up) {
        done(std::move(r));
        return;
      }
      webhook::Request req;
      req.url = url;
      req.method = method;
      req.params = call_params(identity, facts, *final_status);
      for (auto& p : twiml::dial_action_params(r)) req.params.push_back(std::move(p));
      req.auth_token = token;
      client->send(std::move(req), [](webhook::Outcome) {});
    };
  }
  bool numbers = std::any_of(request.targets.begin(), request.targets.end(),
                             [](const twiml::DialTarget& t) { return t.kind == twiml::DialTarget::Kind::Number; });
  if (!numbers || services_.trunks == nullptr || !services_.offload) {
    start_dial(std::move(request), std::move(done), {});
    return;
  }
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto& pool = services_.pool;
  std::size_t worker = worker_;
  CallServices& services = services_;
  std::string account = identity_.account_sid;
  services_.offload([weak, &pool, &services, worker, account, request = std::move(request),
                     done = std::move(done)]() mutable {
    auto trunks = load_trunks(services, account);
    pool.post(worker, [weak, trunks = std::move(trunks), request = std::move(request), done = std::move(done)]() mutable {
      auto self = weak.lock();
      if (!self || self->phase_ == Phase::Ended) return;
      if (!trunks) {
        logger()->warn("call {}: trunks not read: {}", self->sid(), trunks.error().what());
        self->start_dial(std::move(request), std::move(done), {});
        return;
      }
      self->start_dial(std::move(request), std::move(done), std::move(*trunks));
    });
  });
}

void InboundCall::start_dial(twiml::DialRequest request, twiml::DialDone done, std::vector<store::Trunk> trunks) {
  if (phase_ == Phase::Ended) return;
  DialContext ctx{identity_.account_sid, identity_.call_sid, domain_->auth_token, identity_.domain_name, facts_.from,
                  std::move(trunks)};
  // The session ends before the call does (finish() tells it), and it is
  // kept until the next <Dial> replaces it.
  std::weak_ptr<InboundCall> weak = weak_from_this();
  auto wrapped = [weak, done = std::move(done)](twiml::DialResult r) mutable {
    if (auto self = weak.lock(); self && self->dial_ && self->dial_->finished()) {
      // The caller's keys belong to the next verb again.
      self->digit_handler_ = nullptr;
    }
    done(std::move(r));
  };
  dial_ = std::make_shared<DialSession>(services_, stack_, worker_, legs_, static_cast<DialHost&>(*this), std::move(ctx),
                                        std::move(request), std::move(wrapped));
  dial_->start();
}

std::shared_ptr<media::engine::MediaSession> InboundCall::caller_media() {
  return media_ready() ? session_ : nullptr;
}

void InboundCall::answer_caller(std::function<void()> ready) {
  if (phase_ == Phase::Ringing) answer();
  if (phase_ == Phase::Ended) return;
  if (awaiting_answer()) {
    after_answer_ = std::move(ready);
    return;
  }
  ready();
}

void InboundCall::early_media_caller(std::function<void()> ready) {
  if (phase_ != Phase::Ringing || offer_.empty()) return;  // our offer in a 183 would need PRACK
  if (!session_) {
    auto sdp = answer_sdp();
    if (!sdp) return;  // refused (488/503): the call is over
    sip::MessageParts parts;
    parts.content_type = "application/sdp";
    parts.body = std::move(*sdp);
    if (auto sent = stack_.respond(invite_, 183, "Session Progress", parts); !sent) {
      logger()->info("[cid={}] call {}: 183 not sent: {}", facts_.sip_call_id, sid(), sent.error().what());
      return;
    }
    start_media();
  }
  if (media_ready()) ready();
}

void InboundCall::dial_digits(std::function<void(char)> on_digit) { collect_digits(std::move(on_digit)); }

void InboundCall::dial_alert(int code, std::string message) {
  logger()->info("[cid={}] call {}: Dial {}: {}", facts_.sip_call_id, sid(), code, message);
  alert_for(code, "error", std::move(message), {}, {}, {}, {});
}

}  // namespace callwire::calls
