#include "conn_config.h"

#include <gtest/gtest.h>

#include <map>

namespace batch {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

class ConnConfigTest : public ::testing::Test {
 protected:
  ConnConfig Load() {
    return LoadConnConfig(
        [this](const char* name) -> std::optional<std::string> {
          auto it = env_.find(name);
          if (it == env_.end() || it->second.empty()) return std::nullopt;
          return it->second;
        },
        redactor_);
  }

  // Loads, expects a ConfigError, and returns its message.
  std::string LoadError() {
    try {
      Load();
    } catch (const ConfigError& e) {
      return e.what();
    }
    ADD_FAILURE() << "no ConfigError";
    return "";
  }

  std::map<std::string, std::string> env_;
  Redactor redactor_;
};

TEST_F(ConnConfigTest, DbVariables) {
  env_ = {{"DB_HOST", "db.internal"},
          {"DB_PORT", "6432"},
          {"DB_NAME", "app"},
          {"DB_USER", "batch"},
          {"DB_PASSWORD", "pw1"}};
  ConnConfig config = Load();
  EXPECT_EQ(config.params, (Params{{"host", "db.internal"},
                                   {"port", "6432"},
                                   {"dbname", "app"},
                                   {"user", "batch"},
                                   {"password", "pw1"}}));
  EXPECT_FALSE(config.expand_dbname);
  EXPECT_EQ(config.source, "DB_*");
  EXPECT_EQ(config.Describe(), "host=db.internal port=6432 dbname=app user=batch source=DB_*");
  EXPECT_EQ(redactor_.Scrub("pw1"), "***");
}

TEST_F(ConnConfigTest, PortDefaultsTo5432AndPasswordIsOptional) {
  env_ = {{"DB_HOST", "h"}, {"DB_NAME", "d"}, {"DB_USER", "u"}};
  EXPECT_EQ(Load().params,
            (Params{{"host", "h"}, {"port", "5432"}, {"dbname", "d"}, {"user", "u"}}));
}

TEST_F(ConnConfigTest, SecretJsonAlone) {
  env_ = {{"DB_SECRET",
           R"({"engine":"postgres","host":"aurora.cluster","port":5432,"dbname":"app",)"
           R"("username":"batch","password":"p\"w{2}","dbClusterIdentifier":"c1"})"}};
  ConnConfig config = Load();
  EXPECT_EQ(config.params, (Params{{"host", "aurora.cluster"},
                                   {"port", "5432"},
                                   {"dbname", "app"},
                                   {"user", "batch"},
                                   {"password", "p\"w{2}"}}));
  EXPECT_EQ(config.source, "DB_SECRET");
  EXPECT_EQ(redactor_.Scrub("x p\"w{2} y"), "x *** y");
  EXPECT_EQ(redactor_.Scrub(env_["DB_SECRET"]), "***");
}

TEST_F(ConnConfigTest, DbVariablesOverrideSecretFieldByField) {
  // RDS-managed secrets hold only username and password; the task definition adds the rest.
  env_ = {{"DB_SECRET", R"({"username":"batch","password":"pw2","port":"5433"})"},
          {"DB_HOST", "h"},
          {"DB_NAME", "d"},
          {"DB_PORT", "6000"}};
  ConnConfig config = Load();
  EXPECT_EQ(config.params, (Params{{"host", "h"},
                                   {"port", "6000"},
                                   {"dbname", "d"},
                                   {"user", "batch"},
                                   {"password", "pw2"}}));
  EXPECT_EQ(config.source, "DB_SECRET+DB_*");
}

TEST_F(ConnConfigTest, DatabaseUrlWinsAndIsExpandedByLibpq) {
  env_ = {{"DATABASE_URL", "postgresql://batch:p%40ss@db:5433/app?sslmode=require"},
          {"DB_HOST", "ignored"},
          {"DB_SECRET", "{}"}};
  ConnConfig config = Load();
  EXPECT_EQ(config.params,
            (Params{{"dbname", "postgresql://batch:p%40ss@db:5433/app?sslmode=require"}}));
  EXPECT_TRUE(config.expand_dbname);
  EXPECT_EQ(config.Describe(), "host=db port=5433 dbname=app user=batch source=DATABASE_URL");
  EXPECT_EQ(config.ignored, (std::vector<std::string>{"DB_SECRET", "DB_HOST"}));
  // Decoded, encoded and whole-URL forms are all masked.
  EXPECT_EQ(redactor_.Scrub("p@ss p%40ss"), "*** ***");
  EXPECT_EQ(redactor_.Scrub(env_["DATABASE_URL"]), "***");
}

TEST_F(ConnConfigTest, InvalidDatabaseUrlMessageHidesThePassword) {
  env_ = {{"DATABASE_URL", "postgresql://batch:Pw%41@db/app?Pw%41=1"}};
  std::string message = LoadError();
  EXPECT_NE(message.find("DATABASE_URL is not a valid connection string"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("Pw"), std::string::npos) << message;
  EXPECT_EQ(message,
            "DATABASE_URL is not a valid connection string: invalid URI query parameter: "
            "\"***\"");
}

TEST_F(ConnConfigTest, NothingConfigured) {
  EXPECT_NE(LoadError().find("no database configuration"), std::string::npos);
}

TEST_F(ConnConfigTest, MissingFieldsAreNamed) {
  env_ = {{"DB_HOST", "h"}};
  EXPECT_EQ(LoadError(),
            "incomplete database configuration from DB_*, missing: dbname (DB_NAME) user "
            "(DB_USER)");
}

TEST_F(ConnConfigTest, InvalidPort) {
  env_ = {{"DB_HOST", "h"}, {"DB_NAME", "d"}, {"DB_USER", "u"}, {"DB_PORT", "99999"}};
  EXPECT_EQ(LoadError(), "invalid database port '99999' (expected 1-65535)");
}

TEST_F(ConnConfigTest, InvalidSecretJsonNeverQuotesIt) {
  env_ = {{"DB_SECRET", R"({"username":"u","password":"TopSecret1)"}};
  std::string message = LoadError();
  EXPECT_NE(message.find("DB_SECRET is not valid JSON"), std::string::npos) << message;
  EXPECT_EQ(message.find("TopSecret1"), std::string::npos) << message;
}

TEST(ParseDbSecret, RejectsWrongShapes) {
  auto error = [](std::string_view json) {
    try {
      ParseDbSecret(json);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error(R"(["a"])"), "DB_SECRET must be a JSON object");
  EXPECT_EQ(error(R"({"port":true})"), R"(DB_SECRET field "port" must be a number or string)");
  EXPECT_EQ(error(R"({"password":12345})"), R"(DB_SECRET field "password" must be a string)");
  EXPECT_EQ(error(""), "DB_SECRET is not valid JSON (syntax error at byte 1)");
}

TEST(ParseDbSecret, NullAndAbsentFieldsAreUnset) {
  DbSecret secret = ParseDbSecret(R"({"host":null,"port":"5432","username":"u"})");
  EXPECT_FALSE(secret.host);
  EXPECT_EQ(secret.port, "5432");
  EXPECT_EQ(secret.username, "u");
  EXPECT_FALSE(secret.password);
}

}  // namespace
}  // namespace batch
