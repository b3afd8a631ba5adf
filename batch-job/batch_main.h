#ifndef BATCH_JOB_BATCH_MAIN_H_
#define BATCH_JOB_BATCH_MAIN_H_

#include "job_hooks.h"

namespace batch {

// The whole program: parses argv, reads the connection settings from the environment, runs the
// job and returns the exit status. `hooks` is null in the shipping binary (main.cc).
int Main(int argc, char** argv, JobHooks* hooks);

}  // namespace batch

#endif  // BATCH_JOB_BATCH_MAIN_H_
