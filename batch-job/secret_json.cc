// The only file of sample-batch that includes nlohmann/json.
#include <nlohmann/json.hpp>

#include "conn_config.h"

namespace batch {
namespace {

std::optional<std::string> StringField(const nlohmann::json& secret, const char* key,
                                       bool allow_number) {
  auto it = secret.find(key);
  if (it == secret.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (allow_number && it->is_number_integer()) return std::to_string(it->get<int64_t>());
  throw ConfigError(std::string("DB_SECRET field \"") + key + "\" must be a " +
                    (allow_number ? "number or string" : "string"));
}

}  // namespace

DbSecret ParseDbSecret(std::string_view json) {
  nlohmann::json secret;
  try {
    secret = nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() quotes the text around the error, which may be the password: use the offset only.
    throw ConfigError("DB_SECRET is not valid JSON (syntax error at byte " +
                      std::to_string(e.byte) + ")");
  }
  if (!secret.is_object()) throw ConfigError("DB_SECRET must be a JSON object");
  DbSecret out;
  out.host = StringField(secret, "host", false);
  out.port = StringField(secret, "port", true);
  out.dbname = StringField(secret, "dbname", false);
  out.username = StringField(secret, "username", false);
  out.password = StringField(secret, "password", false);
  return out;
}

}  // namespace batch
