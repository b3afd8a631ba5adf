// Schema validation: every error located at the offending node and phrased for a person.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "schema_blob.h"
#include "schema_check.h"
#include "test_util.h"

namespace orchc {
namespace {

using testing::Diagnostics;

TEST(SchemaTest, SchemaIsDraft07WithADescriptionOnEveryProperty) {
  nlohmann::json schema = nlohmann::json::parse(SchemaText());
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  std::vector<std::string> missing;
  std::function<void(const nlohmann::json&, const std::string&)> walk =
      [&](const nlohmann::json& s, const std::string& path) {
        if (!s.is_object()) return;
        if (s.contains("properties")) {
          for (auto& [k, v] : s["properties"].items()) {
            if (!v.contains("description")) missing.push_back(path + "/" + k);
            walk(v, path + "/" + k);
          }
        }
        for (const char* key : {"additionalProperties", "items"}) {
          if (s.contains(key) && s[key].is_object()) {
            if (!s[key].contains("description") && !s[key].contains("$ref"))
              missing.push_back(path + "/" + key);
            walk(s[key], path + "/" + key);
          }
        }
        if (s.contains("definitions"))
          for (auto& [k, v] : s["definitions"].items()) walk(v, path + "/definitions/" + k);
      };
  walk(schema, "");
  EXPECT_TRUE(missing.empty()) << ::testing::PrintToString(missing);
}

TEST(SchemaTest, TheCompiledInCborIsTheSchemaText) {
  // SchemaValidator decodes the CBOR form; it must be the text's tree, value types included.
  const nlohmann::json decoded = schema_blob::Decode(kSchemaBlob, kSchemaBlobSize);
  const nlohmann::json parsed = nlohmann::json::parse(SchemaText());
  EXPECT_TRUE(schema_blob::SameTree(decoded, parsed));
  EXPECT_EQ(decoded, parsed);
  // A cut or padded blob is refused (the validator then parses the text).
  EXPECT_THROW(schema_blob::Decode(kSchemaBlob, kSchemaBlobSize - 1), std::runtime_error);
  std::vector<uint8_t> padded(kSchemaBlob, kSchemaBlob + kSchemaBlobSize);
  padded.push_back(0);
  EXPECT_THROW(schema_blob::Decode(padded.data(), padded.size()), std::runtime_error);
}

TEST(SchemaTest, MissingRequiredKeys) {
  EXPECT_EQ(Diagnostics("version: 1\n"),
            "spec.yaml:1:1: error: the spec is missing the required key 'env'\n"
            "  version: 1\n"
            "  ^\n");
}

TEST(SchemaTest, UnknownKeyGetsDidYouMean) {
  std::string spec = std::string(testing::kMinimalSpec) + "tracng: true\n";
  EXPECT_EQ(Diagnostics(spec),
            "spec.yaml:8:1: error: unknown key 'tracng' at the top level; did you mean 'tracing'?\n"
            "  tracng: true\n"
            "  ^~~~~~\n");
}

TEST(SchemaTest, EveryUnknownKeyIsReported) {
  std::string d = Diagnostics(
      "version: 1\nenv: prod\nworkflows:\n  w:\n    tsk: {}\n    task: {command: [a], retyr: "
      "[]}\n");
  EXPECT_NE(d.find("spec.yaml:5:5: error: unknown key 'tsk' in workflows.w; did you mean 'task'?"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:6:26: error: unknown key 'retyr' in workflows.w.task; did you mean "
                   "'retry'?"),
            std::string::npos)
      << d;
}

TEST(SchemaTest, Yaml11BooleanGetsHint) {
  std::string spec = testing::kMinimalSpec;
  spec.replace(spec.find("enabled: true"), 13, "enabled: on");
  EXPECT_EQ(Diagnostics(spec),
            "spec.yaml:4:12: error: orchestration.enabled must be true or false, not the string "
            "'on'; YAML 1.2 reads 'on' as a string: write true or false\n"
            "    enabled: on\n"
            "             ^~\n");
}

TEST(SchemaTest, QuotedBooleanGetsHint) {
  std::string spec = testing::kMinimalSpec;
  spec.replace(spec.find("enabled: true"), 13, "enabled: 'false'");
  EXPECT_NE(Diagnostics(spec).find("not the string 'false'; remove the quotes"), std::string::npos);
}

TEST(SchemaTest, EnumMismatchListsChoicesAndGuesses) {
  std::string spec = std::string(testing::kMinimalSpec) + "logs: {removalPolicy: retian}\n";
  EXPECT_EQ(Diagnostics(spec),
            "spec.yaml:8:23: error: logs.removalPolicy is the string 'retian'; allowed: retain, "
            "destroy; did you mean 'retain'?\n"
            "  logs: {removalPolicy: retian}\n"
            "                        ^~~~~~\n");
}

TEST(SchemaTest, WrongTypesAndVersion) {
  EXPECT_EQ(Diagnostics("version: 2\nenv: [prod]\n"),
            "spec.yaml:1:10: error: version is the number 2; allowed: 1\n"
            "  version: 2\n"
            "           ^\n"
            "spec.yaml:2:6: error: env must be a string, not a list\n"
            "  env: [prod]\n"
            "       ^\n");
}

TEST(SchemaTest, InvalidNamesAndPatterns) {
  std::string d = Diagnostics(
      "version: 1\nenv: Prod_1\nworkflows:\n  Bad_Name:\n    task: {command: [a], timeout: "
      "2 hours}\n");
  EXPECT_NE(d.find("spec.yaml:2:6: error: env is the string 'Prod_1'; expected lowercase letters, "
                   "digits and '-', starting with a letter"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("spec.yaml:4:3: error: invalid name 'Bad_Name' in workflows: workflow names are "
                   "lowercase letters, digits and '-', starting with a letter"),
            std::string::npos)
      << d;
  EXPECT_NE(
      d.find("spec.yaml:5:35: error: workflows.Bad_Name.task.timeout is the string '2 hours'; "
             "expected whole seconds or a string like 30s, 5m, 2h, 1h30m"),
      std::string::npos)
      << d;
}

TEST(SchemaTest, RootMustBeAMapping) {
  EXPECT_EQ(Diagnostics("- a\n- b\n"),
            "spec.yaml:1:1: error: the spec must be a mapping, not a list\n"
            "  - a\n"
            "  ^\n");
}

}  // namespace
}  // namespace orchc
