#include "output.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_util.h"

namespace orchc {
namespace {

namespace fs = std::filesystem;

class OutputTest : public testing::TempDirTest {
 protected:
  static std::string Read(const fs::path& p) { return testing::ReadFile(p); }
};

TEST_F(OutputTest, WritesEveryFileAndNoTemporaries) {
  std::string error;
  ASSERT_TRUE(WriteOutputs((dir_ / "a" / "b").string(), {{"x.json", "1\n"}, {"y.json", "2\n"}}, &error))
      << error;
  EXPECT_EQ(Read(dir_ / "a" / "b" / "x.json"), "1\n");
  int count = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "a" / "b")) {
    (void)e;
    ++count;
  }
  EXPECT_EQ(count, 2);
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

}  // namespace
}  // namespace orchc
