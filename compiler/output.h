// Writing output files: all or nothing, atomically, never through a symlink, through a
// file-system seam (Disk) that tests replace to inject faults.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backend.h"

namespace orchc {

// What stands at a path (as lstat sees it: a symlink is not followed).
enum class FileKind { kMissing, kRegular, kSymlink, kDirectory, kOther };

// The file-system operations of orchc's input and output: the seam where tests inject faults (a
// full disk, a failing rename, a signal in the middle of the commit, an exception), like ninja's
// DiskInterface. Every operation returns 0 or an errno value. RealDisk is the only
// implementation in the product; tests wrap it.
class Disk {
 public:
  virtual ~Disk() = default;
  // Creates `dir` and its missing parents; ENOTDIR when something else stands in the way.
  virtual int MakeDirs(const std::string& dir) = 0;
  // What stands at `path`; kMissing (and 0) when nothing does.
  virtual int Kind(const std::string& path, FileKind* kind) = 0;
  // Reads a whole file; EISDIR for a directory.
  virtual int ReadFile(const std::string& path, std::string* text) = 0;
  // Creates `path`, which must not exist (EEXIST otherwise, even for a dangling symlink), with
  // mode 0644 less the umask, writes `content`, closes it, and starts its writeback. On any
  // failure but EEXIST, nothing is left at `path`.
  virtual int CreateNew(const std::string& path, std::string_view content) = 0;
  // Waits until the data and size of the file at `path` are on the disk (fdatasync).
  virtual int SyncFile(const std::string& path) = 0;
  // Gives the file or symlink at `from` the second name `to` (a hard link, not following a
  // symlink); EEXIST when `to` exists.
  virtual int Link(const std::string& from, const std::string& to) = 0;
  virtual int Rename(const std::string& from, const std::string& to) = 0;
  virtual int Remove(const std::string& path) = 0;
  // Waits until the directory's entries (the renames) are on the disk (fsync).
  virtual int SyncDir(const std::string& dir) = 0;
  // The names in `dir`, without "." and "..".
  virtual int List(const std::string& dir, std::vector<std::string>* names) = 0;
};

// The operating system's file system (POSIX calls).
class RealDisk : public Disk {
 public:
  int MakeDirs(const std::string& dir) override;
  int Kind(const std::string& path, FileKind* kind) override;
  int ReadFile(const std::string& path, std::string* text) override;
  int CreateNew(const std::string& path, std::string_view content) override;
  int SyncFile(const std::string& path) override;
  int Link(const std::string& from, const std::string& to) override;
  int Rename(const std::string& from, const std::string& to) override;
  int Remove(const std::string& path) override;
  int SyncDir(const std::string& dir) override;
  int List(const std::string& dir, std::vector<std::string>* names) override;
};

// Reads a whole spec file through `disk`; false with a one-line message (a directory is named as
// such) on any error. Every subcommand reads its specs with it.
bool ReadSpecFile(Disk& disk, const std::string& path, std::string* text, std::string* error);

// What WriteOutputs did. kUnchanged and kMixed come with an error message.
enum class WriteResult {
  kWritten,    // every file is in place, every removal done, and the directory synced
  kUnchanged,  // nothing in the directory changed (temporary files removed)
  kMixed,      // a failure, and restoring the previous files failed too: see the message
};

// Writes `files` into `dir` (created if missing) and removes the files named in `remove`
// (names in `dir`), all or nothing:
//  1. prepare, changing nothing visible: check every name, that nothing but a file or symlink
//     stands at any output path, write each file to a new temporary file `.orchc-<random>.new`
//     (names from getrandom, retried on EEXIST) and sync them all, and give every file about to
//     be replaced or removed a second name `.orchc-<random>.old` (a hard link; a copy where
//     the file system has no hard links);
//  2. commit: rename each new file over its final name, remove the files in `remove`, sync the
//     directory;
//  3. on a failure or a termination signal (INT, TERM, HUP, QUIT) anywhere before the end of
//     step 2, roll back: every replaced or removed file gets its `.old` version back, every
//     new file is removed, every temporary file is removed: kUnchanged.
// Termination signals are blocked for the whole call; one that arrived before the commit ended
// makes it roll back and is delivered when the call returns (the process then dies of it,
// nothing changed). From the end of the commit on, the process ignores those four signals
// where they had their default action (one pending is dropped): the outputs are written and the
// run has succeeded, so a signal while the caller lists them and exits must not end it with
// 128+N. WriteOutputs is meant to be the last thing a process does but report; a program that
// goes on after it restores the dispositions itself. A symlink at an output path is replaced,
// never followed.
WriteResult WriteOutputs(Disk& disk, const std::string& dir, const std::vector<OutputFile>& files,
                         const std::vector<std::string>& remove, std::string* error);

// WriteOutputs on the real file system, with nothing to remove; true when written.
bool WriteOutputs(const std::string& dir, const std::vector<OutputFile>& files, std::string* error);

// The files in `dir` that a compilation of the stacks `stacks` would have written for a
// workflow those stacks no longer have: `<stack>.<name>.asl.json` files (regular files or
// symlinks) that are not among `files`. Sorted; empty when `dir` does not exist.
std::vector<std::string> StaleOutputs(Disk& disk, const std::string& dir,
                                      const std::vector<std::string>& stacks,
                                      const std::vector<OutputFile>& files);

}  // namespace orchc
