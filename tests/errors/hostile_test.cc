// Hostile but valid input: what must come out of orchc exactly as the spec says it.
//  - CRLF line endings and a byte order mark are accepted and change nothing;
//  - no spec text can change the meaning of the output: "${...}", quotes, backslashes,
//    newlines, '<' '>', JSONPath-looking "$.x", unicode and control characters in commands and
//    descriptions reach the state machine as the same literal text, through CloudFormation's
//    substitution (simulated here) and through DefinitionString's Fn::Join alike;
//  - a template over the inline size is a warning, not an error.
#include <gtest/gtest.h>

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
    EmitOptions emit;
    emit.definition_string = definition_string;
    CompiledSpec out = CompileOk(yaml, emit);
    ASSERT_FALSE(out.files.empty());
    const Json t = Json::parse(out.files[0].content);
    const Json& props = t["Resources"]["WStateMachine"]["Properties"];
    Json def = definition_string ? Joined(props) : Substituted(props);
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
