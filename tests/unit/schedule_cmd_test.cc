// `orchc schedule` run in-process, the time-zone check, and the schedule warnings of validate.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli.h"
#include "test_util.h"

namespace orchc {
namespace {

namespace fs = std::filesystem;

constexpr char kSpec[] = R"yaml(version: 1
env: dev
imports:
  taskDefinition: {ssm: /dev/ecs/task-definition-arn}
workflows:
  nightly:
    schedules:
      - expression: cron(30 2 * * ? *)
        engine: scheduler
        timezone: Europe/Berlin
        name: berlin
      - expression: rate(1 day)
        engine: scheduler
        timezone: Europe/Berlin
        flexibleWindow: 15m
    task: {container: app, command: [run]}
  weekly:
    schedule: {expression: "cron(0 12 ? * 1-5 *)"
}
    task: {container: app, command: [run]}
)yaml";

class ScheduleCommandTest : public testing::TempDirTest {
 protected:
  std::string Write(const std::string& text) {
    fs::path p = dir_ / "spec.yaml";
    std::ofstream(p) << text;
    return p.string();
  }
  int Run(std::vector<std::string> args) {
    std::vector<const char*> argv = {"orchc"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    out_.str("");
    err_.str("");
    return RunCli(static_cast<int>(argv.size()), argv.data(), out_, err_);
  }
  std::ostringstream out_, err_;
};

TEST_F(ScheduleCommandTest, JsonListsSkippedRunsWithNullUtc) {
  std::string spec = Write(kSpec);
  ASSERT_EQ(Run({"schedule", spec, "--workflow", "nightly", "--from", "2027-03-27T12:00:00Z",
                 "--count", "2", "--format", "json"}),
            0)
      << err_.str();
  Json j = Json::parse(out_.str());
  ASSERT_EQ(j.size(), 4u);
  EXPECT_EQ(j[0]["schedule"], "berlin");
  EXPECT_TRUE(j[0]["utc"].is_null());
  EXPECT_EQ(j[0]["local"], "2027-03-28T02:30:00");
  EXPECT_EQ(j[0]["note"], "dst-skipped");
  EXPECT_EQ(j[1]["utc"], "2027-03-29T00:30:00Z");
  EXPECT_EQ(j[1]["local"], "2027-03-29T02:30:00+02:00");
  EXPECT_TRUE(j[1]["note"].is_null());
  EXPECT_EQ(j[2]["schedule"], "1");  // no name: its index
  EXPECT_EQ(j[2]["engine"], "scheduler");
  EXPECT_EQ(j[2]["utc"], "2027-03-27T12:00:00Z");
  EXPECT_EQ(j[2]["window_end"], "2027-03-27T12:15:00Z");
  EXPECT_EQ(j[3]["local"], "2027-03-28T14:00:00+02:00");
  EXPECT_EQ(j[3]["note"], "dst-shifted");
}

TEST_F(ScheduleCommandTest, TextShowsBothTimesAndNotes) {
  std::string spec = Write(kSpec);
  ASSERT_EQ(Run({"schedule", spec, "--from", "2027-10-30T00:00:00Z", "--count", "2"}), 0);
  const std::string& o = out_.str();
  EXPECT_NE(o.find("nightly / berlin: scheduler cron(30 2 * * ? *) in Europe/Berlin\n"
                   "  2027-10-30T00:30:00Z   2027-10-30T02:30:00+02:00\n"
                   "  2027-10-31T00:30:00Z   2027-10-31T02:30:00+02:00  dst-repeated:"),
            std::string::npos)
      << o;
  EXPECT_NE(o.find("  [2027-10-30T00:00:00Z, 2027-10-30T00:15:00Z]  2027-10-30T02:00:00+02:00"),
            std::string::npos)
      << o;
  EXPECT_NE(o.find("weekly / 0: rule cron(0 12 ? * 1-5 *) in UTC\n"
                   "  2027-10-31T12:00:00Z   2027-10-31T12:00:00+00:00\n"),  // a Sunday
            std::string::npos)
      << o;
}

TEST_F(ScheduleCommandTest, SaysWhyAScheduleNeverFires) {
  std::string spec = Write(R"yaml(version: 1
env: dev
imports:
  taskDefinition: {ssm: /dev/ecs/task-definition-arn}
workflows:
  w:
    schedules:
      - {expression: "cron(0 12 29 2 ? 2021-2026)"}
      - {expression: "cron(0 12 * * ? 2020-2025)"}
      - {expression: at(2026-01-01T00:00:00), engine: scheduler}
      - {expression: rate(1 day), engine: scheduler, endDate: 2026-06-01T00:00:00Z}
    task: {container: app, command: [run]}
)yaml");
  ASSERT_EQ(Run({"schedule", spec, "--from", "2026-12-01T00:00:00Z"}), 0) << err_.str();
  const std::string& o = out_.str();
  for (const char* why :
       {"never fires at or after 2026-12-01T00:00:00Z: no date from now on matches it\n",
        "never fires at or after 2026-12-01T00:00:00Z: its year field ends in 2025\n",
        "never fires at or after 2026-12-01T00:00:00Z: its at() time is before "
        "2026-12-01T00:00:00Z\n",
        "never fires at or after 2026-12-01T00:00:00Z: its endDate is before "
        "2026-12-01T00:00:00Z\n"}) {
    EXPECT_NE(o.find(why), std::string::npos) << why << "\n" << o;
  }
}

TEST_F(ScheduleCommandTest, UsageErrors) {
  std::string spec = Write(kSpec);
  EXPECT_EQ(Run({"schedule", spec, "--workflow", "nigthly"}), 2);
  EXPECT_NE(err_.str().find("no workflow named 'nigthly'; did you mean 'nightly'?"),
            std::string::npos)
      << err_.str();
  EXPECT_EQ(Run({"schedule", spec, "--from", "tomorrow"}), 2);
  EXPECT_EQ(Run({"schedule", spec, "--format", "yaml"}), 2);
  EXPECT_EQ(Run({"schedule", spec, "--count", "0"}), 2);
  EXPECT_EQ(Run({"schedule", (dir_ / "missing.yaml").string()}), 2);
}

TEST_F(ScheduleCommandTest, SpecErrorsExitOne) {
  std::string spec = Write(
      std::string(kSpec).replace(std::string(kSpec).find("Europe/Berlin"), 13, "Europe/berlin"));
  EXPECT_EQ(Run({"schedule", spec}), 1);
  EXPECT_NE(err_.str().find("spec.yaml:10:19: error: 'Europe/berlin' is not a time zone of the "
                            "IANA database (a zone or a link, as AWS accepts); did you mean "
                            "'Europe/Berlin'?"),
            std::string::npos)
      << err_.str();
}

TEST_F(ScheduleCommandTest, VersionNamesTzdata) {
  EXPECT_EQ(Run({"--version"}), 0);
  EXPECT_NE(out_.str().find("\ntzdata 20"), std::string::npos) << out_.str();
}

// The clock of the warnings is ORCHC_NOW while a test sets it.
class NowGuard {
 public:
  explicit NowGuard(const char* now) { setenv("ORCHC_NOW", now, 1); }
  ~NowGuard() { unsetenv("ORCHC_NOW"); }
};

// A clock that cannot be read is an error, not the system clock in disguise.
TEST_F(ScheduleCommandTest, InvalidOrchcNowIsAUsageError) {
  NowGuard now("2026-13-01 nonsense");
  EXPECT_EQ(Run({"schema"}), 2);
  EXPECT_EQ(err_.str(),
            "orchc: error: ORCHC_NOW='2026-13-01 nonsense' is not an RFC 3339 time such as "
            "2026-12-01T09:00:00Z (it sets the clock of the schedule warnings); fix it or unset "
            "it\n");
  EXPECT_EQ(out_.str(), "");
}

TEST(ScheduleWarningsTest, DstUnixDaysAndNeverFiring) {
  NowGuard now("2026-12-01T00:00:00Z");
  std::string d = testing::Diagnostics(R"yaml(version: 1
env: dev
imports:
  taskDefinition: {ssm: /dev/ecs/task-definition-arn}
workflows:
  w:
    schedules:
      - {expression: "cron(30 2 * * ? *)", engine: scheduler, timezone: Europe/Berlin}
      - {expression: "cron(0 12 ? * 1-5 *)"}
      - {expression: "cron(0 12 29 2 ? 2021-2026)"}
      - {expression: "cron(0 12 * * ? 2020-2025)"}
      - {expression: at(2026-01-01T00:00:00), engine: scheduler}
      - {expression: rate(1 day), engine: scheduler, endDate: 2026-06-01T00:00:00Z}
      - {expression: "cron(0 3 * * ? *)", engine: scheduler, timezone: Europe/Berlin}
    task: {container: app, command: [run]}
)yaml");
  EXPECT_NE(d.find("spec.yaml:8:22: warning: this schedule's local time falls into "
                   "daylight-saving changes of Europe/Berlin in the next 12 months (2027-03-28: "
                   "02:30 does not exist, the run is skipped; 2027-10-31: 02:30 occurs twice, it "
                   "runs once)"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:9:37: warning: day-of-week '1-5' means SUN-THU in AWS cron (1 is "
                   "Sunday, 7 is Saturday); if you meant Unix cron's numbering (1 is Monday), "
                   "write MON-FRI"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:10:22: warning: this schedule never fires again: no date from now "
                   "on matches it"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:11:22: warning: this schedule never fires again: its year field "
                   "ends in 2025"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:12:22: warning: at(2026-01-01T00:00:00) in UTC is before now "
                   "(2026-12-01T00:00:00Z): this schedule never fires again"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:13:63: warning: endDate 2026-06-01T00:00:00Z is before now"),
            std::string::npos)
      << d;
  // 03:00 in Berlin is never in a gap or an overlap: no warning for line 14.
  EXPECT_EQ(d.find("spec.yaml:14:"), std::string::npos) << d;
}

// What validating `yaml` says about timeouts: "error" (the spec is invalid, so nothing is
// known), "warns" (schedule-without-timeout) or "silent".
std::string Verdict(const std::string& yaml) {
  const std::string d = testing::Diagnostics(yaml);
  if (d.find(": error: ") != std::string::npos) return "error: " + d;
  return d.find("[schedule-without-timeout]") != std::string::npos ? "warns" : "silent";
}

// schedule-without-timeout: the workflows of the tests below, with `extra` appended to the
// workflow `w` (schedule, task steps) and `others` as more workflows.
std::string TimeoutSpec(const std::string& w, const std::string& others = "") {
  return "version: 1\nenv: dev\nimports:\n  taskDefinition: {ssm: /dev/td}\nworkflows:\n  w:\n" +
         w + others;
}

TEST(ScheduleWithoutTimeoutTest, WarnsAtTheFirstScheduleNamingTheTask) {
  EXPECT_EQ(
      testing::Diagnostics(TimeoutSpec("    overlap: allow\n"
                                       "    schedules:\n"
                                       "      - {expression: rate(1 day), enabled: false}\n"
                                       "      - {expression: rate(2 days)}\n"
                                       "    task: {command: [run]}\n")),
      "spec.yaml:9:22: warning: workflow 'w' runs on a schedule but has no timeout, and its "
      "task 'RunBatchTask' has none either: if it hangs, the execution runs until Step Functions' "
      "one-year limit; add timeout: to the workflow, a little above its longest expected "
      "run (or a timeout: to every task) [schedule-without-timeout]\n"
      "        - {expression: rate(1 day), enabled: false}\n"
      "                       ^~~~~~~~~~~\n");
}

TEST(ScheduleWithoutTimeoutTest, SaysWhatTheOverlapLeaseDoes) {
  const std::string d = testing::Diagnostics(
      TimeoutSpec("    schedule: {expression: rate(1 day)}\n    task: {command: [run]}\n"));
  EXPECT_NE(d.find("one-year limit; its overlap lease expires after 24 h without a timeout, so "
                   "later ticks are skipped until then, and the next one runs beside the hung "
                   "execution; add timeout: to the workflow"),
            std::string::npos)
      << d;
  EXPECT_NE(testing::Diagnostics(TimeoutSpec("    overlap: queue\n"
                                             "    schedule: {expression: rate(1 day)}\n"
                                             "    task: {command: [run]}\n"))
                .find("so later ticks wait until then"),
            std::string::npos);
}

// A task deep in a branch or a map counts, as much as a top-level one.
TEST(ScheduleWithoutTimeoutTest, FindsTheTaskWithoutTimeoutAnywhere) {
  const std::string steps =
      "    schedule: {expression: rate(1 day)}\n"
      "    steps:\n"
      "      - {name: First, task: {command: [a]}, timeout: 1h}\n"
      "      - name: Fan\n"
      "        parallel:\n"
      "          - - {name: Left, task: {command: [b]}, timeout: 1h}\n"
      "          - - name: Each\n"
      "              map:\n"
      "                items: [1, 2]\n"
      "                steps:\n"
      "                  - {name: Deep, task: {command: [c]}TIMEOUT}\n";
  std::string unbounded = steps;
  unbounded.replace(unbounded.find("TIMEOUT"), 7, "");
  const std::string d = testing::Diagnostics(TimeoutSpec(unbounded));
  EXPECT_NE(d.find("its task 'Deep' has none either"), std::string::npos) << d;
  EXPECT_NE(d.find("[schedule-without-timeout]"), std::string::npos) << d;
  std::string bounded = steps;
  bounded.replace(bounded.find("TIMEOUT"), 7, ", timeout: 30m");
  EXPECT_EQ(Verdict(TimeoutSpec(bounded)), "silent");
}

TEST(ScheduleWithoutTimeoutTest, SilentWhenSomethingBoundsTheExecution) {
  const std::string task = "    task: {command: [run]}\n";
  const std::string schedule = "    schedule: {expression: rate(1 day)}\n";
  // A workflow timeout.
  EXPECT_EQ(Verdict(TimeoutSpec("    timeout: 3h\n" + schedule + task)), "silent");
  // The task's own timeout (orchestration: writes it as timeout: too).
  EXPECT_EQ(Verdict(TimeoutSpec(schedule + "    task: {command: [run], timeout: 3h}\n")), "silent");
  std::string seed = testing::kMinimalSpec;
  EXPECT_EQ(Verdict(seed), "silent");
  seed.erase(seed.find("  timeout: 2h\n"), 14);
  EXPECT_NE(testing::Diagnostics(seed).find("its task 'RunBatchTask' has none either"),
            std::string::npos);
  // No schedule: started by hand, watched by whoever started it.
  EXPECT_EQ(Verdict(TimeoutSpec(task)), "silent");
  // EXPRESS: at most five minutes, and no .sync task to hang (publish steps only).
  EXPECT_EQ(Verdict(TimeoutSpec(
                "    type: EXPRESS\n" + schedule +
                "    steps:\n      - {name: Tell, publish: {topic: alertsTopic, message: hi}}\n")),
            "silent");
  // Steps that end on their own.
  EXPECT_EQ(Verdict(TimeoutSpec(
                schedule + "    steps:\n      - {name: Pause, wait: 5m}\n"
                           "      - {name: Tell, publish: {topic: alertsTopic, message: hi}}\n")),
            "silent");
}

// A nested workflow step waits for its child: bounded by its own timeout, or by the child's.
TEST(ScheduleWithoutTimeoutTest, NestedWorkflowStepsCountWithTheirChild) {
  const std::string parent =
      "    schedule: {expression: rate(1 day)}\n"
      "    steps:\n      - {name: Child, workflow: child}\n";
  const std::string bounded_child = "  child:\n    task: {command: [run]}\n    timeout: 1h\n";
  const std::string unbounded_child = "  child:\n    task: {command: [run]}\n";
  const std::string d = testing::Diagnostics(TimeoutSpec(parent, unbounded_child));
  EXPECT_NE(d.find("its workflow step 'Child' has none and waits for a workflow without one"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("(or a timeout: to every task and workflow step)"), std::string::npos) << d;
  EXPECT_EQ(Verdict(TimeoutSpec(parent, bounded_child)), "silent");
  // A child whose every task has a timeout is bounded as well.
  EXPECT_EQ(Verdict(TimeoutSpec(parent, "  child:\n    task: {command: [run], timeout: 1h}\n")),
            "silent");
  EXPECT_EQ(Verdict(TimeoutSpec("    schedule: {expression: rate(1 day)}\n"
                                "    steps:\n      - {name: Child, workflow: child, timeout: 2h}\n",
                                unbounded_child)),
            "silent");
}

}  // namespace
}  // namespace orchc
