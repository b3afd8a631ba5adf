// SNS Publish: the `publish:` step, and the failure notification lowering adds to a workflow.
#include "integrations/unit_util.h"
#include "lower_util.h"

namespace orchc {

namespace {

class SnsPublishUnit final : public Integration {
 public:
  const char* name() const override { return "sns:publish"; }
  size_t step_kind() const override { return KindIndex<PublishSpec>(); }

  void Read(const YNode* body, StepSpec& step, SpecReader& r) const override {
    PublishSpec& p = std::get<PublishSpec>(step.body);
    p.topic = r.Literal(body->Get("topic"));
    if (const YNode* sub = body->Get("subject")) p.subject = r.Expanded(sub);
    p.message = body->Get("message");
  }

  void Check(const StepSpec& s, CheckContext& ctx) const override {
    const PublishSpec& p = std::get<PublishSpec>(s.body);
    check::ImportExists(ctx.sink, ctx.imports, p.topic, "publish.topic");
    if (p.subject) check::Subject(ctx.sink, *p.subject);
  }

  void Lower(const StepSpec& s, LowerContext& ctx, State& state) const override {
    const PublishSpec& p = std::get<PublishSpec>(s.body);
    Json message = p.message ? ValueJson(p.message, &ctx.subs) : FailureMessage();
    SnsPublish(p.topic.value, p.subject ? std::optional(p.subject->value) : std::nullopt, message,
               ctx.subs, ctx.wf, state);
  }
};

}  // namespace

const Integration* SnsPublishIntegration() {
  static const SnsPublishUnit kUnit;
  return &kUnit;
}

void SnsPublish(const std::string& topic_import, const std::optional<std::string>& subject,
                const Json& message, Substitutions& subs, WorkflowIR& wf, State& s) {
  Json topic = subs.Import(topic_import);
  s.type = "Task";
  s.fields["Resource"] = std::string(integration::kStatesArnPrefix) + "sns:publish";
  std::string placeholder =
      topic_import == "alertsTopic" ? "AlertsTopicArn" : "Topic_" + topic_import;
  Json params = {{"TopicArn", subs.Ref(placeholder, topic)}};
  if (subject) params["Subject"] = subs.Text(*subject);
  params["Message"] = message;
  s.fields["Parameters"] = std::move(params);
  wf.iam.push_back({{"sns:Publish"}, {topic}, nullptr});
  wf.iam.back().reason = "Step Functions' SNS integration publishes with sns:Publish on the topic.";
}

}  // namespace orchc
