// The console's encoding of log names in a logsV2 link (compiler/failure_notice.h).
#include "failure_notice.h"

#include <gtest/gtest.h>

namespace orchc {
namespace {

TEST(FailureNotice, ConsoleLogsPartEncodesTwice) {
  EXPECT_EQ(ConsoleLogsPart("/ecs/prod-sample-batch"), "$252Fecs$252Fprod-sample-batch");
  EXPECT_EQ(ConsoleLogsPart("a b{c}'"), "a$2520b$257Bc$257D$2527");
  EXPECT_EQ(ConsoleLogsPart("x_y.z~"), "x_y.z~");
}

}  // namespace
}  // namespace orchc
