// Every transaction log line names its Call-ID and branch.
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "core/log.hpp"
#include "tx_fixture.hpp"

namespace callwire::sip::test {
namespace {

class TxLogging : public TxTest {
 protected:
  void SetUp() override {
    logger_ = log::get("tx");
    saved_sinks_ = logger_->sinks();
    saved_level_ = logger_->level();
    logger_->sinks() = {std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)};
    logger_->set_level(spdlog::level::trace);
  }
  void TearDown() override {
    logger_->sinks() = saved_sinks_;
    logger_->set_level(saved_level_);
  }
  std::vector<std::string> lines() {
    logger_->flush();
    std::vector<std::string> v;
    std::istringstream in(out_.str());
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
  }

  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> logger_;
  std::vector<spdlog::sink_ptr> saved_sinks_;
  spdlog::level::level_enum saved_level_{};
};

TEST_F(TxLogging, LinesCarryCallIdAndBranch) {
  Req invite;
  invite.call_id = "log-call@x";
  invite.branch = "z9hG4bK-logged";
  feed(invite);
  respond(tu.requests.at(0).tx, invite, 486);
  timers.advance(40s);  // G retransmissions, then H
  auto all = lines();
  ASSERT_GE(all.size(), 4u);
  for (const auto& l : all) {
    EXPECT_NE(l.find("[cid=log-call@x]"), std::string::npos) << l;
    EXPECT_NE(l.find("z9hG4bK-logged"), std::string::npos) << l;
  }
}

}  // namespace
}  // namespace callwire::sip::test
