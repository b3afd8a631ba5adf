// WriteOutputs, through the Disk seam: all or nothing under every failure a file system can
// report and under termination signals, with unpredictable temporary names.
#include "output.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "test_util.h"

namespace orchc {
namespace {

namespace fs = std::filesystem;

// The real file system, with a hook before each operation: a test makes the Nth call of an
// operation fail, raise a signal, or throw.
class FaultyDisk : public RealDisk {
 public:
  // Called with the operation's name and its 1-based count; a non-zero result is returned
  // instead of doing the operation.
  std::function<int(const std::string& op, int n)> fault = [](const std::string&, int) {
    return 0;
  };
  std::vector<std::string> created;  // every path CreateNew was asked for

  int CreateNew(const std::string& path, std::string_view content) override {
    created.push_back(path);
    if (int e = Hook("create")) return e;
    return RealDisk::CreateNew(path, content);
  }
  int SyncFile(const std::string& path) override {
    if (int e = Hook("syncfile")) return e;
    return RealDisk::SyncFile(path);
  }
  int Link(const std::string& from, const std::string& to) override {
    if (int e = Hook("link")) return e;
    return RealDisk::Link(from, to);
  }
  int Rename(const std::string& from, const std::string& to) override {
    if (int e = Hook("rename")) return e;
    return RealDisk::Rename(from, to);
  }
  int Remove(const std::string& path) override {
    if (int e = Hook("remove")) return e;
    return RealDisk::Remove(path);
  }
  int SyncDir(const std::string& dir) override {
    if (int e = Hook("syncdir")) return e;
    return RealDisk::SyncDir(dir);
  }

 private:
  int Hook(const std::string& op) { return fault(op, ++counts_[op]); }
  std::map<std::string, int> counts_;
};

const std::vector<OutputFile> kNew = {{"s.template.json", "new template\n"},
                                      {"s.w.asl.json", "new asl\n"}};

class OutputTest : public testing::TempDirTest {
 protected:
  static std::string Read(const fs::path& p) { return testing::ReadFile(p); }
  // The directory's names, sorted.
  std::set<std::string> Names(const fs::path& dir) const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
    return names;
  }
  // dir_/out with the previous outputs (and a stale ASL file of a removed workflow).
  fs::path Previous() {
    fs::path out = dir_ / "out";
    fs::create_directories(out);
    std::ofstream(out / "s.template.json") << "old template\n";
    std::ofstream(out / "s.w.asl.json") << "old asl\n";
    std::ofstream(out / "s.gone.asl.json") << "old gone\n";
    return out;
  }
  // The previous outputs, exactly, and nothing else.
  void ExpectPrevious(const fs::path& out) {
    EXPECT_EQ(Names(out),
              (std::set<std::string>{"s.gone.asl.json", "s.template.json", "s.w.asl.json"}));
    EXPECT_EQ(Read(out / "s.template.json"), "old template\n");
    EXPECT_EQ(Read(out / "s.w.asl.json"), "old asl\n");
    EXPECT_EQ(Read(out / "s.gone.asl.json"), "old gone\n");
  }
};

TEST_F(OutputTest, WritesEveryFileAndNoTemporaries) {
  std::string error;
  ASSERT_TRUE(
      WriteOutputs((dir_ / "a" / "b").string(), {{"x.json", "1\n"}, {"y.json", "2\n"}}, &error))
      << error;
  EXPECT_EQ(Read(dir_ / "a" / "b" / "x.json"), "1\n");
  EXPECT_EQ(Names(dir_ / "a" / "b"), (std::set<std::string>{"x.json", "y.json"}));
}

TEST_F(OutputTest, ReplacesASymlinkInsteadOfFollowingIt) {
  fs::path victim = dir_ / "victim.txt";
  std::ofstream(victim) << "keep";
  fs::create_directories(dir_ / "out");
  fs::create_symlink(victim, dir_ / "out" / "t.json");
  std::string error;
  ASSERT_TRUE(WriteOutputs((dir_ / "out").string(), {{"t.json", "new\n"}}, &error)) << error;
  EXPECT_EQ(Read(victim), "keep");
  EXPECT_FALSE(fs::is_symlink(dir_ / "out" / "t.json"));
  EXPECT_EQ(Read(dir_ / "out" / "t.json"), "new\n");
}

TEST_F(OutputTest, RefusesNamesThatLeaveTheDirectory) {
  std::string error;
  EXPECT_FALSE(WriteOutputs(dir_.string(), {{"ok.json", "1"}, {"../evil.json", "2"}}, &error));
  EXPECT_FALSE(fs::exists(dir_ / "ok.json"));
  EXPECT_FALSE(fs::exists(dir_.parent_path() / "evil.json"));
  EXPECT_NE(error.find("refusing"), std::string::npos);
}

TEST_F(OutputTest, UnwritableDirectoryLeavesNothing) {
  if (::geteuid() == 0) {
    // root ignores permission bits; a path under a regular file fails for everyone.
    std::ofstream(dir_ / "file") << "x";
    std::string error;
    EXPECT_FALSE(WriteOutputs((dir_ / "file" / "sub").string(), {{"a.json", "1"}}, &error));
    EXPECT_NE(error.find("cannot create output directory"), std::string::npos) << error;
    return;
  }
  fs::create_directories(dir_ / "ro");
  fs::permissions(dir_ / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  std::string error;
  EXPECT_FALSE(WriteOutputs((dir_ / "ro").string(), {{"a.json", "1"}}, &error));
  fs::permissions(dir_ / "ro", fs::perms::owner_all);
  EXPECT_FALSE(fs::exists(dir_ / "ro" / "a.json"));
}

// A directory at the second output path: found before anything is renamed.
TEST_F(OutputTest, ADirectoryAtAnOutputPathChangesNothing) {
  fs::path out = Previous();
  fs::remove(out / "s.w.asl.json");
  fs::create_directory(out / "s.w.asl.json");
  std::string error;
  EXPECT_FALSE(WriteOutputs(out.string(), kNew, &error));
  EXPECT_NE(error.find("s.w.asl.json': a directory stands there"), std::string::npos) << error;
  EXPECT_EQ(Read(out / "s.template.json"), "old template\n");
  EXPECT_TRUE(fs::is_directory(out / "s.w.asl.json"));
  EXPECT_EQ(Names(out).size(), 3u);
}

// Temporary names are random: files left by a killed run (under the names of any scheme that
// derives them from the PID) never block a later one.
TEST_F(OutputTest, StaleTemporaryFilesDoNotBlock) {
  fs::path out = Previous();
  for (int n = 0; n < 4; ++n) {
    std::ofstream(out / (".orchc-" + std::to_string(::getpid()) + "-" + std::to_string(n) + ".tmp"))
        << "stale";
  }
  std::string error;
  ASSERT_TRUE(WriteOutputs(out.string(), kNew, &error)) << error;
  EXPECT_EQ(Read(out / "s.template.json"), "new template\n");
}

TEST_F(OutputTest, TemporaryNamesAreUnpredictableAndRetriedOnEexist) {
  fs::path out = Previous();
  FaultyDisk disk;
  disk.fault = [](const std::string& op, int n) { return op == "create" && n <= 3 ? EEXIST : 0; };
  std::string error;
  ASSERT_EQ(WriteOutputs(disk, out.string(), kNew, {}, &error), WriteResult::kWritten) << error;
  std::set<std::string> distinct(disk.created.begin(), disk.created.end());
  EXPECT_EQ(distinct.size(), disk.created.size());
  for (const std::string& path : disk.created) {
    const std::string name = fs::path(path).filename().string();
    EXPECT_TRUE(name.starts_with(".orchc-") && name.ends_with(".new")) << name;
    EXPECT_EQ(name.size(), std::string(".orchc-").size() + 12 + 4) << name;
    EXPECT_EQ(name.find(std::to_string(::getpid())), std::string::npos) << name;
  }
  EXPECT_EQ(Read(out / "s.w.asl.json"), "new asl\n");
}

// Every operation of the prepare and commit phases, failing at every call: the directory is
// exactly as it was, with no temporary file, and the result says so.
TEST_F(OutputTest, AnyFailureLeavesThePreviousOutputs) {
  for (const char* op : {"create", "syncfile", "link", "rename", "remove", "syncdir"}) {
    for (int at = 1; at <= 3; ++at) {
      SCOPED_TRACE(std::string(op) + " #" + std::to_string(at));
      fs::remove_all(dir_ / "out");
      fs::path out = Previous();
      FaultyDisk disk;
      // Only the first attempt fails: roll-back operations succeed.
      bool failed = false;
      disk.fault = [&](const std::string& o, int n) {
        if (o != op || n != at || failed) return 0;
        failed = true;
        return ENOSPC;
      };
      std::string error;
      WriteResult r = WriteOutputs(disk, out.string(), kNew, {"s.gone.asl.json"}, &error);
      if (!failed) {  // fewer calls than `at`
        EXPECT_EQ(r, WriteResult::kWritten) << error;
        continue;
      }
      if (std::string(op) == "remove" && r == WriteResult::kWritten)
        continue;  // a backup's removal
      EXPECT_EQ(r, WriteResult::kUnchanged);
      EXPECT_NE(error.find("No space left on device"), std::string::npos) << error;
      ExpectPrevious(out);
    }
  }
}

TEST_F(OutputTest, ARollBackThatFailsSaysSo) {
  fs::path out = Previous();
  FaultyDisk disk;
  // The second rename (the ASL file) fails, then so does the restore of the template.
  disk.fault = [](const std::string& op, int n) { return op == "rename" && n >= 2 ? EIO : 0; };
  std::string error;
  EXPECT_EQ(WriteOutputs(disk, out.string(), kNew, {}, &error), WriteResult::kMixed);
  EXPECT_NE(error.find("rolling back failed too (cannot restore"), std::string::npos) << error;
  // The previous template is still there, under its .old name.
  bool kept = false;
  for (const std::string& name : Names(out)) {
    if (name.ends_with(".old")) kept = Read(out / name) == "old template\n";
  }
  EXPECT_TRUE(kept);
}

TEST_F(OutputTest, WithoutHardLinksThePreviousFilesAreCopied) {
  fs::path out = Previous();
  FaultyDisk disk;
  disk.fault = [](const std::string& op, int n) {
    if (op == "link") return EPERM;
    return op == "rename" && n == 2 ? EIO : 0;
  };
  std::string error;
  EXPECT_EQ(WriteOutputs(disk, out.string(), kNew, {}, &error), WriteResult::kUnchanged) << error;
  ExpectPrevious(out);
}

TEST_F(OutputTest, PruneRemovesInTheSameCommit) {
  fs::path out = Previous();
  RealDisk disk;
  EXPECT_EQ(StaleOutputs(disk, out.string(), {"s"}, kNew),
            std::vector<std::string>{"s.gone.asl.json"});
  EXPECT_TRUE(StaleOutputs(disk, out.string(), {"other"}, kNew).empty());
  EXPECT_TRUE(StaleOutputs(disk, (dir_ / "none").string(), {"s"}, kNew).empty());
  std::string error;
  ASSERT_EQ(WriteOutputs(disk, out.string(), kNew, {"s.gone.asl.json"}, &error),
            WriteResult::kWritten)
      << error;
  EXPECT_EQ(Names(out), (std::set<std::string>{"s.template.json", "s.w.asl.json"}));
}

// The default action for the termination signals, as in a process that has not written
// anything yet (a successful WriteOutputs of an earlier test makes this test process ignore
// them, and a death test's child inherits that).
void DefaultTerminationSignals() {
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::signal(s, SIG_DFL);
}

// A signal during the commit (here: raised by the second rename) rolls everything back, and
// the process then dies of it: never a mixed set reported as a failure.
TEST_F(OutputTest, ASignalDuringTheCommitRollsBack) {
  for (const char* op : {"rename", "syncdir"}) {
    SCOPED_TRACE(op);
    fs::remove_all(dir_ / "out");
    fs::path out = Previous();
    EXPECT_EXIT(
        {
          DefaultTerminationSignals();
          FaultyDisk disk;
          disk.fault = [&](const std::string& o, int n) {
            if (o == op && n == (o == "rename" ? 2 : 1)) ::raise(SIGTERM);
            return 0;
          };
          std::string error;
          WriteOutputs(disk, out.string(), kNew, {"s.gone.asl.json"}, &error);
          ::_exit(0);  // not reached: the signal is delivered when WriteOutputs returns
        },
        ::testing::KilledBySignal(SIGTERM), "");
    ExpectPrevious(out);
  }
}

// A signal after the commit point (during the removal of the previous versions) is too late to
// undo anything: the outputs are written and the run succeeds.
TEST_F(OutputTest, ASignalAfterTheCommitIsDiscarded) {
  fs::path out = Previous();
  EXPECT_EXIT(
      {
        DefaultTerminationSignals();
        FaultyDisk disk;
        disk.fault = [](const std::string& o, int) {
          if (o == "remove") ::raise(SIGTERM);
          return 0;
        };
        std::string error;
        bool ok = WriteOutputs(disk, out.string(), kNew, {}, &error) == WriteResult::kWritten;
        ::_exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  EXPECT_EQ(Read(out / "s.template.json"), "new template\n");
  EXPECT_EQ(Read(out / "s.w.asl.json"), "new asl\n");
  EXPECT_EQ(Names(out).size(), 3u);  // no .old left behind
}

// A signal after WriteOutputs returned (while orchc lists what it wrote, before it exits)
// would kill it with 143 although everything is new: from the commit on, the termination
// signals are ignored.
TEST_F(OutputTest, ASignalAfterTheWriteReturnedIsIgnored) {
  fs::path out = Previous();
  EXPECT_EXIT(
      {
        DefaultTerminationSignals();
        FaultyDisk disk;
        std::string error;
        bool ok = WriteOutputs(disk, out.string(), kNew, {}, &error) == WriteResult::kWritten;
        ::raise(SIGTERM);
        ::raise(SIGINT);
        ::_exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  EXPECT_EQ(Read(out / "s.template.json"), "new template\n");
}

}  // namespace
}  // namespace orchc
