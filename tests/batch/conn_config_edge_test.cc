// Connection configuration at its edges: DATABASE_URLs that libpq would split inside the
// password, NUL bytes in any field, and the defaults added before the configured settings.
#include <gtest/gtest.h>

#include <map>

#include "conn_config.h"

namespace batch {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

class ConnConfigEdgeTest : public ::testing::Test {
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

TEST_F(ConnConfigEdgeTest, UnencodedDelimitersInTheUserInfoAreRefusedQuotingNothing) {
  // Each of these makes libpq read part of the password as host, port or database.
  for (const std::string password :
       {"Qx@Zj", "Qx/Zj", "Qx:Zj", "Qx?Zj", "Qx#Zj", "Qx Zj", "Q[x]Zj", "Qx%zZj", "Qx\xc3\xa4Zj"}) {
    SCOPED_TRACE(password);
    env_ = {{"DATABASE_URL", "postgresql://batchusr:" + password + "@db.example:6543/appdb"}};
    std::string message = LoadError();
    EXPECT_NE(message.find("must be percent-encoded"), std::string::npos) << message;
    for (const char* fragment : {"Qx", "Zj", "batchusr", "db.example", "6543", "appdb"}) {
      EXPECT_EQ(message.find(fragment), std::string::npos) << fragment << " in " << message;
    }
  }
  env_ = {{"DATABASE_URL", "postgresql://batch:p%40ss%2F%3A%3F%23@db.example/app"}};
  EXPECT_EQ(Load().Describe(),
            "host=db.example port=5432 dbname=app user=batch source=DATABASE_URL");
  EXPECT_EQ(redactor_.Scrub("p@ss/:?#"), "***");
}

TEST_F(ConnConfigEdgeTest, NulInAnyFieldIsAConfigurationError) {
  const std::string nul("\0", 1);
  for (const char* field : {"host", "dbname", "username", "password", "port"}) {
    SCOPED_TRACE(field);
    std::map<std::string, std::string> secret = {
        {"host", "h"}, {"dbname", "d"}, {"username", "u"}, {"password", "pw"}, {"port", "5432"}};
    secret[field] = std::string(field) == "port" ? "54\\u000032" : "ab\\u0000cd";
    std::string json = "{";
    for (const auto& [key, value] : secret) {
      json += (json.size() > 1 ? "," : "") + ("\"" + key + "\":\"" + value + "\"");
    }
    env_ = {{"DB_SECRET", json + "}"}};
    EXPECT_NE(LoadError().find("contains a NUL character"), std::string::npos);
  }
  env_ = {{"DB_HOST", "h"}, {"DB_NAME", "d" + nul + "x"}, {"DB_USER", "u"}};
  EXPECT_EQ(LoadError(), "database dbname contains a NUL character");
  env_ = {{"DB_HOST", "h"}, {"DB_NAME", "d"}, {"DB_USER", "u"}, {"DB_PASSWORD", "p" + nul + "w"}};
  EXPECT_EQ(LoadError(), "database password contains a NUL character");
  // libpq itself refuses %00 in a URI.
  env_ = {{"DATABASE_URL", "postgresql://u:p%00w@h/d"}};
  EXPECT_NE(LoadError().find("DATABASE_URL is not a valid connection string"), std::string::npos);
}

TEST_F(ConnConfigEdgeTest, TlsIsRequiredForRemoteHostsUnlessSslmodeIsNamed) {
  env_ = {{"DB_HOST", "db.example"}, {"DB_NAME", "d"}, {"DB_USER", "u"}};
  ConnConfig remote = Load();
  EXPECT_EQ(remote.sslmode_default, "require");
  EXPECT_EQ(remote.defaults.back(), (std::pair<std::string, std::string>{"sslmode", "require"}));
  for (const char* host : {"127.0.0.1", "localhost", "::1", "/var/run/postgresql"}) {
    env_["DB_HOST"] = host;
    EXPECT_EQ(Load().sslmode_default, "prefer") << host;
  }
  env_["DB_HOST"] = "127.0.0.1,db.example";
  EXPECT_EQ(Load().sslmode_default, "require");
  env_["PGSSLMODE"] = "disable";
  EXPECT_EQ(Load().sslmode_default, "");
  env_ = {{"DATABASE_URL", "postgresql://u@db.example/d?sslmode=verify-full"}};
  ConnConfig named = Load();
  EXPECT_EQ(named.sslmode_default, "");
  for (const auto& [key, value] : named.defaults) EXPECT_NE(key, "sslmode");
  env_ = {{"DATABASE_URL", "postgresql://u@db.example/d"}};
  EXPECT_EQ(Load().sslmode_default, "require");
}

TEST_F(ConnConfigEdgeTest, KeepalivesAndTcpUserTimeoutAreSetBeforeTheConfiguredSettings) {
  env_ = {{"DB_HOST", "127.0.0.1"}, {"DB_NAME", "d"}, {"DB_USER", "u"}};
  ConnConfig config = Load();
  std::map<std::string, std::string> defaults(config.defaults.begin(), config.defaults.end());
  EXPECT_EQ(defaults["keepalives"], "1");
  EXPECT_EQ(defaults["keepalives_idle"], "10");
  EXPECT_EQ(defaults["keepalives_interval"], "5");
  EXPECT_EQ(defaults["keepalives_count"], "3");
  EXPECT_EQ(defaults["tcp_user_timeout"], "20000");
}

}  // namespace
}  // namespace batch
