// Hostile but valid input: what must come out of orchc exactly as the spec says it.
//  - CRLF line endings and a byte order mark are accepted and change nothing;
//  - no spec text can change the meaning of the output: "${...}", quotes, backslashes,
//    newlines, '<' '>', JSONPath-looking "$.x", unicode and control characters in commands and
//    descriptions reach the state machine as the same literal text, through CloudFormation's
//    substitution (simulated here) and through DefinitionString's Fn::Join alike;
//  - a template over the inline size is a warning, not an error.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>

#include "json_writer.h"
#include "test_util.h"

namespace orchc {
namespace {

using testing::CompileOk;
using testing::ReadFile;

std::string Crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

TEST(HostileTest, CrlfAndByteOrderMarkChangeNothing) {
  const std::string path = std::string(ORCHC_SOURCE_DIR) + "/specs/prod.yaml";
  const std::string spec = ReadFile(path);
  ASSERT_FALSE(spec.empty());
  auto compile = [&](const std::string& text) {  // at its own path: it extends a base file
    Compiler compiler;
    DiagSink sink;
    CompiledSpec out;
    EXPECT_TRUE(compiler.Compile(path, text, sink, &out)) << sink.Render();
    return out;
  };
  CompiledSpec lf = compile(spec);
  for (const std::string& variant :
       {Crlf(spec), "\xEF\xBB\xBF" + spec, "\xEF\xBB\xBF" + Crlf(spec)}) {
    CompiledSpec other = compile(variant);
    ASSERT_EQ(other.files.size(), lf.files.size());
    for (size_t i = 0; i < lf.files.size(); ++i)
      EXPECT_EQ(other.files[i].content, lf.files[i].content);
  }
}

// CloudFormation evaluates intrinsic functions in every property given as an object, the
// Definition included: an object with a key Ref, Condition or Fn::... becomes its value (here a
// stand-in string).
Json EvaluateIntrinsics(const Json& j) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (k == "Ref" || k == "Condition" || k.starts_with("Fn::")) return "CFN-EVALUATED";
    }
    Json out = Json::object();
    for (const auto& [k, v] : j.items()) out[k] = EvaluateIntrinsics(v);
    return out;
  }
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& v : j) out.push_back(EvaluateIntrinsics(v));
    return out;
  }
  return j;
}

// What CloudFormation does with Definition + DefinitionSubstitutions: evaluate the intrinsic
// functions of the object, serialize it, replace each ${Name} by its value (text as is; an
// intrinsic function by a stand-in string) until none is left (the resource provider's
// StringUtils.replaceEachRepeatedly over the whole text, keys included).
Json Substituted(const Json& props) {
  std::string text = EvaluateIntrinsics(props["Definition"]).dump();
  const Json subs = props.value("DefinitionSubstitutions", Json::object());
  for (int round = 0; round < 3; ++round) {  // CloudFormation's passes; none may find more
    for (const auto& [name, value] : subs.items()) {
      const std::string ph = "${" + name + "}";
      const std::string with = value.is_string() ? value.get<std::string>() : "CFN-VALUE";
      for (size_t i = text.find(ph); i != std::string::npos; i = text.find(ph, i + with.size())) {
        text.replace(i, ph.size(), with);
      }
    }
  }
  return Json::parse(text);
}

// What CloudFormation does with DefinitionString's Fn::Join.
Json Joined(const Json& props) {
  std::string text;
  for (const Json& part : props["DefinitionString"]["Fn::Join"][1]) {
    text += part.is_string() ? part.get<std::string>() : "CFN-VALUE";
  }
  return Json::parse(text);
}

// The template of `yaml` compiled with one embedding (a failure, and an empty object, when
// nothing was written).
Json CompiledTemplate(const std::string& yaml, bool definition_string) {
  EmitOptions emit;
  emit.definition_string = definition_string;
  CompiledSpec out = CompileOk(yaml, emit);
  if (out.files.empty()) {
    ADD_FAILURE() << "nothing was written";
    return Json::object();
  }
  return Json::parse(out.files[0].content);
}

// The definition CloudFormation deploys from a state machine's properties.
Json DeployedDefinition(const Json& props, bool definition_string) {
  return definition_string ? Joined(props) : Substituted(props);
}

TEST(HostileTest, SpecTextComesOutAsTheSameLiteralText) {
  const std::vector<std::string> args = {"${AWS::AccountId}",
                                         "${Literal1}",
                                         "${TaskDefinitionArn}",
                                         "$${env}",
                                         "${",
                                         "$",
                                         "}",
                                         "say \"hi\"",
                                         "back\\slash",
                                         "two\nlines",
                                         "tab\there",
                                         "<b>&amp;</b>",
                                         "$.x",
                                         "$$.Execution.Id",
                                         "States.Format('{}', $.x)",
                                         "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x9A\x80",
                                         "\x01\x1B[31m\x7F",
                                         "\\u0024{x}",
                                         "%s%n",
                                         "'single'"};
  std::string yaml = std::string(testing::kMinimalSpec) +
                     "workflows:\n  report:\n    description: \"${AWS::Region} <x> \\\"q\\\"\"\n"
                     "    task:\n      command:\n";
  for (const std::string& a : args) {
    Json quoted = a;  // a JSON string is a valid YAML double-quoted scalar
    yaml += "        - " + quoted.dump() + "\n";
  }
  for (bool definition_string : {false, true}) {
    SCOPED_TRACE(definition_string ? "DefinitionString" : "Definition");
    EmitOptions emit;
    emit.definition_string = definition_string;
    CompiledSpec out = CompileOk(yaml, emit);
    ASSERT_FALSE(out.files.empty());
    Json t = Json::parse(out.files[0].content);
    ASSERT_TRUE(t["Resources"].contains("ReportStateMachine")) << out.files[0].content;
    {
      const Json& props = t["Resources"]["ReportStateMachine"]["Properties"];
      Json def = definition_string ? Joined(props) : Substituted(props);
      Json cmd = def["States"]["RunBatchTask"]["Parameters"]["Overrides"]["ContainerOverrides"][0]
                    ["Command"];
      ASSERT_EQ(cmd.size(), args.size());
      for (size_t i = 0; i < args.size(); ++i) EXPECT_EQ(cmd[i], args[i]) << i;
      EXPECT_EQ(def["Comment"], "${AWS::Region} <x> \"q\"");
      // No parameter became a JSONPath: no key ends in ".$" except those orchc writes itself.
      std::string text = def.dump();
      EXPECT_EQ(text.find("\"Command.$\""), std::string::npos);
    }
    // The .asl.json file holds the same text (placeholders aside) and is valid JSON.
    for (size_t i = 1; i < out.files.size(); ++i)
      EXPECT_NO_THROW(Json::parse(out.files[i].content));
  }
}

// DEL and C1 controls are valid JSON but break common tools: no output file holds them raw,
// and the definition still carries them (both embeddings).
TEST(HostileTest, DeleteAndC1ControlsAreEscapedInEveryFile) {
  const std::string yaml = std::string(testing::kMinimalSpec) +
                           "workflows:\n  w:\n    task: {command: [\"a\\x7fb\\x85c\\x9f\"]}\n";
  for (bool definition_string : {false, true}) {
    SCOPED_TRACE(definition_string ? "DefinitionString" : "Definition");
    EmitOptions emit;
    emit.definition_string = definition_string;
    CompiledSpec out = CompileOk(yaml, emit);
    ASSERT_FALSE(out.files.empty());
    for (const OutputFile& f : out.files) {
      EXPECT_EQ(f.content.find('\x7f'), std::string::npos) << f.name;
      for (size_t i = f.content.find('\xc2'); i != std::string::npos;
           i = f.content.find('\xc2', i + 1)) {
        const auto next = static_cast<unsigned char>(f.content[i + 1]);
        EXPECT_FALSE(next >= 0x80 && next <= 0x9f) << f.name << " at " << i;
      }
    }
    const Json t = Json::parse(out.files[0].content);
    const Json& props = t["Resources"]["WStateMachine"]["Properties"];
    Json def = definition_string ? Joined(props) : Substituted(props);
    EXPECT_EQ(def["States"]["RunBatchTask"]["Parameters"]["Overrides"]["ContainerOverrides"][0]
                 ["Command"][0],
              "a\x7f"
              "b\xc2\x85"
              "c\xc2\x9f");
  }
}

// Free-form values (a publish message, a pass result, map items) are data: a key that
// CloudFormation would read as an intrinsic function comes out as the same literal key in both
// embeddings, and the two deploy the same definition.
TEST(HostileTest, FreeFormValuesWithIntrinsicKeysAreData) {
  const std::string yaml = R"yaml(version: 1
env: prod
imports: {taskDefinition: {ssm: /prod/td}}
workflows:
  w:
    steps:
      - name: Announce
        publish:
          topic: alertsTopic
          message: {Ref: AWS::NoValue, nested: {"Fn::ImportValue": other-stack-Secret}}
      - name: Keep
        pass: {result: {Condition: IsProd, list: [{"Fn::Sub": "${AWS::AccountId}"}]}}
      - name: Each
        map:
          items: [{"Fn::GetAtt": [Role, Arn]}, {Ref: x, other: 1}]
          steps: [{name: One, pass: {}}]
        resultPath: null
)yaml";
  Json defs[2];
  for (bool definition_string : {false, true}) {
    SCOPED_TRACE(definition_string ? "DefinitionString" : "Definition");
    const Json t = CompiledTemplate(yaml, definition_string);
    Json def = DeployedDefinition(t["Resources"]["WStateMachine"]["Properties"], definition_string);
    const Json& states = def["States"];
    EXPECT_EQ(states["Announce"]["Parameters"]["Message"], Json::parse(R"({"Ref": "AWS::NoValue",
                              "nested": {"Fn::ImportValue": "other-stack-Secret"}})"));
    EXPECT_EQ(states["Keep"]["Result"], Json::parse(R"({"Condition": "IsProd",
                              "list": [{"Fn::Sub": "${AWS::AccountId}"}]})"));
    EXPECT_EQ(states["EachItems"]["Result"],
              Json::parse(R"([{"Fn::GetAtt": ["Role", "Arn"]}, {"Ref": "x", "other": 1}])"))
        << states.dump();
    defs[definition_string] = std::move(def);
  }
  EXPECT_EQ(defs[0], defs[1]);
}

TEST(HostileTest, StackDescriptionIsNotSubstitutedAndTagsHoldNoPlaceholder) {
  // The template itself is never passed through Fn::Sub: text with ${...} stays literal.
  std::string yaml =
      std::string(testing::kMinimalSpec) + "stack:\n  description: \"costs $$${AWS::AccountId}\"\n";
  Json t = testing::Template(yaml);
  EXPECT_EQ(t["Description"], "costs $${AWS::AccountId}");
  std::string text = t.dump();
  EXPECT_EQ(text.find("{\"Fn::Sub\":\"costs"), std::string::npos);
  // '$', '{' and '}' are outside AWS's tag character set: a tag cannot hold a placeholder.
  EXPECT_NE(testing::Diagnostics(yaml + "  tags: {owner: \"${AWS::StackName}\"}\n")
                .find("error: tag value '${AWS::StackName}' contains '$'"),
            std::string::npos);
}

// Every spec field whose text reaches the definition or the template, in one list: fed text that
// CloudFormation would substitute (${AWS::AccountId}, ${Foo}, a DefinitionSubstitutions name) and,
// where the field takes any value, mappings with intrinsic-function keys, each field either
// comes out as the same literal value in both embeddings, or is refused with a located error
// (fields whose grammar has no room for "${": names, error names, tag and subject text).
struct UserField {
  const char* what;
  // The workflow `w`'s body (indented by 4), with @ where the value goes.
  const char* body;
  // Where the value lands: "def:<JSON pointer>" in the definition, "tmpl:<pointer>" in the
  // template, "input:<pointer>" in the rule's input template, "sinput:<pointer>" in the
  // scheduler schedule's target input; "" when the field is refused.
  const char* at;
  bool any_value = false;   // takes mappings too (a free-form value)
  const char* prefix = "";  // written before the text, not emitted (custom: error names)
};

const UserField kUserFields[] = {
    {"workflow description (definition Comment)",
     "description: @\n    steps: [{name: A, pass: {}}]", "def:/Comment"},
    {"workflow description (rule Description)",
     "description: @\n    schedule: {expression: rate(1 day)}\n    steps: [{name: A, pass: {}}]",
     "tmpl:/Resources/WScheduleRule/Properties/Description"},
    {"step comment", "steps: [{name: A, comment: @, pass: {}}]", "def:/States/A/Comment"},
    {"command argument", "steps: [{name: A, task: {command: [@]}}]",
     "def:/States/A/Parameters/Overrides/ContainerOverrides/0/Command/0"},
    {"environment value", "steps: [{name: A, task: {command: [x], environment: {K: @}}}]",
     "def:/States/A/Parameters/Overrides/ContainerOverrides/0/Environment/0/Value"},
    {"environment name", "steps: [{name: A, task: {command: [x], environment: {@: v}}}]",
     "def:/States/A/Parameters/Overrides/ContainerOverrides/0/Environment/0/Name"},
    {"publish message", "steps: [{name: A, publish: {topic: alertsTopic, message: @}}]",
     "def:/States/A/Parameters/Message", true},
    {"publish message value", "steps: [{name: A, publish: {topic: alertsTopic, message: {k: @}}}]",
     "def:/States/A/Parameters/Message/k", true},
    {"pass result", "steps: [{name: A, pass: {result: @}}]", "def:/States/A/Result", true},
    {"map items", "steps: [{name: A, map: {items: [@], steps: [{name: B, pass: {}}]}}]",
     "def:/States/AItems/Result/0", true},
    {"choice stringEquals",
     "steps: [{name: A, choice: {rules: [{variable: $.x, stringEquals: @, next: B}], default: "
     "B}}, {name: B, pass: {}}]",
     "def:/States/A/Choices/0/StringEquals"},
    {"choice stringMatches",
     "steps: [{name: A, choice: {rules: [{variable: $.x, stringMatches: @, next: B}], default: "
     "B}}, {name: B, pass: {}}]",
     "def:/States/A/Choices/0/StringMatches"},
    {"fail error", "steps: [{name: A, fail: {error: @, cause: c}}]", "def:/States/A/Error"},
    {"fail cause", "steps: [{name: A, fail: {error: E, cause: @}}]", "def:/States/A/Cause"},
    {"nested workflow input", "steps: [{name: A, workflow: {import: other, input: {k: @}}}]",
     "def:/States/A/Parameters/Input/k", true},
    {"schedule input",
     "schedule: {expression: rate(1 day), input: {k: @}}\n    steps: [{name: A, pass: {}}]",
     "input:/k", true},
    {"scheduler schedule input",
     "schedule: {expression: rate(1 day), engine: scheduler, input: {k: @}}\n    steps: [{name: A, "
     "pass: {}}]",
     "sinput:/k", true},
    {"step name", "steps: [{name: @, pass: {}}]", ""},
    {"custom retry error name", "steps: [{name: A, task: {command: [x]}, retry: {on: [@]}}]",
     "def:/States/A/Retry/0/ErrorEquals/0", false, "custom:"},
    {"custom catch error name",
     "steps: [{name: A, task: {command: [x]}, catch: [{on: [@], next: B}]}, {name: B, pass: {}}]",
     "def:/States/A/Catch/0/ErrorEquals/0", false, "custom:"},
    {"retry error name", "steps: [{name: A, task: {command: [x]}, retry: {on: [@]}}]", ""},
    {"catch error name",
     "steps: [{name: A, task: {command: [x]}, catch: [{on: [@], next: B}]}, {name: B, pass: {}}]",
     ""},
    {"exit code name", "steps: [{name: A, task: {command: [x], exitCodes: {names: {3: @}}}}]", ""},
    {"publish subject", "steps: [{name: A, publish: {topic: alertsTopic, subject: @}}]", ""},
    {"failure subject", "onFailure: {subject: @}\n    steps: [{name: A, task: {command: [x]}}]",
     ""},
    {"task tag value", "steps: [{name: A, task: {command: [x], tags: {k: @}}}]", ""},
};

Json Pointed(const Json& j, const std::string& pointer) {
  return j.at(Json::json_pointer(pointer));
}

TEST(HostileTest, EveryUserFieldKeepsItsTextInBothEmbeddings) {
  const std::vector<std::string> texts = {"${AWS::AccountId}", "${Foo}", "${Literal1}",
                                          "${TaskDefinitionArn}", "a ${Foo} b"};
  const std::vector<std::string> mappings = {R"({"Ref": "AWS::AccountId"})",
                                             R"({"Fn::Sub": "${Foo}"})",
                                             R"({"Condition": "C", "k": "${AWS::AccountId}"})"};
  for (const UserField& f : kUserFields) {
    std::vector<std::pair<std::string, Json>> values;  // YAML text, the value it stands for
    for (const std::string& t : texts) values.emplace_back(Json(f.prefix + t).dump(), Json(t));
    if (f.any_value) {
      for (const std::string& m : mappings) values.emplace_back(m, Json::parse(m));
    }
    for (const auto& [text, value] : values) {
      SCOPED_TRACE(std::string(f.what) + ": " + text);
      std::string body = f.body;
      body.replace(body.find('@'), 1, text);
      const std::string yaml =
          "version: 1\nenv: prod\nimports: {taskDefinition: {ssm: /prod/td}, other: "
          "other-export}\nworkflows:\n  w:\n    " +
          body + "\n";
      const std::string at = f.at;
      if (at.empty()) {
        // Refused, at the line of the value.
        const size_t line = 6 + std::count(body.begin(), body.begin() + body.find(text), '\n');
        const std::string diags = testing::Diagnostics(yaml);
        EXPECT_NE(diags.find(":" + std::to_string(line) + ":"), std::string::npos) << diags;
        EXPECT_NE(diags.find("error:"), std::string::npos) << diags;
        continue;
      }
      Json defs[2];
      for (bool definition_string : {false, true}) {
        SCOPED_TRACE(definition_string ? "DefinitionString" : "Definition");
        const Json t = CompiledTemplate(yaml, definition_string);
        const Json& props = t["Resources"]["WStateMachine"]["Properties"];
        defs[definition_string] = DeployedDefinition(props, definition_string);
        if (!definition_string) {
          // Every ${X} left in Definition is one of orchc's DefinitionSubstitutions: CloudFormation
          // refuses any other (and would replace a pseudo parameter's).
          const std::string raw = props["Definition"].dump();
          for (size_t i = raw.find("${"); i != std::string::npos; i = raw.find("${", i + 2)) {
            const std::string name = raw.substr(i + 2, raw.find('}', i) - i - 2);
            EXPECT_TRUE(props["DefinitionSubstitutions"].contains(name)) << name;
          }
        }
        if (at.starts_with("def:")) {
          EXPECT_EQ(Pointed(defs[definition_string], at.substr(4)), value);
        } else if (at.starts_with("tmpl:")) {
          EXPECT_EQ(Pointed(t, at.substr(5)), value);  // the template is never Fn::Sub'd
        } else if (at.starts_with("sinput:")) {
          const std::string input = t["Resources"]["WSchedule"]["Properties"]["Target"]["Input"];
          EXPECT_EQ(Pointed(Json::parse(input), at.substr(7)), value);
        } else {
          std::string input = t["Resources"]["WScheduleRule"]["Properties"]["Targets"][0]
                               ["InputTransformer"]["InputTemplate"];
          input.replace(input.find("<time>"), 6, "0");  // EventBridge's placeholder
          EXPECT_EQ(Pointed(Json::parse(input), at.substr(6)), value);
        }
      }
      EXPECT_EQ(defs[0], defs[1]);
    }
  }
}

TEST(HostileTest, LargeTemplateWarnsAboutTheInlineLimit) {
  std::string yaml = "version: 1\nenv: prod\nworkflows:\n";
  for (int i = 0; i < 6; ++i) {
    yaml += "  w" + std::to_string(i) + ":\n    task: {command: [x]}\n";
  }
  Compiler compiler;
  DiagSink sink;
  CompiledSpec out;
  ASSERT_TRUE(compiler.Compile("spec.yaml", yaml, sink, &out)) << sink.Render();
  ASSERT_GT(out.files[0].content.size(), 51200u);
  auto grouped = [](size_t n) {
    std::string s = std::to_string(n);
    s.insert(s.size() - 3, ",");
    return s;
  };
  const size_t compact = CompactJsonSize(out.files[0].content);
  ASSERT_LE(compact, 51200u);  // so the warning offers --compact
  EXPECT_NE(sink.Render().find("spec.yaml: warning: the template is " +
                               grouped(out.files[0].content.size()) +
                               " bytes, over the 51,200 bytes CloudFormation accepts inline; "
                               "compile with --compact (" +
                               grouped(compact) +
                               " bytes minified), or deploy it through S3: 'aws cloudformation "
                               "deploy --template-file FILE --stack-name NAME --s3-bucket "
                               "BUCKET' [inline-template-size]\n"),
            std::string::npos)
      << sink.Render();
  // Compact, the same spec is under the limit: no warning.
  CompileOptions options;
  options.emit.compact = true;
  Compiler compact_compiler(options);
  DiagSink compact_sink;
  ASSERT_TRUE(compact_compiler.Compile("spec.yaml", yaml, compact_sink, &out));
  EXPECT_EQ(out.files[0].content.size(), compact + 1);  // and its newline
  EXPECT_EQ(compact_sink.Render().find("accepts inline"), std::string::npos)
      << compact_sink.Render();
}

}  // namespace
}  // namespace orchc
