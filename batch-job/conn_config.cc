#include "conn_config.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <memory>

namespace batch {
namespace {

constexpr const char* kDbVars[] = {"DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD"};

// The password as written inside a postgres:// URI (possibly percent-encoded), so that a libpq
// message quoting a fragment of the URI is still masked.
std::string_view UriPasswordText(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?"));
  size_t at = rest.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view userinfo = rest.substr(0, at);
  size_t colon = userinfo.find(':');
  return colon == std::string_view::npos ? std::string_view{} : userinfo.substr(colon + 1);
}

// libpq's parse errors quote the offending fragment of the URL, which may hold a password that
// could not be located: replace every quoted fragment, and drop the trailing newline.
std::string MaskQuoted(std::string_view message) {
  std::string out;
  bool quoted = false;
  for (char c : message) {
    if (c == '"') {
      out += quoted ? "\"" : "\"***";
      quoted = !quoted;
    } else if (!quoted && c != '\n') {
      out += c;
    }
  }
  return out;
}

// RFC 3986 user-info characters (unreserved, sub-delims, ':' and %XX), minus what libpq would
// read as a delimiter.
bool UserInfoChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~!$&'()*+,;=:%").find(c) != std::string_view::npos;
}

// A postgres:// URI whose user name or password holds an unencoded '@', '/', ':', '?', '#' (or
// any byte outside the user-info set) would be split by libpq at the wrong place, turning pieces
// of the password into host, port or database names that end up in messages. Such a URI is
// refused before libpq parses it, with a message that quotes nothing of it. The user-info is
// everything between "://" and the last '@' of the URI.
void CheckUriUserInfo(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return;  // a key=value string
  std::string_view rest = url.substr(scheme_end + 3);
  size_t at = rest.rfind('@');
  if (at == std::string_view::npos) return;  // no user-info
  std::string_view userinfo = rest.substr(0, at);
  bool ok = std::count(userinfo.begin(), userinfo.end(), ':') <= 1;
  for (size_t i = 0; ok && i < userinfo.size(); ++i) {
    char c = userinfo[i];
    if (!UserInfoChar(c)) ok = false;
    if (c == '%') {
      ok = i + 2 < userinfo.size() && std::isxdigit(static_cast<unsigned char>(userinfo[i + 1])) &&
           std::isxdigit(static_cast<unsigned char>(userinfo[i + 2]));
    }
  }
  if (!ok) {
    throw ConfigError(
        "DATABASE_URL: the user name or password contains a character that must be "
        "percent-encoded (one of @ / : ? # [ ] space, or a non-ASCII byte); write it as %XX, "
        "for example @ as %40, / as %2F, : as %3A, ? as %3F, # as %23");
  }
}

ConnConfig FromDatabaseUrl(const std::string& url, Redactor& redactor) {
  redactor.Add(UriPasswordText(url));
  CheckUriUserInfo(url);
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(url.c_str(), &error), &PQconninfoFree);
  if (!options) {
    std::string message = error ? error : "out of memory";
    PQfreemem(error);
    throw ConfigError("DATABASE_URL is not a valid connection string: " + MaskQuoted(message));
  }
  ConnConfig config;
  config.source = "DATABASE_URL";
  for (PQconninfoOption* opt = options.get(); opt->keyword; ++opt) {
    if (!opt->val) continue;
    std::string_view keyword = opt->keyword;
    if (keyword == "password") redactor.Add(opt->val);
    if (keyword == "host") config.host = opt->val;
    if (keyword == "port") config.port = opt->val;
    if (keyword == "dbname") config.dbname = opt->val;
    if (keyword == "user") config.user = opt->val;
    if (keyword == "sslmode") config.sslmode_set = true;
  }
  config.params = {{"dbname", url}};
  config.expand_dbname = true;
  return config;
}

bool ValidPort(const std::string& port) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && ptr == port.data() + port.size() && value >= 1 && value <= 65535;
}

// libpq takes C strings: a NUL inside a field would silently connect with its prefix.
void CheckNoNul(const ConnConfig& config, const std::string& password) {
  const std::pair<const char*, const std::string*> fields[] = {{"host", &config.host},
                                                               {"port", &config.port},
                                                               {"dbname", &config.dbname},
                                                               {"user", &config.user},
                                                               {"password", &password}};
  for (const auto& [name, value] : fields) {
    if (value->find('\0') != std::string::npos) {
      throw ConfigError(std::string("database ") + name + " contains a NUL character");
    }
  }
}

// True when every host of a libpq host list is a Unix-socket directory or a loopback address,
// where TLS protects nothing. Empty means libpq's default, a Unix socket.
bool AllHostsLocal(std::string_view hosts) {
  while (true) {
    size_t comma = hosts.find(',');
    std::string_view host = hosts.substr(0, comma);
    bool local = host.empty() || host.starts_with('/') || host.starts_with('@') ||
                 host == "localhost" || host.starts_with("127.") || host == "::1" ||
                 host == "[::1]";
    if (!local) return false;
    if (comma == std::string_view::npos) return true;
    hosts.remove_prefix(comma + 1);
  }
}

// Settings placed before the configured ones, so that a DATABASE_URL may override them:
// TCP keepalives and tcp_user_timeout (a silent network partition breaks the socket instead of
// hanging) and, with neither sslmode in DATABASE_URL nor PGSSLMODE, sslmode=require for any
// host that is not local (libpq's own default, prefer, falls back to plaintext silently).
void AddDefaults(ConnConfig& config, const EnvLookup& env) {
  config.defaults = {{"keepalives", "1"},
                     {"keepalives_idle", "10"},
                     {"keepalives_interval", "5"},
                     {"keepalives_count", "3"},
                     {"tcp_user_timeout", "20000"}};
  if (config.sslmode_set || env("PGSSLMODE")) {
    config.sslmode_default.clear();
    return;
  }
  config.sslmode_default = AllHostsLocal(config.host) ? "prefer" : "require";
  config.defaults.emplace_back("sslmode", config.sslmode_default);
}

}  // namespace

std::string ConnConfig::Describe() const {
  return "host=" + host + " port=" + (port.empty() ? "5432" : port) + " dbname=" + dbname +
         " user=" + user + " source=" + source;
}

EnvLookup ProcessEnv() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

ConnConfig LoadConnConfig(const EnvLookup& env, Redactor& redactor) {
  std::optional<std::string> url = env("DATABASE_URL");
  std::optional<std::string> secret_json = env("DB_SECRET");
  std::optional<std::string> password = env("DB_PASSWORD");
  for (const auto& secret : {url, secret_json, password}) {
    if (secret) redactor.Add(*secret);
  }

  if (url) {
    ConnConfig config = FromDatabaseUrl(*url, redactor);
    AddDefaults(config, env);
    if (secret_json) config.ignored.push_back("DB_SECRET");
    for (const char* name : kDbVars) {
      if (env(name)) config.ignored.push_back(name);
    }
    return config;
  }

  DbSecret secret;
  if (secret_json) {
    secret = ParseDbSecret(*secret_json);
    if (secret.password) redactor.Add(*secret.password);
  }
  bool any_db_var = false;
  auto field = [&](const char* var, const std::optional<std::string>& from_secret) {
    std::optional<std::string> value = env(var);
    any_db_var = any_db_var || value.has_value();
    return value ? *value : from_secret.value_or("");
  };
  ConnConfig config;
  config.host = field("DB_HOST", secret.host);
  config.port = field("DB_PORT", secret.port);
  config.dbname = field("DB_NAME", secret.dbname);
  config.user = field("DB_USER", secret.username);
  std::string pass = field("DB_PASSWORD", secret.password);
  config.source = secret_json ? (any_db_var ? "DB_SECRET+DB_*" : "DB_SECRET") : "DB_*";
  CheckNoNul(config, pass);

  if (!secret_json && !any_db_var) {
    throw ConfigError(
        "no database configuration: set DATABASE_URL, DB_SECRET, or DB_HOST, DB_NAME and "
        "DB_USER (plus DB_PORT, DB_PASSWORD)");
  }
  std::string missing;
  if (config.host.empty()) missing += " host (DB_HOST)";
  if (config.dbname.empty()) missing += " dbname (DB_NAME)";
  if (config.user.empty()) missing += " user (DB_USER)";
  if (!missing.empty()) {
    throw ConfigError("incomplete database configuration from " + config.source +
                      ", missing:" + missing);
  }
  if (config.port.empty()) config.port = "5432";
  if (!ValidPort(config.port)) {
    throw ConfigError("invalid database port '" + redactor.Scrub(config.port) +
                      "' (expected 1-65535)");
  }
  config.params = {{"host", config.host},
                   {"port", config.port},
                   {"dbname", config.dbname},
                   {"user", config.user}};
  if (!pass.empty()) config.params.emplace_back("password", pass);
  AddDefaults(config, env);
  return config;
}

}  // namespace batch
