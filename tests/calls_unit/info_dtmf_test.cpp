// Keys in SIP INFO bodies, as phones send them.
#include "calls/info_dtmf.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string_view>

namespace callwire::calls {
namespace {

struct Case {
  std::string_view content_type;
  std::string_view body;
  std::optional<char> key;
};

TEST(InfoDtmf, BodiesPhonesSend) {
  const Case cases[] = {
      {"application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", '5'},
      {"application/dtmf-relay", "Signal= #\r\nDuration= 250\r\n", '#'},
      {"Application/DTMF-Relay; charset=utf-8", "signal=*\n", '*'},
      {"application/dtmf-relay", "Duration=160\r\nSignal=10\r\n", '*'},  // 10/11: * and # (Cisco, Polycom)
      {"application/dtmf-relay", "Signal=11", '#'},
      {"application/dtmf-relay", "Signal=a", 'A'},
      {"application/dtmf-relay", "Signal=D\r\n", 'D'},
      {"application/dtmf", "7", '7'},
      {"application/dtmf", " 9\r\n", '9'},
      {"application/dtmf-relay", "Signal=12", std::nullopt},
      {"application/dtmf-relay", "Signal=E", std::nullopt},
      {"application/dtmf-relay", "Signal=", std::nullopt},
      {"application/dtmf-relay", "Duration=160", std::nullopt},
      {"application/dtmf-relay", "", std::nullopt},
      {"application/dtmf", "55", std::nullopt},
      {"text/plain", "Signal=5", std::nullopt},
      {"", "Signal=5", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(info_dtmf_key(c.content_type, c.body), c.key) << c.content_type << " | " << c.body;
  }
}

}  // namespace
}  // namespace callwire::calls
