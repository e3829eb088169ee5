#include "api/paging.hpp"

#include <gtest/gtest.h>

namespace callwire::api {
namespace {

http::Params q(std::initializer_list<http::Param> p) { return http::Params(p); }

TEST(PageQuery, DefaultsAndBounds) {
  auto d = parse_page_query({});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->page_size, 50u);
  EXPECT_EQ(d->page, 0);
  EXPECT_FALSE(d->has_token);
  EXPECT_TRUE(parse_page_query(q({{"PageSize", "1"}})));
  EXPECT_TRUE(parse_page_query(q({{"PageSize", "1000"}})));
  for (const char* bad : {"0", "1001", "-1", "x", ""}) {
    auto r = parse_page_query(q({{"PageSize", bad}}));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, kCodeInvalidParameter);
  }
  EXPECT_FALSE(parse_page_query(q({{"Page", "-1"}})));
}

TEST(PageQuery, TokenRoundTrips) {
  for (std::int64_t seq : {std::int64_t{0}, std::int64_t{1}, std::int64_t{255}, std::int64_t{1} << 40}) {
    auto token = encode_page_token(seq);
    auto r = parse_page_query(q({{"PageToken", token}}));
    ASSERT_TRUE(r) << token;
    EXPECT_TRUE(r->has_token);
    EXPECT_EQ(r->after_seq, seq);
  }
  for (const char* bad : {"", "PA", "XX10", "PAzz", "PA10 ", "PA-1", "PAFF", "PA10000000000000000"}) {
    EXPECT_FALSE(parse_page_query(q({{"PageToken", bad}}))) << bad;
  }
}

TEST(Envelope, FirstMiddleLast) {
  PageQuery first;
  first.page_size = 2;
  auto e = page_envelope("/x/Items.json", {}, first, "items", nlohmann::json::array({1, 2}), true, 7);
  EXPECT_EQ(e["first_page_uri"], "/x/Items.json?PageSize=2&Page=0");
  EXPECT_EQ(e["uri"], "/x/Items.json?PageSize=2&Page=0");
  EXPECT_EQ(e["next_page_uri"], "/x/Items.json?PageSize=2&Page=1&PageToken=" + encode_page_token(7));
  EXPECT_TRUE(e["previous_page_uri"].is_null());
  EXPECT_EQ(e["page"], 0);
  EXPECT_EQ(e["page_size"], 2);
  EXPECT_EQ(e["start"], 0);
  EXPECT_EQ(e["end"], 1);
  EXPECT_EQ(e["items"].size(), 2u);

  PageQuery last = first;
  last.page = 2;
  last.has_token = true;
  last.after_seq = 9;
  http::Params filters{{"Status", "active"}};
  auto l = page_envelope("/x/Items.json", filters, last, "items", nlohmann::json::array({5}), false, 11);
  EXPECT_TRUE(l["next_page_uri"].is_null());
  EXPECT_EQ(l["previous_page_uri"], "/x/Items.json?Status=active&PageSize=2&Page=1");
  EXPECT_EQ(l["uri"], "/x/Items.json?Status=active&PageSize=2&Page=2&PageToken=" + encode_page_token(9));
  EXPECT_EQ(l["start"], 4);
  EXPECT_EQ(l["end"], 4);
}

TEST(ReadPage, SkipsEarlierPagesWithoutToken) {
  // 10 rows with seq 1..10; the fetch serves keyset pages.
  PageFetch<int> fetch = [](const store::PageRequest& r) -> Result<store::Page<int>> {
    store::Page<int> p;
    for (std::int64_t s = r.after_seq + 1; s <= 10 && p.items.size() < r.page_size; ++s) {
      p.items.push_back(static_cast<int>(s));
      p.last_seq = s;
    }
    p.has_more = p.last_seq < 10 && !p.items.empty();
    return p;
  };
  PageQuery query;
  query.page_size = 3;
  query.page = 2;
  auto p = read_page(query, fetch);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->items, (std::vector<int>{7, 8, 9}));
  query.page = 5;
  p = read_page(query, fetch);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->items.empty());
  EXPECT_FALSE(p->has_more);
  query.page = 0;
  query.has_token = true;
  query.after_seq = 4;
  p = read_page(query, fetch);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->items, (std::vector<int>{5, 6, 7}));
}

}  // namespace
}  // namespace callwire::api
