#include "output.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace orchc {

namespace {

// Fault injection for the output-safety tests (tests/errors/output_safety.sh), read once:
// ORCHC_TEST_FAIL_WRITE=N makes the write of the Nth file fail with ENOSPC (a full disk);
// ORCHC_TEST_SIGNAL_WRITE=N sends the process SIGTERM just before writing the Nth file.
int EnvCount(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : 0;
}

// Termination signals are held while files are written and renamed, so that an interrupted run
// removes its temporary files and renames nothing; the signal is delivered when they are released.
class HoldSignals {
 public:
  HoldSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, s);
    held_ = ::sigprocmask(SIG_BLOCK, &set, &old_) == 0;
  }
  ~HoldSignals() {
    if (held_) ::sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
  // True when a termination signal arrived since construction.
  bool Interrupted() const {
    sigset_t pending;
    if (!held_ || ::sigpending(&pending) != 0) return false;
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
      if (sigismember(&pending, s) == 1 && sigismember(&old_, s) != 1) return true;
    }
    return false;
  }

 private:
  sigset_t old_;
  bool held_ = false;
};

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

bool WriteOutputs(const std::string& dir, const std::vector<OutputFile>& files, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    *error = "cannot create output directory '" + dir + "': " +
             (ec ? ec.message() : std::string("not a directory"));
    return false;
  }
  HoldSignals hold;
  const int fail_write = EnvCount("ORCHC_TEST_FAIL_WRITE");
  const int signal_write = EnvCount("ORCHC_TEST_SIGNAL_WRITE");
  std::vector<std::string> temps;
  auto cleanup = [&] {
    for (const std::string& t : temps) ::unlink(t.c_str());
  };
  for (const OutputFile& f : files) {
    if (f.name.empty() || f.name.find('/') != std::string::npos || f.name == "." ||
        f.name == ".." || f.name.starts_with(".")) {
      cleanup();
      *error = "refusing to write output file named '" + f.name + "'";
      return false;
    }
    std::string tmp = dir + "/.orchc-" + std::to_string(::getpid()) + "-" +
                      std::to_string(temps.size()) + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
      *error = "cannot write in '" + dir + "': " + std::strerror(errno);
      cleanup();
      return false;
    }
    temps.push_back(tmp);
    if (static_cast<int>(temps.size()) == signal_write) ::kill(::getpid(), SIGTERM);
    errno = 0;
    bool ok = WriteAll(fd, f.content);
    // Start writing the data back now, without waiting: the files go to the disk together and
    // the syncs below mostly wait for writes already under way.
    if (ok) ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    if (static_cast<int>(temps.size()) == fail_write) ok = false, errno = ENOSPC;
    int saved = errno;
    ok = (::close(fd) == 0) && ok;
    if (!ok) {
      *error = "cannot write '" + dir + "/" + f.name + "': " + std::strerror(saved ? saved : errno);
      cleanup();
      return false;
    }
  }
  // Every temporary file is on the disk (data and size) before any is renamed.
  for (size_t i = 0; i < temps.size(); ++i) {
    int fd = ::open(temps[i].c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    bool ok = fd >= 0 && ::fdatasync(fd) == 0;
    int saved = errno;
    if (fd >= 0) ::close(fd);
    if (!ok) {
      *error = "cannot write '" + dir + "/" + files[i].name + "': " + std::strerror(saved);
      cleanup();
      return false;
    }
  }
  if (hold.Interrupted()) {
    cleanup();
    *error = "interrupted";
    return false;
  }
  for (size_t i = 0; i < files.size(); ++i) {
    std::string final_path = dir + "/" + files[i].name;
    if (::rename(temps[i].c_str(), final_path.c_str()) != 0) {
      *error = "cannot rename into '" + final_path + "': " + std::strerror(errno);
      for (size_t j = i; j < temps.size(); ++j) ::unlink(temps[j].c_str());
      return false;
    }
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return true;
}

}  // namespace orchc
