#ifndef BATCH_JOB_JSON_LOG_H_
#define BATCH_JOB_JSON_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "redactor.h"

namespace spdlog {
class logger;
namespace sinks {
class sink;
}
}  // namespace spdlog

namespace batch {

// One log event: a name and ordered fields. Values are kept raw until Log renders them, so that
// every string is scrubbed of secrets in exactly one place.
class Event {
 public:
  explicit Event(std::string_view name) : name_(name) {}

  // A string that comes from outside the program (input, environment, server, libpq): it is
  // passed through the Redactor.
  Event& Str(std::string_view key, std::string_view value);
  // A fixed text of the program (a string literal or a choice between them): never redacted, so
  // a short secret that happens to occur in it cannot mask the log's structure.
  Event& Fixed(std::string_view key, std::string_view value);
  Event& Int(std::string_view key, int64_t value);
  Event& Bool(std::string_view key, bool value);

 private:
  friend class Log;
  struct Field {
    std::string key;    // a fixed text of the program: never redacted
    std::string value;  // raw text for strings, JSON text for numbers and booleans
    bool is_string;
    bool redact;  // the value comes from outside (Str)
  };
  std::string name_;
  std::vector<Field> fields_;
};

// Structured logger of one process: every line is one JSON object on stdout, flushed at once,
//   {"ts":"<UTC ISO-8601>","level":"info","event":"...","run_id":"...","job":"...",...}
// Values from outside (Str fields and the job name) are passed through the Redactor; keys, event
// names and Fixed values are the program's own texts and are written as they are. Every line is
// valid JSON whatever the bytes: invalid UTF-8 becomes U+FFFD (written as UTF-8).
class Log {
 public:
  // Writes to stdout unless a sink is given (tests pass an in-memory one).
  Log(std::string run_id, std::string job, const Redactor* redactor,
      std::shared_ptr<spdlog::sinks::sink> sink = nullptr);

  const std::string& run_id() const { return run_id_; }
  const Redactor& redactor() const { return *redactor_; }
  void set_job(std::string job) { job_ = std::move(job); }

  void Info(const Event& event);
  void Warn(const Event& event);
  void Error(const Event& event);

  // The JSON members (without braces, timestamp or level) that Info/Warn/Error write.
  std::string Render(const Event& event) const;

 private:
  std::string run_id_;
  std::string job_;
  const Redactor* redactor_;
  std::shared_ptr<spdlog::logger> logger_;
};

// Appends `value` to `out` as a JSON string literal (quotes included). Control characters are
// escaped; each byte that is not part of a well-formed UTF-8 sequence (stray continuation bytes,
// overlong forms, surrogates, code points above U+10FFFF, truncated sequences) becomes U+FFFD.
void AppendJsonString(std::string& out, std::string_view value);

// A fresh random (version 4) UUID in its canonical text form; identifies one process run.
std::string NewRunId();

}  // namespace batch

#endif  // BATCH_JOB_JSON_LOG_H_
