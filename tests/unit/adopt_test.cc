// Adoption of a deployed stack's logical IDs (adopt.h): renaming every reference, matching by
// name and by role, refusals, and the sidecar round trip. The CDK reference itself is covered by
// adopt.fresh and the e2e takeover tests.
#include "adopt.h"

#include <gtest/gtest.h>

namespace orchc {
namespace {

Resource Make(const std::string& id, const std::string& type, const char* properties) {
  Resource r;
  r.logical_id = id;
  r.type = type;
  r.properties = Json::parse(properties);
  return r;
}

// A state machine (named), its role and a rule without names, the way a hand-written stack
// might have them.
StackIR SmallStack() {
  StackIR s;
  s.name = "S";
  s.resources.push_back(Make("Role", "AWS::IAM::Role", R"({"AssumeRolePolicyDocument":{}})"));
  s.resources.push_back(Make("Machine", "AWS::StepFunctions::StateMachine",
                             R"({"StateMachineName":"m","StateMachineType":"STANDARD",
                                 "RoleArn":{"Fn::GetAtt":["Role","Arn"]}})"));
  s.resources.push_back(
      Make("Rule", "AWS::Events::Rule", R"({"Targets":[{"Id":"T","Arn":{"Ref":"Machine"}}]})"));
  s.outputs.push_back({"MachineArn", "d", Json::parse(R"({"Ref":"Machine"})"), "e-MachineArn"});
  return s;
}

SourceFile Deployed(const char* text) { return SourceFile{"deployed.json", text}; }

// `text` with the first `from` replaced by `to`.
std::string Replace(std::string text, const std::string& from, const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

constexpr const char* kDeployed = R"({
  "Resources": {
    "OldRole1": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
    "OldMachine2": {"Type": "AWS::StepFunctions::StateMachine",
                    "Properties": {"StateMachineName": "m",
                                   "RoleArn": {"Fn::GetAtt": ["OldRole1", "Arn"]}}},
    "OldRule3": {"Type": "AWS::Events::Rule",
                 "Properties": {"Targets": [{"Id": "X", "Arn": {"Ref": "OldMachine2"}}]}},
    "OldPolicy4": {"Type": "AWS::IAM::Policy",
                   "Properties": {"PolicyName": "p", "PolicyDocument": {},
                                  "Roles": [{"Ref": "OldRole1"}]}}
  }
})";

TEST(AdoptTest, RenamesEveryKindOfReference) {
  StackIR s;
  Resource r = Make("A", "AWS::X::Y", R"({
    "Ref": {"Ref": "Old"}, "Att": {"Fn::GetAtt": ["Old", "Arn"]}, "Att2": {"Fn::GetAtt": "Old.Arn"},
    "Sub": {"Fn::Sub": "${Old} ${Old.Arn} ${!Old} ${AWS::Region} ${Other}"},
    "SubList": {"Fn::Sub": ["${Old}${V}", {"V": {"Ref": "Old"}}]},
    "Shadowed": {"Fn::Sub": ["${Old}", {"Old": "x"}]},
    "Pseudo": {"Ref": "AWS::Partition"}})");
  r.depends_on = {"Old", "Other"};
  s.resources.push_back(r);
  s.resources.push_back(Make("Old", "AWS::X::Z", "{}"));
  WorkflowIR wf;
  wf.substitutions.push_back({"Arn", Json::parse(R"({"Fn::GetAtt":["Old","Arn"]})")});
  s.workflows.push_back(wf);
  s.outputs.push_back({"O", "", Json::parse(R"({"Ref":"Old"})"), "e"});
  RenameLogicalIds(s, {{"Old", "New"}});
  const Json& p = s.resources[0].properties;
  EXPECT_EQ(p["Ref"]["Ref"], "New");
  EXPECT_EQ(p["Att"]["Fn::GetAtt"][0], "New");
  EXPECT_EQ(p["Att2"]["Fn::GetAtt"], "New.Arn");
  EXPECT_EQ(p["Sub"]["Fn::Sub"], "${New} ${New.Arn} ${!Old} ${AWS::Region} ${Other}");
  EXPECT_EQ(p["SubList"]["Fn::Sub"][0], "${New}${V}");
  EXPECT_EQ(p["SubList"]["Fn::Sub"][1]["V"]["Ref"], "New");
  EXPECT_EQ(p["Shadowed"]["Fn::Sub"][0], "${Old}");  // the list's own variable
  EXPECT_EQ(p["Pseudo"]["Ref"], "AWS::Partition");
  EXPECT_EQ(s.resources[0].depends_on, (std::vector<std::string>{"New", "Other"}));
  EXPECT_EQ(s.resources[1].logical_id, "New");
  EXPECT_EQ(s.workflows[0].substitutions[0].second["Fn::GetAtt"][0], "New");
  EXPECT_EQ(s.outputs[0].value["Ref"], "New");
}

TEST(AdoptTest, MatchesByNameThenByRoleAndReportsWhatIsDropped) {
  StackIR s = SmallStack();
  SourceFile f = Deployed(kDeployed);
  DiagSink sink;
  sink.AddSource(&f);
  AdoptResult result;
  ASSERT_TRUE(AdoptFromTemplate(f, false, s, sink, &result)) << sink.Render();
  EXPECT_EQ(s.resources[0].logical_id, "OldRole1");
  EXPECT_EQ(s.resources[1].logical_id, "OldMachine2");
  EXPECT_EQ(s.resources[2].logical_id, "OldRule3");
  EXPECT_EQ(s.resources[1].properties["RoleArn"]["Fn::GetAtt"][0], "OldRole1");
  EXPECT_EQ(s.resources[2].properties["Targets"][0]["Arn"]["Ref"], "OldMachine2");
  EXPECT_EQ(s.outputs[0].value["Ref"], "OldMachine2");
  // Left unset as deployed: STANDARD is the default.
  EXPECT_FALSE(s.resources[1].properties.contains("StateMachineType"));
  const std::string& r = result.report;
  EXPECT_NE(r.find("OldMachine2  AWS::StepFunctions::StateMachine  orchc Machine  by "
                   "StateMachineName m"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("OldRole1  AWS::IAM::Role  orchc Role  by role: OldMachine2's RoleArn"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("OldRule3  AWS::Events::Rule  orchc Rule  by role: refers to OldMachine2 "
                   "from Targets/Arn"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("OldPolicy4  AWS::IAM::Policy  CDK's separate policy"), std::string::npos);
  EXPECT_NE(r.find("(attached to OldRole1)"), std::string::npos);
  EXPECT_NE(r.find("exports added: e-MachineArn"), std::string::npos);
  EXPECT_NE(r.find("replacement: none"), std::string::npos);

  // The sidecar alone renames a fresh lowering the same way.
  StackIR again = SmallStack();
  SourceFile side{"spec.adopt.json", result.sidecar_text};
  DiagSink sink2;
  sink2.AddSource(&side);
  AdoptResult r2;
  ASSERT_TRUE(AdoptFromSidecar(side, false, again, sink2, &r2)) << sink2.Render();
  for (size_t i = 0; i < s.resources.size(); ++i) {
    EXPECT_EQ(again.resources[i].logical_id, s.resources[i].logical_id);
    EXPECT_EQ(again.resources[i].properties, s.resources[i].properties);
  }
}

TEST(AdoptTest, RefusesARenameThatReplacesAndAllowsItOnRequest) {
  std::string text = kDeployed;
  text = Replace(text, "\"StateMachineName\": \"m\"", "\"StateMachineName\": \"z\"");
  for (bool allow : {false, true}) {
    StackIR s = SmallStack();
    // The state machines' names differ: they pair by role, through the role named in both.
    s.resources[0].properties["RoleName"] = "r";
    const std::string t = Replace(text, "\"AssumeRolePolicyDocument\": {}",
                                  "\"AssumeRolePolicyDocument\": {}, \"RoleName\": \"r\"");
    SourceFile f = Deployed(t.c_str());
    DiagSink sink;
    sink.AddSource(&f);
    AdoptResult result;
    const bool ok = AdoptFromTemplate(f, allow, s, sink, &result);
    ASSERT_EQ(ok, allow) << sink.Render();
    if (!allow) {
      const std::string out = sink.Render(false);
      EXPECT_NE(out.find("deployed.json:5:"), std::string::npos) << out;  // the property's line
      EXPECT_NE(out.find("error: adopting 'OldMachine2' "
                         "(AWS::StepFunctions::StateMachine) would make CloudFormation replace "
                         "it: its StateMachineName changes from z to m"),
                std::string::npos)
          << out;
    } else {
      EXPECT_NE(result.report.find("REPLACED: StateMachineName z -> m"), std::string::npos)
          << result.report;
    }
  }
}

TEST(AdoptTest, ATypeChangeUnderOneLogicalIdIsRefused) {
  StackIR s = SmallStack();
  s.resources.push_back(Make("OldPolicy4", "AWS::SQS::Queue", "{}"));
  SourceFile f = Deployed(kDeployed);
  DiagSink sink;
  sink.AddSource(&f);
  AdoptResult result;
  EXPECT_FALSE(AdoptFromTemplate(f, false, s, sink, &result));
  EXPECT_NE(sink.Render(false).find("logical ID 'OldPolicy4' is a AWS::IAM::Policy in the "
                                    "deployed stack and a AWS::SQS::Queue"),
            std::string::npos)
      << sink.Render(false);
}

TEST(AdoptTest, MalformedTemplatesAreLocated) {
  StackIR s = SmallStack();
  SourceFile f = Deployed("{\n  \"Resources\": {,\n}");
  DiagSink sink;
  sink.AddSource(&f);
  AdoptResult result;
  EXPECT_FALSE(AdoptFromTemplate(f, false, s, sink, &result));
  EXPECT_EQ(sink.Render(false).rfind("deployed.json:2:17: error: not valid JSON", 0), 0u)
      << sink.Render(false);
  EXPECT_EQ(s.resources[0].logical_id, "Role");  // nothing renamed
}

// A deployed template nested a million levels deep (the walks over it are recursive) is
// refused, located, before it is parsed; so is the same inside a TemplateBody string.
TEST(AdoptTest, DeeplyNestedTemplatesAreRefused) {
  const std::string deep = R"({"Resources": {"R": {"Properties": )" + std::string(1000000, '[') +
                           std::string(1000000, ']') + "}}}";
  std::string quoted;  // the same as a JSON string
  for (char c : deep) quoted += c == '"' ? std::string("\\\"") : std::string(1, c);
  for (const std::string& text : {deep, R"({"TemplateBody": ")" + quoted + "\"}"}) {
    StackIR s = SmallStack();
    SourceFile f = Deployed(text.c_str());
    DiagSink sink;
    sink.AddSource(&f);
    AdoptResult result;
    EXPECT_FALSE(AdoptFromTemplate(f, false, s, sink, &result));
    EXPECT_NE(sink.Render(false).find("nests deeper than 128 levels"), std::string::npos)
        << sink.Render(false).substr(0, 300);
  }
}

TEST(AdoptTest, GetTemplateOutputIsAccepted) {
  StackIR s = SmallStack();
  std::string wrapped =
      std::string("{\"TemplateBody\": ") + kDeployed + ", \"StagesAvailable\": []}";
  SourceFile f = Deployed(wrapped.c_str());
  DiagSink sink;
  AdoptResult result;
  ASSERT_TRUE(AdoptFromTemplate(f, false, s, sink, &result)) << sink.Render(false);
  EXPECT_EQ(s.resources[1].logical_id, "OldMachine2");
}

TEST(AdoptTest, SidecarPathSitsBesideTheSpec) {
  EXPECT_EQ(SidecarPath("specs/prod.yaml"), "specs/prod.adopt.json");
  EXPECT_EQ(SidecarPath("a.yml"), "a.adopt.json");
  EXPECT_EQ(SidecarPath("spec"), "spec.adopt.json");
}

}  // namespace
}  // namespace orchc
