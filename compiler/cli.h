// The command line: subcommands, options, exit codes. main() only calls RunCli.
#pragma once

#include <istream>
#include <ostream>

namespace orchc {

class Disk;

// Exit codes: 0 success; 1 a spec has errors; 2 usage or I/O error (a failed write to standard
// output included); 3 internal error (an unexpected exception: a bug in orchc).
enum ExitCode { kExitOk = 0, kExitSpecError = 1, kExitUsage = 2, kExitInternal = 3 };

// Runs one command line. Specs named "-" are read from `in`; files are read and written through
// `disk`. Everything written to `out` is flushed and checked before returning.
int RunCli(int argc, const char* const* argv, std::istream& in, std::ostream& out,
           std::ostream& err, Disk& disk);

// The same on the real file system, with empty standard input.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace orchc
