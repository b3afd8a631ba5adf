// sample-batch-test: the job with a test hook linked in, for the server tests only (never
// shipped). SAMPLE_BATCH_TEST_HOLD_SECONDS=S makes each day's transaction run pg_sleep(S) on the
// server after the summary statement and before COMMIT, which makes "mid-transaction"
// deterministic (SIGTERM, SIGKILL, lock held, server restart, statement timeout, partition).
#include <cstdlib>
#include <string>

#include "batch_main.h"
#include "pg.h"

namespace {

class HoldBeforeCommit : public batch::JobHooks {
 public:
  explicit HoldBeforeCommit(std::string seconds) : seconds_(std::move(seconds)) {}
  void BeforeCommit(batch::Connection& conn) override {
    conn.Exec("SELECT pg_sleep($1::float8)", {seconds_});
  }

 private:
  std::string seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  const char* hold = std::getenv("SAMPLE_BATCH_TEST_HOLD_SECONDS");
  if (hold == nullptr || *hold == '\0') return batch::Main(argc, argv, nullptr);
  HoldBeforeCommit hook(hold);
  return batch::Main(argc, argv, &hook);
}
