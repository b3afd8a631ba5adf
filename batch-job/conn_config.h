#ifndef BATCH_JOB_CONN_CONFIG_H_
#define BATCH_JOB_CONN_CONFIG_H_

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redactor.h"

namespace batch {

// Missing or invalid connection configuration. The message never contains a secret value.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The libpq connection parameters of the job, read from the environment. `params` holds the
// password; log only `Describe()`.
struct ConnConfig {
  // libpq keyword/value pairs in order. With DATABASE_URL it is the single pair
  // ("dbname", url), which libpq expands.
  std::vector<std::pair<std::string, std::string>> params;
  // libpq pairs passed before `params` (so a DATABASE_URL can override them): TCP keepalives,
  // tcp_user_timeout and the default sslmode.
  std::vector<std::pair<std::string, std::string>> defaults;
  bool expand_dbname = false;  // true exactly for DATABASE_URL
  bool sslmode_set = false;    // DATABASE_URL names an sslmode
  // The sslmode chosen because neither DATABASE_URL nor PGSSLMODE names one: "require" unless
  // every host is local (loopback or Unix socket), then "prefer"; empty when one was named.
  std::string sslmode_default;
  // Where the settings came from: "DATABASE_URL", "DB_*", "DB_SECRET" or "DB_SECRET+DB_*".
  std::string source;
  std::string host, port, dbname, user;  // as far as known; for log lines
  // Variables that were set but lost to a higher-precedence source (logged as a warning).
  std::vector<std::string> ignored;

  std::string Describe() const;
};

// The fields of a Secrets Manager database secret, as ECS injects it into one variable:
//   {"host":"...","port":5432,"dbname":"...","username":"...","password":"...", ...}
// Other keys (engine, dbClusterIdentifier, ...) are ignored; port may be a number or a string.
struct DbSecret {
  std::optional<std::string> host, port, dbname, username, password;
};

// Parses DB_SECRET's JSON. Throws ConfigError whose message names the problem and the byte
// offset but never quotes the input.
DbSecret ParseDbSecret(std::string_view json);

// Looks up one environment variable; unset and empty are both nullopt.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
EnvLookup ProcessEnv();

// Reads, with this precedence:
//   1. DATABASE_URL (a postgres:// URI or key=value string) alone, if set;
//   2. otherwise each field from DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, falling back
//      to the same field of the DB_SECRET JSON, then to port 5432.
// Every secret (DATABASE_URL, DB_SECRET, the password in any form) is added to `redactor`
// before anything can fail. PGSSLMODE and the other PG* variables are left to libpq.
// Throws ConfigError.
ConnConfig LoadConnConfig(const EnvLookup& env, Redactor& redactor);

}  // namespace batch

#endif  // BATCH_JOB_CONN_CONFIG_H_
