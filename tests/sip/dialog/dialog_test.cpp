// Dialog creation (§12.1), responses a UAS writes, the §12.2.2 checks on
// received requests and the UAC's view of responses.
#include "sip/dialog/dialog.hpp"

#include <gtest/gtest.h>

#include "sip/dialog/dialog_errc.hpp"
#include "test_support.hpp"

namespace callwire::sip {
namespace {

using test::alice_request;
using test::kInvite;
using test::kLocalContact;
using test::msg;
using test::parse;
using test::strings;

Dialog uas_dialog() {
  auto invite = msg(kInvite);
  auto d = Dialog::uas(invite, "cw-tag", std::string(kLocalContact));
  if (!d) throw std::runtime_error(d.error().what());
  return std::move(*d);
}

// An INVITE callwire sent to bob, and bob's answers through two proxies.
constexpr std::string_view kOurInvite =
    "INVITE sip:bob@203.0.113.5 SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKours1;rport\n"
    "Max-Forwards: 70\n"
    "From: \"Callwire\" <sip:+15550100@example.net>;tag=our-tag\n"
    "To: Bob <sip:bob@example.org>\n"
    "Call-ID: out-1@192.0.2.10\n"
    "CSeq: 1 INVITE\n"
    "Contact: <sip:callwire@192.0.2.10:5060>\n"
    "\n";

std::string bob_response(int status, std::string_view to_tag, std::string_view extra = {},
                         unsigned cseq = 1, std::string_view method = "INVITE") {
  std::string t = "SIP/2.0 " + std::to_string(status) + " X\n";
  t += "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKours1;rport=5060\n";
  t += "From: \"Callwire\" <sip:+15550100@example.net>;tag=our-tag\n";
  t += "To: Bob <sip:bob@example.org>;tag=" + std::string(to_tag) + "\n";
  t += "Call-ID: out-1@192.0.2.10\n";
  t += "CSeq: " + std::to_string(cseq) + " " + std::string(method) + "\n";
  t += extra;
  return t;
}

constexpr std::string_view kBobRecordRoute =
    "Record-Route: <sip:203.0.113.1;lr>, <sip:203.0.113.2;lr>\n"  // 203.0.113.1 is next to bob
    "Contact: <sip:bob@203.0.113.5:5070>\n";

TEST(DialogUas, CreatedFromInviteKeepsRouteSetInRequestOrder) {
  auto d = uas_dialog();
  EXPECT_EQ(d.role(), DialogRole::Uas);
  EXPECT_EQ(d.state(), DialogState::Early);
  EXPECT_EQ(d.call_id(), "call-1@198.51.100.7");
  EXPECT_EQ(d.local_tag(), "cw-tag");
  EXPECT_EQ(d.remote_tag(), "alice-tag");
  EXPECT_EQ(d.local_uri(), "sip:callwire@example.net");
  EXPECT_EQ(d.local_display_name(), "Callwire");
  EXPECT_EQ(d.remote_uri(), "sip:alice@example.com");
  EXPECT_EQ(d.remote_display_name(), "\"Alice Liddell\"");
  EXPECT_EQ(d.remote_cseq(), 10u);
  EXPECT_FALSE(d.local_cseq().has_value());
  EXPECT_EQ(d.remote_target(), "sip:alice@198.51.100.7:5060");
  EXPECT_EQ(d.route_set(), (std::vector<std::string>{"<sip:192.0.2.2;lr>", "<sip:192.0.2.1;lr;transport=udp>"}));
  EXPECT_EQ(d.local_contact(), kLocalContact);
  EXPECT_FALSE(d.secure());
  EXPECT_TRUE(d.remote_invite_pending());
}

TEST(DialogUas, SecureOnlyForSipsOverTls) {
  std::string invite(kInvite);
  invite.replace(invite.find("sip:callwire@192.0.2.10"), 3, "sips");
  auto m = msg(invite);
  auto tls = Dialog::uas(m, "t", "<sips:cw@192.0.2.10:5061>", Protocol::Tls);
  ASSERT_TRUE(tls);
  EXPECT_TRUE(tls->secure());
  auto tcp = Dialog::uas(m, "t", "<sip:cw@192.0.2.10>", Protocol::Tcp);
  ASSERT_TRUE(tcp);
  EXPECT_FALSE(tcp->secure());
}

TEST(DialogUas, InviteWithoutContactIsRefusedWith400) {
  std::string invite(kInvite);
  invite.erase(invite.find("Contact:"), std::string_view("Contact: <sip:alice@198.51.100.7:5060>\n").size());
  auto d = Dialog::uas(msg(invite), "t", std::string(kLocalContact));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, DialogErrc::MissingContact);
  EXPECT_EQ(dialog_status_for(d.error()), 400);
}

TEST(DialogUas, RingingAndOkCopyRecordRouteAndAddContact) {
  auto invite = msg(kInvite);
  auto d = uas_dialog();
  auto ringing = parse(d.make_response(invite, 180));
  EXPECT_EQ(ringing.status(), 180);
  EXPECT_EQ(ringing.to_tag(), "cw-tag");
  EXPECT_EQ(strings(ringing.values(HeaderId::RecordRoute)),
            (std::vector<std::string>{"<sip:192.0.2.2;lr>", "<sip:192.0.2.1;lr;transport=udp>"}));
  EXPECT_EQ(ringing.header(HeaderId::Contact), kLocalContact);
  EXPECT_EQ(strings(ringing.values(HeaderId::Via)).size(), 3u);
  EXPECT_EQ(d.state(), DialogState::Early);

  auto ok = parse(d.make_response(invite, 200, {}, {{}, "application/sdp", "v=0\r\n"}));
  EXPECT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.values(HeaderId::RecordRoute).size(), 2u);
  EXPECT_EQ(ok.header(HeaderId::Contact), kLocalContact);
  EXPECT_EQ(ok.body(), "v=0\r\n");
  EXPECT_EQ(d.state(), DialogState::Confirmed);
  EXPECT_FALSE(d.remote_invite_pending());
}

TEST(DialogUas, TryingHasNoTagAndRejectionEndsTheDialog) {
  auto invite = msg(kInvite);
  auto d = uas_dialog();
  auto trying = parse(d.make_response(invite, 100));
  EXPECT_TRUE(trying.to_tag().empty());
  EXPECT_FALSE(trying.has(HeaderId::RecordRoute));
  EXPECT_FALSE(trying.has(HeaderId::Contact));
  auto busy = parse(d.make_response(invite, 486));
  EXPECT_EQ(busy.to_tag(), "cw-tag");
  EXPECT_FALSE(busy.has(HeaderId::RecordRoute));
  EXPECT_EQ(d.state(), DialogState::Terminated);
}

TEST(DialogUas, LowerCSeqIsRefusedWith500EqualAndHigherPass) {
  auto d = uas_dialog();
  auto ok = d.accept_remote_request(alice_request("INFO", 12));
  ASSERT_TRUE(ok);
  EXPECT_EQ(d.remote_cseq(), 12u);

  auto old = alice_request("INFO", 11);
  auto refused = d.accept_remote_request(old);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, DialogErrc::CSeqOutOfOrder);
  EXPECT_EQ(dialog_status_for(refused.error()), 500);
  auto response = parse(rejection(old, refused.error()));
  EXPECT_EQ(response.status(), 500);
  EXPECT_FALSE(response.has(HeaderId::RetryAfter));
  EXPECT_EQ(response.cseq().number, 11u);
  EXPECT_EQ(d.remote_cseq(), 12u);

  EXPECT_TRUE(d.accept_remote_request(alice_request("OPTIONS", 12)));  // equal: not out of order
  EXPECT_TRUE(d.accept_remote_request(alice_request("INFO", 40)));
  EXPECT_EQ(d.remote_cseq(), 40u);
}

TEST(DialogUas, ReInviteAndUpdateRefreshTheTargetButNotTheRouteSet) {
  auto invite = msg(kInvite);
  auto d = uas_dialog();
  (void)d.make_response(invite, 200);
  auto routes = d.route_set();

  auto reinvite = alice_request("INVITE", 11,
                                "Contact: <sip:alice@198.51.100.8:5062;transport=tcp>\n"
                                "Record-Route: <sip:192.0.2.99;lr>\n");
  ASSERT_TRUE(d.accept_remote_request(reinvite));
  EXPECT_EQ(d.remote_target(), "sip:alice@198.51.100.8:5062;transport=tcp");
  EXPECT_EQ(d.route_set(), routes);
  (void)d.make_response(reinvite, 200);

  ASSERT_TRUE(d.accept_remote_request(alice_request("UPDATE", 12, "Contact: \"A\" <sip:alice@198.51.100.9>\n")));
  EXPECT_EQ(d.remote_target(), "sip:alice@198.51.100.9");

  // INFO is no target refresh: its Contact changes nothing.
  ASSERT_TRUE(d.accept_remote_request(alice_request("INFO", 13, "Contact: <sip:alice@203.0.113.200>\n")));
  EXPECT_EQ(d.remote_target(), "sip:alice@198.51.100.9");
  EXPECT_EQ(d.route_set(), routes);
}

TEST(DialogUas, ResponseToReInviteCarriesContactButNoRecordRoute) {
  auto invite = msg(kInvite);
  auto d = uas_dialog();
  (void)d.make_response(invite, 200);
  auto reinvite = alice_request("INVITE", 11, "Contact: <sip:alice@198.51.100.7>\nRecord-Route: <sip:192.0.2.2;lr>\n");
  ASSERT_TRUE(d.accept_remote_request(reinvite));
  auto ok = parse(d.make_response(reinvite, 200));
  EXPECT_EQ(ok.header(HeaderId::Contact), kLocalContact);
  EXPECT_FALSE(ok.has(HeaderId::RecordRoute));
  EXPECT_EQ(ok.to_tag(), "cw-tag");
  auto bye = alice_request("BYE", 12);
  auto bye_ok = parse(d.make_response(bye, 200));
  EXPECT_FALSE(bye_ok.has(HeaderId::Contact));
}

TEST(DialogUas, ByeEndsTheDialogAndLaterRequestsGet481) {
  auto invite = msg(kInvite);
  auto d = uas_dialog();
  (void)d.make_response(invite, 200);
  ASSERT_TRUE(d.accept_remote_request(alice_request("BYE", 11)));
  EXPECT_EQ(d.state(), DialogState::Terminated);
  auto late = d.accept_remote_request(alice_request("INFO", 12));
  ASSERT_FALSE(late);
  EXPECT_EQ(dialog_status_for(late.error()), 481);
}

TEST(DialogGlare, ReInviteWhileOursIsPendingGets491) {
  auto invite = msg(kInvite);
  auto d = uas_dialog();
  (void)d.make_response(invite, 200);
  LocalVia via{Protocol::Udp, "192.0.2.10", 5060};
  auto ours = parse(d.make_request(Method::Invite, via, "z9hG4bKre1"));
  EXPECT_TRUE(d.local_invite_pending());

  auto theirs = alice_request("INVITE", 11, "Contact: <sip:alice@198.51.100.7>\n");
  auto refused = d.accept_remote_request(theirs);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, DialogErrc::RequestPending);
  auto response = parse(rejection(theirs, refused.error()));
  EXPECT_EQ(response.status(), 491);

  // Our re-INVITE is answered: theirs is welcome again.
  auto answer = msg(std::string("SIP/2.0 200 OK\n") +
                    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKre1\n"
                    "From: Callwire <sip:callwire@example.net>;tag=cw-tag\n"
                    "To: \"Alice Liddell\" <sip:alice@example.com>;tag=alice-tag\n"
                    "Call-ID: call-1@198.51.100.7\n"
                    "CSeq: " + std::to_string(ours.cseq().number) + " INVITE\n"
                    "Contact: <sip:alice@198.51.100.7:5060>\n");
  d.update_from_response(answer);
  EXPECT_FALSE(d.local_invite_pending());
  EXPECT_TRUE(d.accept_remote_request(alice_request("INVITE", 12, "Contact: <sip:alice@198.51.100.7>\n")));
}

TEST(DialogGlare, SecondReInviteBeforeWeAnswerGets500WithRetryAfter) {
  auto invite = msg(kInvite);
  auto d = uas_dialog();
  (void)d.make_response(invite, 200);
  auto first = alice_request("INVITE", 11, "Contact: <sip:alice@198.51.100.7>\n");
  ASSERT_TRUE(d.accept_remote_request(first));
  EXPECT_TRUE(d.remote_invite_pending());

  auto second = alice_request("INVITE", 12, "Contact: <sip:alice@198.51.100.7>\n");
  auto refused = d.accept_remote_request(second);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, DialogErrc::InviteInProgress);
  auto response = parse(rejection(second, refused.error()));
  EXPECT_EQ(response.status(), 500);
  ASSERT_TRUE(response.has(HeaderId::RetryAfter));
  int seconds = std::stoi(std::string(response.header(HeaderId::RetryAfter)));
  EXPECT_GE(seconds, 0);
  EXPECT_LE(seconds, 10);

  (void)d.make_response(first, 200);
  EXPECT_FALSE(d.remote_invite_pending());
  EXPECT_TRUE(d.accept_remote_request(alice_request("INVITE", 13, "Contact: <sip:alice@198.51.100.7>\n")));
}

TEST(DialogGlare, InitialInviteUnansweredMakesAReInviteOverlap) {
  auto d = uas_dialog();
  auto early = d.accept_remote_request(alice_request("INVITE", 11, "Contact: <sip:alice@198.51.100.7>\n"));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, DialogErrc::InviteInProgress);
}

TEST(DialogUac, CreatedFrom2xxWithRouteSetReversed) {
  auto request = msg(kOurInvite);
  auto ok = msg(bob_response(200, "bob-tag", kBobRecordRoute));
  auto d = Dialog::uac(request, ok);
  ASSERT_TRUE(d) << d.error().what();
  EXPECT_EQ(d->role(), DialogRole::Uac);
  EXPECT_EQ(d->state(), DialogState::Confirmed);
  EXPECT_EQ(d->id(), (DialogId{"out-1@192.0.2.10", "our-tag", "bob-tag"}));
  EXPECT_EQ(d->local_uri(), "sip:+15550100@example.net");
  EXPECT_EQ(d->local_display_name(), "\"Callwire\"");
  EXPECT_EQ(d->remote_uri(), "sip:bob@example.org");
  EXPECT_EQ(d->remote_display_name(), "Bob");
  EXPECT_EQ(d->local_cseq(), 1u);
  EXPECT_FALSE(d->remote_cseq().has_value());
  EXPECT_EQ(d->remote_target(), "sip:bob@203.0.113.5:5070");
  EXPECT_EQ(d->route_set(), (std::vector<std::string>{"<sip:203.0.113.2;lr>", "<sip:203.0.113.1;lr>"}));
  EXPECT_EQ(d->local_contact(), "<sip:callwire@192.0.2.10:5060>");
}

TEST(DialogUac, TryingAndTaglessResponsesCreateNothing) {
  auto request = msg(kOurInvite);
  auto trying = msg(bob_response(100, "bob-tag"));
  EXPECT_FALSE(Dialog::uac(request, trying));
  std::string tagless = bob_response(180, "x");
  tagless.replace(tagless.find(";tag=x"), 6, "");
  auto r = Dialog::uac(request, msg(tagless));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, DialogErrc::NotDialogCreating);
  EXPECT_FALSE(Dialog::uac(request, msg(bob_response(486, "bob-tag"))));
}

TEST(DialogUac, EarlyDialogIsConfirmedBy2xxWhichRecomputesTheRouteSet) {
  auto request = msg(kOurInvite);
  auto ringing = msg(bob_response(180, "bob-tag",
                                  "Record-Route: <sip:203.0.113.9;lr>\nContact: <sip:bob@203.0.113.5:5070>\n"));
  auto d = Dialog::uac(request, ringing);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->state(), DialogState::Early);
  EXPECT_EQ(d->route_set(), (std::vector<std::string>{"<sip:203.0.113.9;lr>"}));
  EXPECT_TRUE(d->local_invite_pending());

  d->update_from_response(msg(bob_response(200, "bob-tag", "Record-Route: <sip:203.0.113.1;lr>, <sip:203.0.113.2;lr>\nContact: <sip:bob@203.0.113.6>\n")));
  EXPECT_EQ(d->state(), DialogState::Confirmed);
  EXPECT_EQ(d->route_set(), (std::vector<std::string>{"<sip:203.0.113.2;lr>", "<sip:203.0.113.1;lr>"}));
  EXPECT_EQ(d->remote_target(), "sip:bob@203.0.113.6");
  EXPECT_FALSE(d->local_invite_pending());
}

TEST(DialogUac, FinalFailureEndsEarlyDialog) {
  auto request = msg(kOurInvite);
  auto d = Dialog::uac(request, msg(bob_response(183, "bob-tag", "Contact: <sip:bob@203.0.113.5>\n")));
  ASSERT_TRUE(d);
  d->update_from_response(msg(bob_response(486, "bob-tag")));
  EXPECT_EQ(d->state(), DialogState::Terminated);
}

TEST(DialogUac, Answer481Or408ToAnInDialogRequestEndsTheDialog) {
  auto request = msg(kOurInvite);
  auto d = Dialog::uac(request, msg(bob_response(200, "bob-tag", kBobRecordRoute)));
  ASSERT_TRUE(d);
  d->update_from_response(msg(bob_response(404, "bob-tag", {}, 2, "INFO")));
  EXPECT_EQ(d->state(), DialogState::Confirmed);
  d->update_from_response(msg(bob_response(481, "bob-tag", {}, 3, "INFO")));
  EXPECT_EQ(d->state(), DialogState::Terminated);

  auto e = Dialog::uac(request, msg(bob_response(200, "bob-tag", kBobRecordRoute)));
  ASSERT_TRUE(e);
  e->update_from_response(msg(bob_response(408, "bob-tag", {}, 2, "OPTIONS")));
  EXPECT_EQ(e->state(), DialogState::Terminated);
}

TEST(DialogUac, TwoXxToUpdateRefreshesTheTarget) {
  auto request = msg(kOurInvite);
  auto d = Dialog::uac(request, msg(bob_response(200, "bob-tag", kBobRecordRoute)));
  ASSERT_TRUE(d);
  d->update_from_response(msg(bob_response(200, "bob-tag", "Contact: <sip:bob@203.0.113.77>\n", 2, "UPDATE")));
  EXPECT_EQ(d->remote_target(), "sip:bob@203.0.113.77");
  d->update_from_response(msg(bob_response(200, "bob-tag", "Contact: <sip:bob@203.0.113.78>\n", 3, "INFO")));
  EXPECT_EQ(d->remote_target(), "sip:bob@203.0.113.77");
  EXPECT_EQ(d->route_set().size(), 2u);
}

}  // namespace
}  // namespace callwire::sip
