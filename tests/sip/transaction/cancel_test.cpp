// CANCEL (§9): answered by the server layer, built and held back by the
// client layer.
#include "tx_fixture.hpp"

namespace callwire::sip::test {
namespace {

class ServerCancel : public TxTest {
 protected:
  TxId receive_invite() {
    feed(invite);
    return tu.requests.at(0).tx;
  }
  Req cancel_of(const Req& r) const {
    Req c = r;
    c.method = "CANCEL";
    return c;
  }
  Req invite;
};

TEST_F(ServerCancel, CancelOfProceedingInviteGets200AndTellsTheTu) {
  TxId tx = receive_invite();
  respond(tx, invite, 180, "uas-tag");
  tu.on_cancel_hook = [&](TxId invite_tx) { respond(invite_tx, invite, 487, "uas-tag"); };
  feed(cancel_of(invite));
  ASSERT_EQ(tu.cancels, (std::vector<TxId>{tx}));
  ASSERT_EQ(sent_count(), 4u);  // 100, 180, 200 (CANCEL), 487 (INVITE)
  Message ok = sent(2);
  EXPECT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.cseq().method, Method::Cancel);
  EXPECT_EQ(ok.top_via().branch(), "z9hG4bK-1");
  EXPECT_EQ(ok.to_tag(), "uas-tag");  // §9.2: same tag as the INVITE's responses
  EXPECT_EQ(sent(3).status(), 487);
  EXPECT_EQ(sent(3).cseq().method, Method::Invite);
  EXPECT_EQ(layer().state(tx), TxState::Completed);
  EXPECT_EQ(tu.requests.size(), 1u);  // the CANCEL itself is not a TU request
}

TEST_F(ServerCancel, RetransmittedCancelGetsThe200AgainOnly) {
  TxId tx = receive_invite();
  feed(cancel_of(invite));
  feed(cancel_of(invite));
  EXPECT_EQ(tu.cancels.size(), 1u);
  ASSERT_EQ(sent_count(), 3u);
  EXPECT_EQ(sent(1).status(), 200);
  EXPECT_EQ(sent(2).status(), 200);
  EXPECT_EQ(sent(2).cseq().method, Method::Cancel);
  EXPECT_EQ(layer().state(tx), TxState::Proceeding);  // until the TU answers
}

TEST_F(ServerCancel, CancelMatchingNothingGets481) {
  feed(cancel_of(invite));
  ASSERT_EQ(sent_count(), 1u);
  EXPECT_EQ(sent(0).status(), 481);
  EXPECT_FALSE(sent(0).to_tag().empty());
  EXPECT_TRUE(tu.cancels.empty());
  EXPECT_TRUE(tu.requests.empty());
  EXPECT_EQ(layer().counters().cancels_unmatched, 1u);
}

TEST_F(ServerCancel, CancelWithOtherBranchMatchesNothing) {
  receive_invite();
  Req c = cancel_of(invite);
  c.branch = "z9hG4bK-other";
  feed(c);
  EXPECT_EQ(sent(1).status(), 481);
  EXPECT_TRUE(tu.cancels.empty());
}

TEST_F(ServerCancel, CancelAfterTheFinalResponseGets200WithNoEffect) {
  TxId tx = receive_invite();
  respond(tx, invite, 486);
  feed(cancel_of(invite));
  EXPECT_EQ(sent(2).status(), 200);
  EXPECT_EQ(sent(2).cseq().method, Method::Cancel);
  EXPECT_TRUE(tu.cancels.empty());
  EXPECT_EQ(layer().state(tx), TxState::Completed);

  Req second = invite;
  second.branch = "z9hG4bK-2";
  second.cseq = 2;
  feed(second);
  TxId tx2 = tu.requests.back().tx;
  respond(tx2, second, 200);
  feed(cancel_of(second));
  EXPECT_EQ(last_sent().status(), 200);
  EXPECT_TRUE(tu.cancels.empty());
  EXPECT_EQ(layer().state(tx2), TxState::Accepted);
}

TEST_F(ServerCancel, CancelOnlyMatchesInviteTransactions) {
  Req options = invite;
  options.method = "OPTIONS";
  feed(options);
  feed(cancel_of(options));
  // A CANCEL matches only INVITE transactions (§9.2): there is none.
  EXPECT_EQ(last_sent().status(), 481);
}

TEST_F(ServerCancel, CancelTransactionEndsWithTimerJ) {
  TxId tx = receive_invite();
  feed(cancel_of(invite));
  respond(tx, invite, 487);
  feed([&] {
    Req a = invite;
    a.method = "ACK";
    a.to_tag = "b1";
    return a;
  }());
  timers.advance(32s);
  EXPECT_EQ(layer().size(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
  // Only the INVITE transaction was the TU's.
  ASSERT_EQ(tu.ended.size(), 1u);
  EXPECT_EQ(tu.ended[0].first, tx);
}

class ClientCancel : public TxTest {
 protected:
  ClientCancel() {
    invite.branch = "z9hG4bK-out1";
    invite.sent_by = "192.0.2.1:5060";
    invite.routes = {"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"};
  }
  TxId start() {
    auto id = layer().send_request(invite.str(), route_to(Protocol::Udp, 5070), log.callbacks());
    EXPECT_TRUE(id.has_value());
    return id.value_or(0);
  }
  Req cancel_req() const {
    Req c = invite;
    c.method = "CANCEL";
    return c;
  }
  Req invite;
  ClientLog log, cancel_log;
};

TEST_F(ClientCancel, CancelAfterProvisionalIsSentWithTheInvitesHeaders) {
  TxId tx = start();
  feed(reply(invite.str(), 180));
  auto c = layer().cancel(tx, cancel_log.callbacks());
  ASSERT_TRUE(c.has_value()) << c.error().what();
  EXPECT_NE(*c, tx);
  ASSERT_EQ(sent_count(), 2u);
  EXPECT_EQ(transport.sent[1].route.port, 5070);  // same destination as the INVITE
  Message cancel = sent(1);
  Message inv = invite.msg();
  EXPECT_EQ(cancel.method(), Method::Cancel);
  EXPECT_EQ(cancel.request_uri(), inv.request_uri());
  EXPECT_EQ(cancel.call_id(), inv.call_id());
  EXPECT_EQ(cancel.header(HeaderId::From), inv.header(HeaderId::From));
  EXPECT_EQ(cancel.header(HeaderId::To), inv.header(HeaderId::To));
  EXPECT_EQ(cancel.cseq().number, inv.cseq().number);
  EXPECT_EQ(cancel.cseq().method, Method::Cancel);
  EXPECT_EQ(cancel.top_via().text, inv.top_via().text);
  EXPECT_EQ(cancel.values(HeaderId::Via).size(), 1u);
  EXPECT_EQ(cancel.values(HeaderId::Route),
            (std::vector<std::string_view>{"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"}));

  // The 200 to the CANCEL and the 487 to the INVITE go to their own transactions.
  feed(reply(cancel_req().str(), 200));
  EXPECT_EQ(cancel_log.statuses, (std::vector<int>{200}));
  feed(reply(invite.str(), 487));
  EXPECT_EQ(log.statuses, (std::vector<int>{180, 487}));
  EXPECT_EQ(sent(2).method(), Method::Ack);
  EXPECT_EQ(layer().state(*c), TxState::Completed);
  timers.advance(32s);
  EXPECT_EQ(layer().size(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST_F(ClientCancel, CancelBeforeAnyProvisionalWaitsForOne) {
  TxId tx = start();
  auto c = layer().cancel(tx, cancel_log.callbacks());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(sent_count(), 1u);  // §9.1: not yet
  EXPECT_EQ(layer().state(*c), TxState::Trying);
  timers.advance(500ms);  // INVITE retransmitted, CANCEL still held
  ASSERT_EQ(sent_count(), 2u);
  EXPECT_EQ(sent(1).method(), Method::Invite);
  feed(reply(invite.str(), 100));
  ASSERT_EQ(sent_count(), 3u);
  EXPECT_EQ(sent(2).method(), Method::Cancel);
  // The CANCEL now runs its own timer E.
  timers.advance(500ms);
  EXPECT_EQ(sent(3).method(), Method::Cancel);
}

TEST_F(ClientCancel, HeldCancelIsDroppedWhenTheInviteGetsAFinalResponse) {
  TxId tx = start();
  auto c = layer().cancel(tx, cancel_log.callbacks());
  ASSERT_TRUE(c.has_value());
  feed(reply(invite.str(), 486));
  EXPECT_EQ(layer().state(*c), std::nullopt);
  ASSERT_EQ(sent_count(), 2u);
  EXPECT_EQ(sent(1).method(), Method::Ack);
  EXPECT_TRUE(cancel_log.statuses.empty());
  EXPECT_EQ(cancel_log.timeouts, 0);
}

TEST_F(ClientCancel, HeldCancelIsDroppedWhenTheInviteTimesOut) {
  TxId tx = start();
  auto c = layer().cancel(tx, cancel_log.callbacks());
  ASSERT_TRUE(c.has_value());
  timers.advance(32s);
  EXPECT_EQ(log.timeouts, 1);
  EXPECT_EQ(layer().size(), 0u);
  EXPECT_EQ(timers.pending(), 0u);
  for (const auto& s : transport.sent) EXPECT_EQ(parse_ok(s.bytes).method(), Method::Invite);
}

TEST_F(ClientCancel, CancelIsRefusedAfterTheFinalOrTwice) {
  TxId tx = start();
  feed(reply(invite.str(), 180));
  ASSERT_TRUE(layer().cancel(tx, {}).has_value());
  EXPECT_FALSE(layer().cancel(tx, {}).has_value());

  invite.branch = "z9hG4bK-out2";
  TxId tx2 = start();
  feed(reply(invite.str(), 200));
  EXPECT_FALSE(layer().cancel(tx2, {}).has_value());
  EXPECT_FALSE(layer().cancel(12345, {}).has_value());
}

TEST_F(ClientCancel, NonInviteCannotBeCancelled) {
  Req options = invite;
  options.method = "OPTIONS";
  auto tx = layer().send_request(options.str(), route_to(Protocol::Udp), {});
  ASSERT_TRUE(tx.has_value());
  EXPECT_FALSE(layer().cancel(*tx, {}).has_value());
}

}  // namespace
}  // namespace callwire::sip::test
