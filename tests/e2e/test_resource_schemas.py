"""e2e.resource_schemas: what moto cannot deploy is checked against CloudFormation's
resource schemas, and this test shows that check has teeth.

moto 5.2.1 has no CloudFormation model for AWS::Scheduler::Schedule,
AWS::Scheduler::ScheduleGroup or AWS::CloudWatch::Alarm: it skips them ("No Moto
CloudFormation support"), so e2e.reports cannot deploy them.  For these resources the
evidence is cfn-lint, which validates every resource's properties against the
CloudFormation resource provider schemas it ships (types, enums, required properties,
lengths, patterns, ranges).  A clean result is only evidence if cfn-lint would have said
something: so the compiled template is linted clean, and then copies with exactly one
property broken, each of which must be reported with the pinned rule at that resource.

One cfn-lint process lints every file (its start-up is most of its run time).
"""

import copy
import json
import os
import subprocess
import tempfile
import unittest

import harness as h

TEMPLATE = os.path.join(h.REPO, "templates", "ReportsStack-stg.template.json")
LINT_TIMEOUT = 180

SCHEDULE, AT_SCHEDULE = "DailyReportSchedule", "DailyReportSchedule2"
GROUP = "ScheduleGroupReports"
ALARM, TIMEOUT_ALARM = "DailyReportExecutionsFailedAlarm", "DailyReportExecutionsTimedOutAlarm"


def _set(*path_and_value):
    *path, value = path_and_value

    def apply(props):
        node = props
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return apply


def _drop(*path):
    def apply(props):
        node = props
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return apply


# (case, logical ID, change to its Properties, rule cfn-lint 1.51 reports, message fragment)
BROKEN = [
    ("window_mode_unknown", SCHEDULE, _set("FlexibleTimeWindow", "Mode", "SOMETIMES"),
     "E3030", "'SOMETIMES' is not one of ['OFF', 'FLEXIBLE']"),
    ("window_zero_minutes", SCHEDULE, _set("FlexibleTimeWindow", "MaximumWindowInMinutes", 0),
     "E3034", "0 is less than the minimum of 1"),
    ("window_over_a_day", SCHEDULE, _set("FlexibleTimeWindow", "MaximumWindowInMinutes", 1441),
     "E3034", "1441 is greater than the maximum of 1440"),
    ("window_missing", SCHEDULE, _drop("FlexibleTimeWindow"),
     "E3003", "'FlexibleTimeWindow' is a required property"),
    ("timezone_not_a_string", SCHEDULE, _set("ScheduleExpressionTimezone", ["Asia/Tokyo"]),
     "E3012", "['Asia/Tokyo'] is not of type 'string'"),
    ("expression_missing", AT_SCHEDULE, _drop("ScheduleExpression"),
     "E3003", "'ScheduleExpression' is a required property"),
    ("state_unknown", SCHEDULE, _set("State", "ON"),
     "E3030", "'ON' is not one of ['ENABLED', 'DISABLED']"),
    ("schedule_name_too_long", SCHEDULE, _set("Name", "s" * 65), "E3033", "is longer than 64"),
    ("target_without_role", SCHEDULE, _drop("Target", "RoleArn"),
     "E3003", "'RoleArn' is a required property"),
    ("retry_attempts_over_185", SCHEDULE, _set("Target", "RetryPolicy", "MaximumRetryAttempts", 200),
     "E3034", "200 is greater than the maximum of 185"),
    ("event_age_under_60s", SCHEDULE, _set("Target", "RetryPolicy", "MaximumEventAgeInSeconds", 30),
     "E3034", "30 is less than the minimum of 60"),
    ("schedule_unknown_property", SCHEDULE, _set("Timezone", "Asia/Tokyo"),
     "E3002", "'Timezone' was unexpected"),
    ("group_name_too_long", GROUP, _set("Name", "g" * 65), "E3033", "is longer than 64"),
    ("group_name_bad_characters", GROUP, _set("Name", "reports group!"),
     "E3031", "does not match '^[0-9a-zA-Z-_.]+$'"),
    ("alarm_operator_unknown", ALARM, _set("ComparisonOperator", "GreaterThan"),
     "E3030", "'GreaterThan' is not one of ['GreaterThanOrEqualToThreshold'"),
    ("alarm_period_not_a_number", ALARM, _set("Period", "five minutes"),
     "E3012", "'five minutes' is not of type 'integer'"),
    ("alarm_statistic_unknown", TIMEOUT_ALARM, _set("Statistic", "Total"),
     "E3030", "'Total' is not one of ['Average', 'Maximum', 'Minimum', 'SampleCount', 'Sum']"),
    ("alarm_missing_data_unknown", TIMEOUT_ALARM, _set("TreatMissingData", "ignored"),
     "E3030", "'ignored' is not one of ['breaching', 'ignore', 'missing', 'notBreaching']"),
    ("alarm_unknown_property", ALARM, _set("Threshhold", 1), "E3002", "'Threshhold' was unexpected"),
]


class ResourceSchemas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(TEMPLATE, encoding="utf-8") as f:
            cls.template = json.load(f)
        cls.tmp = tempfile.TemporaryDirectory(prefix="orchc-e2e-lint-")
        cls.files = {"clean": TEMPLATE}
        for case, logical_id, change, _rule, _fragment in BROKEN:
            broken = copy.deepcopy(cls.template)
            change(broken["Resources"][logical_id]["Properties"])
            cls.files[case] = os.path.join(cls.tmp.name, f"{case}.template.json")
            with open(cls.files[case], "w", encoding="utf-8") as f:
                json.dump(broken, f, indent=1)
        proc = subprocess.run(
            ["cfn-lint", "--format", "json", "--regions", h.REGION, "--",
             *cls.files.values()],
            capture_output=True, text=True, timeout=LINT_TIMEOUT, stdin=subprocess.DEVNULL)
        # cfn-lint exits 0 when clean, 2 for errors (4 warnings, 8 informational; or-ed).
        if proc.returncode not in (0, 2):
            raise AssertionError(f"cfn-lint failed ({proc.returncode}): {proc.stderr}")
        cls.matches = {case: [] for case in cls.files}
        by_file = {path: case for case, path in cls.files.items()}
        for match in json.loads(proc.stdout or "[]"):
            cls.matches[by_file[match["Filename"]]].append(match)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_1_template_has_the_resources_moto_skips(self):
        types = [r["Type"] for r in self.template["Resources"].values()]
        self.assertEqual(types.count("AWS::Scheduler::Schedule"), 2)
        self.assertEqual(types.count("AWS::Scheduler::ScheduleGroup"), 1)
        self.assertEqual(types.count("AWS::CloudWatch::Alarm"), 3)
        for case, logical_id, *_ in BROKEN:
            self.assertIn(logical_id, self.template["Resources"], case)

    def test_2_compiled_template_is_clean(self):
        self.assertEqual(self.matches["clean"], [])

    def test_3_each_broken_property_is_reported_at_its_resource(self):
        for case, logical_id, _change, rule, fragment in BROKEN:
            with self.subTest(case):
                matches = self.matches[case]
                self.assertTrue(matches, f"{case}: cfn-lint reported nothing")
                for m in matches:  # nothing else in the file is reported
                    self.assertEqual(m["Location"]["Path"][:2], ["Resources", logical_id],
                                     f"{case}: {m['Rule']['Id']} {m['Message']}")
                pinned = [m for m in matches if m["Rule"]["Id"] == rule
                          and m["Level"] == "Error" and fragment in m["Message"]]
                self.assertTrue(pinned, f"{case}: no {rule} error containing {fragment!r} in "
                                        f"{[(m['Rule']['Id'], m['Message']) for m in matches]}")


if __name__ == "__main__":
    h.run(ResourceSchemas)
