// The permissions every state machine needs for its logging (CloudWatch Logs log delivery) and
// tracing (X-Ray) configuration: a unit of no step kind.
#include "integrations/unit_util.h"

namespace orchc {

namespace {

// The statements every state machine needs for its logging and tracing configuration.
void LoggingAndTracingStatements(bool logging, bool tracing, WorkflowIR& wf) {
  // Neither CloudWatch Logs' log delivery API nor X-Ray's trace API supports resource-level
  // permissions: AWS documents "*" for both.
  IamStatement st;
  st.resources = {"*"};
  if (logging) {
    st.actions = {"logs:CreateLogDelivery", "logs:DeleteLogDelivery",
                  "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
                  "logs:GetLogDelivery",    "logs:ListLogDeliveries",
                  "logs:PutResourcePolicy", "logs:UpdateLogDelivery"};
  }
  if (tracing) {
    for (const char* a : {"xray:GetSamplingRules", "xray:GetSamplingTargets",
                          "xray:PutTelemetryRecords", "xray:PutTraceSegments"}) {
      st.actions.push_back(a);
    }
  }
  st.reason = std::string("Step Functions needs ") +
              (logging && tracing ? "CloudWatch Logs' log delivery actions to log executions "
                                    "and X-Ray's to trace them"
               : logging          ? "CloudWatch Logs' log delivery actions to log executions"
                                  : "X-Ray's actions to trace executions") +
              "; AWS documents resource \"*\" for them (no resource-level permissions).";
  if (!st.actions.empty()) wf.iam.push_back(std::move(st));
}

class LoggingAndTracing final : public Integration {
 public:
  const char* name() const override { return "logs and xray"; }
  size_t step_kind() const override { return kNoStepKind; }
  void WorkflowStatements(const WorkflowSpec& w, WorkflowIR& wf) const override {
    LoggingAndTracingStatements(w.logs.level != "OFF", w.tracing, wf);
  }
};

}  // namespace

const Integration* LoggingAndTracingIntegration() {
  static const LoggingAndTracing kUnit;
  return &kUnit;
}

}  // namespace orchc
