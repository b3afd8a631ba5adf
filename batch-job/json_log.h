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

  Event& Str(std::string_view key, std::string_view value);
  Event& Int(std::string_view key, int64_t value);
  Event& Bool(std::string_view key, bool value);

 private:
  friend class Log;
  struct Field {
    std::string key;
    std::string value;  // raw text for strings, JSON text for numbers and booleans
    bool is_string;
  };
  std::string name_;
  std::vector<Field> fields_;
};

// Structured logger of one process: every line is one JSON object on stdout, flushed at once,
//   {"ts":"<UTC ISO-8601>","level":"info","event":"...","run_id":"...","job":"...",...}
// Every string value is passed through the Redactor before it is written.
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

// Appends `value` to `out` as a JSON string literal (quotes included).
void AppendJsonString(std::string& out, std::string_view value);

// A fresh random (version 4) UUID in its canonical text form; identifies one process run.
std::string NewRunId();

}  // namespace batch

#endif  // BATCH_JOB_JSON_LOG_H_
