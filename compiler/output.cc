#include "output.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <set>

namespace orchc {

// ---- RealDisk ----

int RealDisk::MakeDirs(const std::string& dir) {
  if (dir.empty()) return ENOENT;
  std::string path;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    path = dir.substr(0, pos);
    if (path.empty() || path == "/") continue;
    if (::mkdir(path.c_str(), 0777) == 0) continue;
    if (errno != EEXIST) return errno;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return errno;
    if (!S_ISDIR(st.st_mode)) return ENOTDIR;
  }
  return 0;
}

int RealDisk::Kind(const std::string& path, FileKind* kind) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return errno;
    *kind = FileKind::kMissing;
    return 0;
  }
  *kind = S_ISREG(st.st_mode)   ? FileKind::kRegular
          : S_ISLNK(st.st_mode) ? FileKind::kSymlink
          : S_ISDIR(st.st_mode) ? FileKind::kDirectory
                                : FileKind::kOther;
  return 0;
}

int RealDisk::ReadFile(const std::string& path, std::string* text) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat st;
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
    ::close(fd);
    return e;
  }
  text->clear();
  if (S_ISREG(st.st_mode)) text->reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    text->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return 0;
}

int RealDisk::CreateNew(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  size_t done = 0;
  int e = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      e = n < 0 ? errno : EIO;
      break;
    }
    done += static_cast<size_t>(n);
  }
  // Start writing the data back now, without waiting: the files go to the disk together and
  // SyncFile mostly waits for writes already under way.
  if (e == 0) ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  if (::close(fd) != 0 && e == 0) e = errno;
  if (e != 0) ::unlink(path.c_str());  // a failed CreateNew leaves nothing
  return e;
}

int RealDisk::SyncFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno;
  int e = ::fdatasync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return e;
}

int RealDisk::Link(const std::string& from, const std::string& to) {
  return ::linkat(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), 0) == 0 ? 0 : errno;
}

int RealDisk::Rename(const std::string& from, const std::string& to) {
  return ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}

int RealDisk::Remove(const std::string& path) { return ::unlink(path.c_str()) == 0 ? 0 : errno; }

int RealDisk::SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  int e = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  // Some file systems cannot sync a directory; the renames are then as durable as they get.
  return e == EINVAL || e == ENOTSUP ? 0 : e;
}

int RealDisk::List(const std::string& dir, std::vector<std::string>* names) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return errno;
  names->clear();
  errno = 0;
  while (const dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names->push_back(std::move(name));
  }
  int err = errno;
  ::closedir(d);
  return err;
}

// ---- WriteOutputs ----

namespace {

constexpr int kTermSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// Termination signals are blocked while it lives; a pending one is delivered when it ends
// (unless IgnoreFromNowOn() was called).
class HoldSignals {
 public:
  HoldSignals() {
    sigemptyset(&set_);
    for (int s : kTermSignals) sigaddset(&set_, s);
    held_ = ::sigprocmask(SIG_BLOCK, &set_, &old_) == 0;
  }
  ~HoldSignals() {
    if (held_) ::sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
  HoldSignals(const HoldSignals&) = delete;
  HoldSignals& operator=(const HoldSignals&) = delete;

  // True when a termination signal (not blocked before) arrived since construction.
  bool Interrupted() const {
    sigset_t pending;
    if (!held_ || ::sigpending(&pending) != 0) return false;
    for (int s : kTermSignals) {
      if (sigismember(&pending, s) == 1 && sigismember(&old_, s) != 1) return true;
    }
    return false;
  }
  // After the commit no signal can undo anything: the termination signals this object blocked
  // are ignored for the rest of the process (the caller only lists what it wrote and exits),
  // which also drops those pending (POSIX: setting SIG_IGN discards a pending signal). Were they
  // only drained here, one arriving after the drain would be delivered when the mask is
  // restored and kill the process with 128+N after everything was written. A signal with a
  // handler of the embedding program's keeps it; its pending instances are taken away.
  void IgnoreFromNowOn() {
    sigset_t ours;  // the signals this object blocked, not those the caller had blocked
    sigemptyset(&ours);
    for (int s : kTermSignals) {
      if (sigismember(&old_, s) == 1) continue;
      sigaddset(&ours, s);
      struct sigaction current {};
      if (::sigaction(s, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        ::sigaction(s, &ignore, nullptr);
      }
    }
    const timespec zero{0, 0};
    while (Interrupted() && ::sigtimedwait(&ours, nullptr, &zero) > 0) {
    }
  }

 private:
  sigset_t set_;
  sigset_t old_;
  bool held_ = false;
};

// A temporary file name in `dir` that no one can predict: `.orchc-<12 random letters or
// digits><suffix>`.
std::string RandomName(const std::string& dir, const char* suffix) {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[12];
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    std::random_device rd;
    for (unsigned char& b : bytes) b = static_cast<unsigned char>(rd());
  }
  std::string name = dir + "/.orchc-";
  for (unsigned char b : bytes) name += kChars[b % 36];
  return name + suffix;
}

// Tries `make(name)` with fresh random names while it returns EEXIST.
template <typename F>
int WithNewName(const std::string& dir, const char* suffix, std::string* name, F make) {
  int e = EEXIST;
  for (int attempt = 0; attempt < 100 && e == EEXIST; ++attempt) {
    *name = RandomName(dir, suffix);
    e = make(*name);
  }
  return e;
}

bool ValidName(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && !name.starts_with(".");
}

// One change to the directory: a new file over `final_path` (temp set), or the removal of
// `final_path` (temp empty). `backup` is the previous file's second name, when there was one.
struct Change {
  std::string final_path;
  std::string temp;
  std::string backup;
  bool creates = false;  // a new file (not a removal)
  bool done = false;     // committed (renamed or removed)
};

// Keeps a second name for the file at `c.final_path`: a hard link, or a copy of a regular file
// where the file system has no hard links.
int KeepPrevious(Disk& disk, const std::string& dir, FileKind kind, Change& c) {
  int e = WithNewName(dir, ".old", &c.backup,
                      [&](const std::string& n) { return disk.Link(c.final_path, n); });
  if (e == 0) return 0;
  c.backup.clear();
  if (kind != FileKind::kRegular ||
      (e != EPERM && e != ENOTSUP && e != EXDEV && e != EMLINK && e != ENOSYS)) {
    return e;
  }
  std::string text;
  if (int r = disk.ReadFile(c.final_path, &text)) return r;
  e = WithNewName(dir, ".old", &c.backup,
                  [&](const std::string& n) { return disk.CreateNew(n, text); });
  if (e != 0) c.backup.clear();
  return e;
}

std::string Quoted(const std::string& path) { return "'" + path + "'"; }

// Undoes the committed changes (last first) and removes every temporary file. Returns the
// failures, or "" when the directory is as it was.
std::string RollBack(Disk& disk, std::vector<Change>& changes) {
  std::string failures;
  auto failed = [&](const std::string& what, int e) {
    failures += (failures.empty() ? "" : "; ") + what + ": " + std::strerror(e);
  };
  for (auto c = changes.rbegin(); c != changes.rend(); ++c) {
    if (!c->done) continue;
    if (!c->backup.empty()) {
      if (int e = disk.Rename(c->backup, c->final_path)) {
        failed("cannot restore " + Quoted(c->final_path) + " from " + Quoted(c->backup), e);
        continue;
      }
      c->backup.clear();
    } else if (int e = c->creates ? disk.Remove(c->final_path) : 0) {
      failed("cannot remove the new " + Quoted(c->final_path), e);
    }
    c->done = false;
  }
  for (Change& c : changes) {
    if (!c.temp.empty() && !c.done) disk.Remove(c.temp);
    if (!c.backup.empty() && !c.done) disk.Remove(c.backup);
  }
  return failures;
}

// Why the files cannot be written or removed as named ("" when they can): a name that is not a
// plain file name, or one named twice.
std::string NameError(const std::vector<OutputFile>& files,
                      const std::vector<std::string>& remove) {
  std::set<std::string> seen;
  for (const OutputFile& f : files) {
    if (!ValidName(f.name)) {
      return "refusing to write output file named '" + f.name + "'";
    }
    if (!seen.insert(f.name).second) {
      return "two output files are named '" + f.name + "'";
    }
  }
  for (const std::string& name : remove) {
    if (!ValidName(name) || !seen.insert(name).second) {
      return "refusing to remove a file named '" + name + "'";
    }
  }
  return "";
}

// 1. Prepare: each new file written under a temporary name and synced, each file it replaces
// kept under another. Returns "" or why the directory must stay unchanged (`changes` then holds
// what to undo).
std::string Prepare(Disk& disk, const std::string& dir, const std::vector<OutputFile>& files,
                    const std::vector<std::string>& remove, HoldSignals& hold,
                    std::vector<Change>& changes) {
  std::vector<FileKind> kinds;
  for (size_t i = 0; i < files.size() + remove.size(); ++i) {
    const std::string& name = i < files.size() ? files[i].name : remove[i - files.size()];
    Change c{dir + "/" + name, "", "", i < files.size(), false};
    FileKind kind = FileKind::kMissing;
    if (int e = disk.Kind(c.final_path, &kind)) {
      return "cannot write " + Quoted(c.final_path) + ": " + std::strerror(e);
    }
    if (kind == FileKind::kDirectory || kind == FileKind::kOther) {
      return "cannot write " + Quoted(c.final_path) + ": " +
             (kind == FileKind::kDirectory ? "a directory" : "something other than a file") +
             " stands there";
    }
    kinds.push_back(kind);
    changes.push_back(std::move(c));
  }
  for (size_t i = 0; i < files.size(); ++i) {
    Change& c = changes[i];
    int e = WithNewName(dir, ".new", &c.temp,
                        [&](const std::string& n) { return disk.CreateNew(n, files[i].content); });
    if (e != 0) {
      c.temp.clear();  // not created
      return "cannot write " + Quoted(c.final_path) + ": " + std::strerror(e);
    }
    if (hold.Interrupted()) return "interrupted by a signal";
  }
  // Every new file is on the disk (data and size) before any is renamed.
  for (size_t i = 0; i < files.size(); ++i) {
    if (int e = disk.SyncFile(changes[i].temp)) {
      return "cannot write " + Quoted(changes[i].final_path) + ": " + std::strerror(e);
    }
  }
  for (size_t i = 0; i < changes.size(); ++i) {
    if (kinds[i] == FileKind::kMissing) continue;
    if (int e = KeepPrevious(disk, dir, kinds[i], changes[i])) {
      return "cannot keep the previous " + Quoted(changes[i].final_path) +
             " for a roll-back: " + std::strerror(e);
    }
  }
  if (hold.Interrupted()) return "interrupted by a signal";
  return "";
}

// 2. Commit: renames and removals. Returns "" or why the directory must be rolled back.
std::string Commit(Disk& disk, const std::string& dir, HoldSignals& hold,
                   std::vector<Change>& changes) {
  for (Change& c : changes) {
    if (c.creates) {
      if (int e = disk.Rename(c.temp, c.final_path)) {
        return "cannot rename into " + Quoted(c.final_path) + ": " + std::strerror(e);
      }
      c.temp.clear();  // it is the final file now
    } else if (int e = disk.Remove(c.final_path); e != 0 && e != ENOENT) {
      return "cannot remove " + Quoted(c.final_path) + ": " + std::strerror(e);
    }
    c.done = true;
    if (hold.Interrupted()) return "interrupted by a signal";
  }
  if (int e = disk.SyncDir(dir)) {
    return "cannot sync the directory '" + dir + "': " + std::strerror(e);
  }
  if (hold.Interrupted()) return "interrupted by a signal";
  return "";
}

}  // namespace

WriteResult WriteOutputs(Disk& disk, const std::string& dir, const std::vector<OutputFile>& files,
                         const std::vector<std::string>& remove, std::string* error) {
  HoldSignals hold;
  std::vector<Change> changes;
  // Stops before the commit: removes what was created so far.
  auto unchanged = [&](std::string message) {
    RollBack(disk, changes);
    *error = std::move(message);
    return WriteResult::kUnchanged;
  };
  if (std::string why = NameError(files, remove); !why.empty()) return unchanged(why);
  if (int e = disk.MakeDirs(dir)) {
    return unchanged("cannot create output directory '" + dir + "': " + std::strerror(e));
  }
  if (std::string why = Prepare(disk, dir, files, remove, hold, changes); !why.empty()) {
    return unchanged(why);
  }

  // 2. Commit; 3. roll back on any failure or signal.
  auto roll_back = [&](std::string message) {
    std::string failures = RollBack(disk, changes);
    *error = std::move(message);
    if (failures.empty()) return WriteResult::kUnchanged;
    *error += "; rolling back failed too (" + failures + ")";
    return WriteResult::kMixed;
  };
  if (std::string why = Commit(disk, dir, hold, changes); !why.empty()) return roll_back(why);

  // Committed: a signal from now on is too late to undo anything; the previous versions go.
  hold.IgnoreFromNowOn();
  for (Change& c : changes) {
    if (!c.backup.empty()) disk.Remove(c.backup);
  }
  return WriteResult::kWritten;
}

bool WriteOutputs(const std::string& dir, const std::vector<OutputFile>& files,
                  std::string* error) {
  RealDisk disk;
  return WriteOutputs(disk, dir, files, {}, error) == WriteResult::kWritten;
}

std::vector<std::string> StaleOutputs(Disk& disk, const std::string& dir,
                                      const std::vector<std::string>& stacks,
                                      const std::vector<OutputFile>& files) {
  std::vector<std::string> names, stale;
  if (disk.List(dir, &names) != 0) return stale;
  std::set<std::string> produced;
  for (const OutputFile& f : files) produced.insert(f.name);
  for (const std::string& name : names) {
    if (!name.ends_with(kDefinitionFileSuffix) || produced.count(name)) continue;
    // Stack names hold no '.': the stack is what comes before the first one.
    const size_t dot = name.find('.');
    if (std::find(stacks.begin(), stacks.end(), name.substr(0, dot)) == stacks.end()) continue;
    if (dot + 1 >= name.size() - std::string_view(kDefinitionFileSuffix).size()) {
      continue;  // no workflow
    }
    FileKind kind = FileKind::kMissing;
    if (disk.Kind(dir + "/" + name, &kind) != 0) continue;
    if (kind == FileKind::kRegular || kind == FileKind::kSymlink) stale.push_back(name);
  }
  std::sort(stale.begin(), stale.end());
  return stale;
}

bool ReadSpecFile(Disk& disk, const std::string& path, std::string* text, std::string* error) {
  const int e = disk.ReadFile(path, text);
  if (e == EISDIR) {
    *error = "cannot read '" + path + "': it is a directory, not a spec file";
  } else if (e != 0) {
    *error = "cannot open '" + path + "': " + std::strerror(e);
  }
  return e == 0;
}

}  // namespace orchc
