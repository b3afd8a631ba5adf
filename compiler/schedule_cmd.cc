// `orchc schedule`. See schedule_cmd.h and docs/cli.md ("orchc schedule").
#include "schedule_cmd.h"

#include <CLI/CLI.hpp>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "checks.h"
#include "cli.h"
#include "diag.h"
#include "fire_times.h"
#include "output.h"
#include "schedule_warnings.h"
#include "schema_check.h"
#include "spec.h"
#include "spec_build.h"
#include "tzdb.h"
#include "yaml_tree.h"

namespace orchc {

namespace {

// One schedule of one workflow, ready to evaluate.
struct Row {
  std::string workflow, schedule, engine, expression, timezone;
  bool enabled = true;
  int64_t window_s = 0;
  FireSchedule fire;
};

std::string NoteText(const Firing& f, const Firing* prev, const TimeZone& zone) {
  const std::string date = FormatDateTime(f.local).substr(0, 10);
  const std::string hm = FormatDateTime(f.local).substr(11, 5);
  switch (f.note) {
    case DstNote::kSkipped:
      return "dst-skipped: " + hm + " does not exist on " + date + " in " + zone.name() +
             " (clocks go forward); EventBridge Scheduler skips this run";
    case DstNote::kRepeated:
      return "dst-repeated: " + hm + " occurs twice on " + date +
             " (clocks go back); EventBridge Scheduler runs once, listed at the first "
             "occurrence";
    case DstNote::kShifted: {
      std::string before = prev ? FormatLocal(0, prev->offset).substr(19) : "";
      return "dst-shifted: rate() counts elapsed time, so across the change of UTC offset" +
             (before.empty() ? std::string() : " from " + before) + " to " +
             FormatLocal(0, f.offset).substr(19) + " this run moved in local time";
    }
    case DstNote::kNone:
      break;
  }
  return "";
}

std::string Minutes(int64_t s) { return std::to_string(s / 60) + "m"; }

// The rows of a workflow's schedules.
void AddRows(const WorkflowSpec& w, std::vector<Row>& rows) {
  for (size_t i = 0; i < w.schedules.size(); ++i) {
    const ScheduleSpec& s = w.schedules[i];
    Row r;
    r.workflow = w.name;
    r.schedule = s.name.written() ? s.name.value : std::to_string(i);
    r.engine = s.engine == TriggerEngine::kScheduler ? "scheduler" : "rule";
    r.expression = s.expression.value;
    r.timezone = s.timezone ? s.timezone->value : "UTC";
    r.enabled = s.enabled;
    r.window_s = s.flexible_window_s;
    r.fire.expression = s.expression.value;
    r.fire.zone = s.timezone ? FindTimeZone(s.timezone->value) : &UtcZone();
    int64_t t;
    if (s.start_date && ParseRfc3339(s.start_date->value, &t)) r.fire.start = t;
    if (s.end_date && ParseRfc3339(s.end_date->value, &t)) r.fire.end = t;
    rows.push_back(std::move(r));
  }
}

// Reads and checks the spec files and collects the rows of the selected workflows. Prints the
// diagnostics; returns kExitOk, or the exit code of a failure.
int LoadRows(const ScheduleCommandOptions& opt, std::ostream& err, std::vector<Row>* rows) {
  DiagSink sink;
  std::vector<YamlDoc> docs;
  docs.reserve(opt.specs.size());
  std::vector<std::string> workflow_names;
  RealDisk disk;
  bool io_error = false, spec_error = false;
  for (const std::string& path : opt.specs) {
    std::string text, error;
    if (!ReadSpecFile(disk, path, &text, &error)) {
      err << "orchc: error: " << error << "\n";
      io_error = true;
      continue;
    }
    docs.push_back(LoadYaml(path, std::move(text), sink));
    const YamlDoc& doc = docs.back();
    Spec spec;
    if (!doc.root || !SchemaValidator::Shared().Validate(doc, sink) ||
        !BuildSpec(doc, spec, sink) || !CheckSpec(spec, sink)) {
      spec_error = true;
      continue;
    }
    for (const WorkflowSpec& w : spec.workflows) {
      workflow_names.push_back(w.name);
      if (opt.workflow.empty() || w.name == opt.workflow) AddRows(w, *rows);
    }
  }
  err << sink.Render();
  if (io_error) return kExitUsage;
  if (spec_error || sink.has_errors()) {
    err << sink.error_count() << (sink.error_count() == 1 ? " error" : " errors")
        << " generated.\n";
    return kExitSpecError;
  }
  if (!opt.workflow.empty() && rows->empty() &&
      std::find(workflow_names.begin(), workflow_names.end(), opt.workflow) ==
          workflow_names.end()) {
    std::string guess = SpellCheck(opt.workflow, workflow_names);
    err << "orchc: error: no workflow named '" << opt.workflow << "'"
        << (guess.empty() ? "" : "; did you mean '" + guess + "'?") << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

// One firing as an element of the JSON array.
nlohmann::ordered_json FiringJson(const Row& r, const Firing& f) {
  nlohmann::ordered_json e;
  e["workflow"] = r.workflow;
  e["schedule"] = r.schedule;
  e["engine"] = r.engine;
  e["expression"] = r.expression;
  e["timezone"] = r.timezone;
  e["utc"] = f.skipped ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(FormatUtc(f.utc));
  e["local"] = f.skipped ? FormatDateTime(f.local) : FormatLocal(f.local, f.offset);
  e["note"] = f.note == DstNote::kNone ? nlohmann::ordered_json(nullptr)
                                       : nlohmann::ordered_json(DstNoteName(f.note));
  e["window_end"] = r.window_s && !f.skipped ? nlohmann::ordered_json(FormatUtc(f.utc + r.window_s))
                                             : nlohmann::ordered_json(nullptr);
  return e;
}

// A row in text: its heading, then one line per firing (or why there is none).
void PrintRow(const Row& r, const FireTimes& times, const std::vector<Firing>& firings,
              int64_t from, std::ostringstream& text) {
  text << r.workflow << " / " << r.schedule << ": " << r.engine << " " << r.expression << " in "
       << r.timezone;
  if (r.window_s) text << ", flexible window " << Minutes(r.window_s);
  if (r.fire.start) text << ", from " << FormatUtc(*r.fire.start);
  if (r.fire.end) text << ", until " << FormatUtc(*r.fire.end);
  text << "\n";
  if (!r.enabled) {
    text << "  disabled (enabled: false): never fires\n";
    return;
  }
  if (firings.empty()) {
    text << "  never fires at or after " << FormatUtc(from) << ": "
         << WhyNeverFires(r.fire, times, from) << "\n";
    return;
  }
  for (size_t i = 0; i < firings.size(); ++i) {
    const Firing& f = firings[i];
    const Firing* prev = i ? &firings[i - 1] : nullptr;
    std::string utc = f.skipped ? "" : FormatUtc(f.utc);
    std::string local = f.skipped ? FormatDateTime(f.local) : FormatLocal(f.local, f.offset);
    std::string when = f.skipped    ? "(skipped)"
                       : r.window_s ? "[" + utc + ", " + FormatUtc(f.utc + r.window_s) + "]"
                                    : utc;
    std::string line = "  " + when;
    line.resize(std::max<size_t>(line.size() + 2, r.window_s ? 48 : 25), ' ');
    line += local;
    std::string note = NoteText(f, prev, *r.fire.zone);
    if (!note.empty()) {
      line.resize(std::max<size_t>(line.size() + 2, (r.window_s ? 48 : 25) + 27), ' ');
      line += note;
    }
    text << line << "\n";
  }
}

}  // namespace

CLI::App* AddScheduleCommand(CLI::App& app, ScheduleCommandOptions& opt) {
  CLI::App* c = app.add_subcommand(
      "schedule", "Print the next firing times of every schedule, in UTC and local time");
  c->add_option("specs", opt.specs, "Spec files (YAML)")->required();
  c->add_option("--workflow", opt.workflow, "Only this workflow");
  c->add_option("--count", opt.count, "Firings per schedule (default 10)")
      ->check(CLI::Range(size_t{1}, size_t{100000}));
  c->add_option("--from", opt.from, "Start time, RFC 3339 (default: now)");
  c->add_option("--format", opt.format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  return c;
}

int RunScheduleCommand(const ScheduleCommandOptions& opt, std::ostream& out, std::ostream& err) {
  int64_t from = static_cast<int64_t>(std::time(nullptr));
  if (!opt.from.empty() && !ParseRfc3339(opt.from, &from)) {
    err << "orchc: error: --from '" << opt.from
        << "' is not an RFC 3339 time such as 2026-03-29T00:00:00Z\n";
    return kExitUsage;
  }
  std::vector<Row> rows;
  if (int code = LoadRows(opt, err, &rows); code != kExitOk) return code;
  const bool json = opt.format == "json";
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  std::ostringstream text;
  for (const Row& r : rows) {
    FireTimes times;
    std::string error;
    if (!r.fire.zone || !times.Init(r.fire, &error)) {  // CheckSpec accepted it: cannot happen
      err << "orchc: error: cannot evaluate " << r.expression << ": " << error << "\n";
      return kExitSpecError;
    }
    std::vector<Firing> firings = r.enabled ? times.Next(from, opt.count) : std::vector<Firing>{};
    if (json) {
      for (const Firing& f : firings) array.push_back(FiringJson(r, f));
    } else {
      PrintRow(r, times, firings, from, text);
    }
  }
  if (json) {
    out << "[";
    for (size_t i = 0; i < array.size(); ++i) out << (i ? ",\n  " : "\n  ") << array[i].dump();
    out << (array.empty() ? "]\n" : "\n]\n");
  } else {
    out << text.str();
  }
  return kExitOk;
}

}  // namespace orchc
