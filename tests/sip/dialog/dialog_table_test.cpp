#include "sip/dialog/dialog_table.hpp"

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

Dialog make(std::string_view local_tag) {
  auto d = Dialog::uas(msg(kInvite), std::string(local_tag), std::string(kLocalContact));
  if (!d) throw std::runtime_error(d.error().what());
  return std::move(*d);
}

TEST(DialogTable, FindsRequestsByToTagAndResponsesByFromTag) {
  DialogTable table;
  auto inserted = table.insert(make("cw-tag"));
  ASSERT_TRUE(inserted);
  ASSERT_TRUE(table.insert(make("other-tag")));
  EXPECT_EQ(table.size(), 2u);

  EXPECT_EQ(table.find_for_request(alice_request("INFO", 11)), *inserted);
  EXPECT_EQ(table.find_for_request(alice_request("INFO", 11, {}, "call-1@198.51.100.7", "nope")), nullptr);
  EXPECT_EQ(table.find_for_request(alice_request("INFO", 11, {}, "call-2@198.51.100.7")), nullptr);

  // A response to a request we sent in the dialog: our tag is in From.
  auto response = msg(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKx\n"
      "From: <sip:callwire@example.net>;tag=cw-tag\n"
      "To: <sip:alice@example.com>;tag=alice-tag\n"
      "Call-ID: call-1@198.51.100.7\n"
      "CSeq: 1 BYE\n");
  EXPECT_EQ(table.find_for_response(response), *inserted);
  EXPECT_EQ(table.find({"call-1@198.51.100.7", "cw-tag", "alice-tag"}), *inserted);
  EXPECT_EQ(table.find_all("call-1@198.51.100.7", "cw-tag").size(), 1u);
}

TEST(DialogTable, RefusesDuplicatesAndRemoves) {
  DialogTable table;
  ASSERT_TRUE(table.insert(make("cw-tag")));
  auto again = table.insert(make("cw-tag"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, DialogErrc::DialogExists);
  DialogId id{"call-1@198.51.100.7", "cw-tag", "alice-tag"};
  EXPECT_TRUE(table.remove(id));
  EXPECT_FALSE(table.remove(id));
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.find(id), nullptr);
  EXPECT_TRUE(table.find_all("call-1@198.51.100.7", "cw-tag").empty());
}

TEST(DialogTable, UnknownDialogGets481ButAckIsDropped) {
  auto info = alice_request("INFO", 3);
  EXPECT_TRUE(is_in_dialog_request(info));
  auto response = no_dialog_response(info);
  ASSERT_TRUE(response);
  auto r = parse(*response);
  EXPECT_EQ(r.status(), 481);
  EXPECT_EQ(r.reason_phrase(), "Call/Transaction Does Not Exist");
  EXPECT_EQ(r.to_tag(), "cw-tag");
  EXPECT_EQ(r.cseq().number, 3u);

  EXPECT_FALSE(no_dialog_response(alice_request("ACK", 3)));
  EXPECT_FALSE(is_in_dialog_request(msg(kInvite)));
}

}  // namespace
}  // namespace callwire::sip
