#include "dial/trunk_plan.hpp"

#include <gtest/gtest.h>

#include <map>

#include "dial/errc.hpp"

namespace callwire::dial {
namespace {

store::Trunk trunk(std::string sid, std::vector<std::string> prefixes, int priority = 10, int weight = 10,
                   bool enabled = true) {
  store::Trunk t;
  t.sid = std::move(sid);
  t.number_prefixes = std::move(prefixes);
  t.priority = priority;
  t.weight = weight;
  t.enabled = enabled;
  return t;
}

// Returns the given numbers in turn (then repeats the last).
RandomSource sequence(std::vector<std::uint64_t> values) {
  auto i = std::make_shared<std::size_t>(0);
  return [values, i] {
    const std::uint64_t v = values[std::min(*i, values.size() - 1)];
    ++*i;
    return v;
  };
}

std::vector<std::string> sids(const Result<std::vector<store::Trunk>>& plan) {
  std::vector<std::string> out;
  if (plan) {
    for (const auto& t : *plan) out.push_back(t.sid);
  }
  return out;
}

TEST(TrunkPlan, MostSpecificPrefixFirstThenPriorityAndCatchAllLast) {
  const std::vector<store::Trunk> trunks = {
      trunk("catchall", {}, 1),
      trunk("uk", {"+44"}, 10),
      trunk("london", {"+4420", "+4421"}, 20),
      trunk("us", {"+1"}, 1),
      trunk("uk-backup", {"+44"}, 5),
  };
  auto plan = plan_trunks(trunks, "+442079460958", std::nullopt, sequence({0}));
  EXPECT_EQ(sids(plan), (std::vector<std::string>{"london", "uk-backup", "uk", "catchall"}));
  EXPECT_EQ(sids(plan_trunks(trunks, "+14155551234", std::nullopt, sequence({0}))),
            (std::vector<std::string>{"us", "catchall"}));
  EXPECT_EQ(sids(plan_trunks(trunks, "+33123456789", std::nullopt, sequence({0}))),
            (std::vector<std::string>{"catchall"}));
}

TEST(TrunkPlan, DisabledTrunksAreSkippedAndNoMatchIsNoRoute) {
  const std::vector<store::Trunk> trunks = {trunk("us", {"+1"}), trunk("off", {}, 10, 10, false)};
  auto plan = plan_trunks(trunks, "+33123456789", std::nullopt, sequence({0}));
  ASSERT_FALSE(plan.has_value());
  EXPECT_TRUE(is(plan.error(), Errc::NoRoute));
  EXPECT_NE(plan.error().what().find("+33123456789"), std::string::npos);
  EXPECT_FALSE(plan_trunks({}, "+14155551234", std::nullopt, sequence({0})).has_value());
}

TEST(TrunkPlan, ByocNamesOneTrunkWhateverItsPrefixes) {
  const std::vector<store::Trunk> trunks = {trunk("us", {"+1"}), trunk("off", {}, 10, 10, false)};
  EXPECT_EQ(sids(plan_trunks(trunks, "+33123456789", std::string_view("us"), sequence({0}))),
            (std::vector<std::string>{"us"}));
  auto off = plan_trunks(trunks, "+14155551234", std::string_view("off"), sequence({0}));
  ASSERT_FALSE(off.has_value());
  EXPECT_TRUE(is(off.error(), Errc::TrunkDisabled));
  auto missing = plan_trunks(trunks, "+14155551234", std::string_view("nope"), sequence({0}));
  ASSERT_FALSE(missing.has_value());
  EXPECT_TRUE(is(missing.error(), Errc::TrunkNotFound));
}

TEST(TrunkPlan, WeightedOrderFollowsTheRandomDraws) {
  // Weights 30 / 10 / 0: draws below 30 pick "a" first, 30..39 pick "b".
  const std::vector<store::Trunk> trunks = {trunk("a", {}, 10, 30), trunk("standby", {}, 10, 0),
                                            trunk("b", {}, 10, 10)};
  EXPECT_EQ(sids(plan_trunks(trunks, "+14155551234", std::nullopt, sequence({29, 0}))),
            (std::vector<std::string>{"a", "b", "standby"}));
  EXPECT_EQ(sids(plan_trunks(trunks, "+14155551234", std::nullopt, sequence({30, 0}))),
            (std::vector<std::string>{"b", "a", "standby"}));
  EXPECT_EQ(sids(plan_trunks(trunks, "+14155551234", std::nullopt, sequence({39 + 40, 0}))),
            (std::vector<std::string>{"b", "a", "standby"}));
}

TEST(TrunkPlan, WeightsShareFirstAttemptsInProportion) {
  const std::vector<store::Trunk> trunks = {trunk("a", {}, 10, 30), trunk("b", {}, 10, 10), trunk("c", {"+1"}, 10)};
  auto random = default_random_source();
  std::map<std::string, int> first;
  constexpr int kRuns = 8000;
  for (int i = 0; i < kRuns; ++i) {
    auto plan = plan_trunks(trunks, "+14155551234", std::nullopt, random);
    ASSERT_TRUE(plan.has_value());
    ASSERT_EQ(plan->size(), 3u);
    EXPECT_EQ((*plan)[0].sid, "c");  // the +1 trunk is more specific
    ++first[(*plan)[1].sid];
  }
  // 75 % ± a wide margin (the chance of failing is far below 1e-9).
  EXPECT_NEAR(first["a"] / double(kRuns), 0.75, 0.04);
}

TEST(TrunkPlan, MatchLength) {
  EXPECT_EQ(match_length(trunk("x", {}), "+1415"), 0u);
  EXPECT_EQ(match_length(trunk("x", {"+1", "+141"}), "+14155551234"), 4u);
  EXPECT_EQ(match_length(trunk("x", {"+44"}), "+14155551234"), std::nullopt);
}

}  // namespace
}  // namespace callwire::dial
