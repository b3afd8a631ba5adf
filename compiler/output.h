// Writing output files: all or nothing, atomically, never through a symlink.
#pragma once

#include <string>
#include <vector>

#include "backend.h"

namespace orchc {

// Writes `files` into `dir` (created if missing). Each file is written to a temporary file in
// `dir`, flushed to disk, and renamed over its final name only when every file was written;
// on any failure every temporary file is removed, existing outputs are left as they were, and
// `error` says what failed. A symlink at an output path is replaced, never followed.
bool WriteOutputs(const std::string& dir, const std::vector<OutputFile>& files, std::string* error);

}  // namespace orchc
