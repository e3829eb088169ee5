// Matching of inbound messages that are not plain retransmissions: merged
// requests (§8.2.2.2), RFC 2543 peers without the magic cookie (§17.2.3),
// ACKs for 2xx and stray responses.
#include "tx_fixture.hpp"

namespace callwire::sip::test {
namespace {

class Matching : public TxTest {
 protected:
  Req invite;
};

TEST_F(Matching, MergedRequestGets482AndNeverReachesTheTu) {
  feed(invite);
  Req forked = invite;
  forked.branch = "z9hG4bK-via-other-proxy";
  feed(forked);
  EXPECT_EQ(tu.requests.size(), 1u);
  ASSERT_EQ(sent_count(), 2u);
  Message loop = sent(1);
  EXPECT_EQ(loop.status(), 482);
  EXPECT_EQ(loop.top_via().branch(), "z9hG4bK-via-other-proxy");
  EXPECT_FALSE(loop.to_tag().empty());
  EXPECT_EQ(layer().counters().merged_requests, 1u);

  // Its retransmission gets the 482 again; its ACK completes it.
  feed(forked);
  ASSERT_EQ(sent_count(), 3u);
  EXPECT_EQ(sent(2).status(), 482);
  Req ack = forked;
  ack.method = "ACK";
  ack.to_tag = std::string(loop.to_tag());
  feed(ack);
  EXPECT_TRUE(tu.acks.empty());
  timers.advance(5s);  // timer I of the 482 transaction
  EXPECT_EQ(layer().size(), 1u);  // only the original INVITE is left
  EXPECT_TRUE(tu.ended.empty());  // the 482 transaction was never the TU's
}

TEST_F(Matching, MergedNonInviteRequestGets482) {
  Req msg = invite;
  msg.method = "MESSAGE";
  feed(msg);
  Req again = msg;
  again.branch = "z9hG4bK-2";
  feed(again);
  EXPECT_EQ(tu.requests.size(), 1u);
  EXPECT_EQ(last_sent().status(), 482);
}

TEST_F(Matching, RequestsWithAToTagOrAnotherCSeqAreNotMerged) {
  feed(invite);
  Req in_dialog = invite;
  in_dialog.branch = "z9hG4bK-2";
  in_dialog.to_tag = "b1";
  feed(in_dialog);
  Req next = invite;
  next.branch = "z9hG4bK-3";
  next.cseq = 2;
  feed(next);
  Req other_call = invite;
  other_call.branch = "z9hG4bK-4";
  other_call.call_id = "call-2";
  feed(other_call);
  EXPECT_EQ(tu.requests.size(), 4u);
  EXPECT_EQ(layer().counters().merged_requests, 0u);
}

TEST_F(Matching, MergeWindowEndsWithTheOriginalTransaction) {
  Req msg = invite;
  msg.method = "MESSAGE";
  feed(msg);
  respond(tu.requests[0].tx, msg, 200);
  timers.advance(32s);  // timer J
  Req again = msg;
  again.branch = "z9hG4bK-2";
  feed(again);
  EXPECT_EQ(tu.requests.size(), 2u);
}

TEST_F(Matching, Rfc2543InviteRetransmissionAckAndCancelMatch) {
  invite.branch = "";  // an RFC 2543 peer: no magic cookie
  feed(invite);
  TxId tx = tu.requests.at(0).tx;
  feed(invite);
  EXPECT_EQ(tu.requests.size(), 1u);
  EXPECT_EQ(sent_count(), 2u);  // 100, 100 again

  Req cancel = invite;
  cancel.method = "CANCEL";
  feed(cancel);
  EXPECT_EQ(tu.cancels, (std::vector<TxId>{tx}));
  EXPECT_EQ(last_sent().status(), 200);

  respond(tx, invite, 487);
  Req ack = invite;
  ack.method = "ACK";
  ack.to_tag = "b1";
  feed(ack);
  EXPECT_EQ(layer().state(tx), TxState::Confirmed);
  EXPECT_TRUE(tu.acks.empty());
}

TEST_F(Matching, Rfc2543RequestsDifferingInCSeqAreDistinct) {
  invite.branch = "1";
  invite.method = "OPTIONS";
  feed(invite);
  Req next = invite;
  next.cseq = 2;
  feed(next);
  EXPECT_EQ(tu.requests.size(), 2u);
}

TEST_F(Matching, AckMatchingNoTransactionGoesToTheTu) {
  Req ack = invite;
  ack.method = "ACK";
  ack.to_tag = "b1";
  feed(ack);
  ASSERT_EQ(tu.acks.size(), 1u);
  EXPECT_EQ(parse_ok(tu.acks[0]).method(), Method::Ack);
  EXPECT_EQ(layer().size(), 0u);
  EXPECT_EQ(sent_count(), 0u);  // nothing ever answers an ACK
}

TEST_F(Matching, ResponseMatchingNoClientTransactionIsStray) {
  feed(reply(invite.str(), 200));
  ASSERT_EQ(tu.strays.size(), 1u);
  EXPECT_EQ(parse_ok(tu.strays[0]).status(), 200);
  EXPECT_EQ(layer().counters().stray_responses, 1u);
}

TEST_F(Matching, ServerAndClientTransactionsWithTheSameBranchAreSeparate) {
  // A request we receive and one we send that happen to share a branch.
  feed(invite);
  auto out = layer().send_request(invite.str(), route_to(Protocol::Udp), {});
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(layer().size(), 2u);
  feed(reply(invite.str(), 180));
  EXPECT_EQ(layer().state(*out), TxState::Proceeding);
  EXPECT_EQ(layer().state(tu.requests[0].tx), TxState::Proceeding);
}

TEST_F(Matching, LocalResponsesUseTheInjectedResponseVia) {
  via_for = [](const Via& top, const Source& src) {
    return std::string(top.text) + ";received=" + src.remote_address.to_string();
  };
  feed(invite);  // 100 Trying
  Req cancel = invite;
  cancel.method = "CANCEL";
  cancel.branch = "z9hG4bK-none";
  feed(cancel);  // 481
  Req forked = invite;
  forked.branch = "z9hG4bK-fork";
  feed(forked);  // 482
  ASSERT_EQ(sent_count(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(sent(i).top_via().received(), "192.0.2.10") << transport.sent[i].bytes;
  }
  EXPECT_EQ(sent(1).status(), 481);
  EXPECT_EQ(sent(2).status(), 482);
}

TEST_F(Matching, LayerDestroyedWithLiveTransactionsLeavesNoTimers) {
  feed(invite);
  respond(tu.requests[0].tx, invite, 486);
  Req bye = invite;
  bye.method = "BYE";
  bye.branch = "z9hG4bK-bye";
  ASSERT_TRUE(layer().send_request(bye.str(), route_to(Protocol::Udp), {}).has_value());
  EXPECT_GT(timers.pending(), 0u);
  layer_.reset();
  EXPECT_EQ(timers.pending(), 0u);
}

}  // namespace
}  // namespace callwire::sip::test
