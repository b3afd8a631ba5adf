// `orchc schedule`: the next firing times of every schedule of a spec (docs/cli.md).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace orchc {

struct ScheduleCommandOptions {
  std::vector<std::string> specs;
  std::string workflow;  // "" = every workflow
  size_t count = 10;
  std::string from;  // RFC 3339; "" = now
  std::string format = "text";
};

// Adds the `schedule` subcommand to `app`, filling `opt` when it is parsed.
CLI::App* AddScheduleCommand(CLI::App& app, ScheduleCommandOptions& opt);

// Runs it; returns the process exit code (cli.h).
int RunScheduleCommand(const ScheduleCommandOptions& opt, std::ostream& out, std::ostream& err);

}  // namespace orchc
