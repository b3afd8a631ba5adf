#include "redactor.h"

#include <gtest/gtest.h>

namespace batch {
namespace {

TEST(Redactor, MasksEveryOccurrence) {
  Redactor r;
  r.Add("hunter2");
  EXPECT_EQ(r.Scrub("pw hunter2 and hunter2hunter2"), "pw *** and ******");
}

TEST(Redactor, MasksLongerSecretsFirst) {
  Redactor r;
  r.Add("pw");
  r.Add("postgres://u:pw@h/db");
  EXPECT_EQ(r.Scrub("bad url postgres://u:pw@h/db (pw)"), "bad url *** (***)");
}

TEST(Redactor, IgnoresEmptySecretsAndLeavesOtherTextAlone) {
  Redactor r;
  r.Add("");
  EXPECT_EQ(r.Scrub("nothing to hide"), "nothing to hide");
}

TEST(Redactor, MaskContainingTheSecretDoesNotLoop) {
  Redactor r;
  r.Add("*");
  EXPECT_EQ(r.Scrub("a*b"), "a***b");
}

}  // namespace
}  // namespace batch
