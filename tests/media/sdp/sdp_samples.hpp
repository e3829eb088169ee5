#pragma once
// Real-world offers live once, in the fuzz seed corpus; the tests read them.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "media/sdp/parser.hpp"

namespace callwire::media::sdp::test {

inline std::string sample(const std::string& name) {
  std::ifstream in(std::string(CALLWIRE_TEST_DATA) + "/../../../fuzz/corpus/sdp_fuzz/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline SessionDescription parsed(const std::string& text) {
  auto r = parse(text);
  EXPECT_TRUE(r) << (r ? "" : r.error().what());
  return r ? *r : SessionDescription{};
}

inline SessionDescription parsed_sample(const std::string& name) { return parsed(sample(name)); }

}  // namespace callwire::media::sdp::test
