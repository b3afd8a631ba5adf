#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli.h"
#include "output.h"

int main(int argc, char** argv) {
  orchc::RealDisk disk;
  const int code = orchc::RunCli(argc, argv, std::cin, std::cout, std::cerr, disk);
  // RunCli flushed standard output and checked every write; closing it can still report a
  // write that failed late (a file on NFS, for one).
  if (::close(STDOUT_FILENO) != 0 && errno != EBADF && code == orchc::kExitOk) {
    std::fprintf(stderr, "orchc: error: cannot write to standard output: %s\n",
                 std::strerror(errno));
    return orchc::kExitUsage;
  }
  return code;
}
