// The command line: subcommands, options, exit codes. main() only calls RunCli.
#pragma once

#include <ostream>

namespace orchc {

// Exit codes: 0 success; 1 a spec has errors; 2 usage or I/O error.
enum ExitCode { kExitOk = 0, kExitSpecError = 1, kExitUsage = 2 };

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace orchc
