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
  r.Add("pass");
  r.Add("postgres://u:pass@h/db");
  EXPECT_EQ(r.Scrub("bad url postgres://u:pass@h/db (pass)"), "bad url *** (***)");
}

TEST(Redactor, IgnoresEmptySecretsAndLeavesOtherTextAlone) {
  Redactor r;
  r.Add("");
  EXPECT_EQ(r.Scrub("nothing to hide"), "nothing to hide");
}

TEST(Redactor, MaskContainingTheSecretDoesNotLoop) {
  Redactor r;
  r.Add("****");
  EXPECT_EQ(r.Scrub("a****b"), "a***b");
}

TEST(Redactor, ValuesContainingAShortSecretAreMaskedWhole) {
  Redactor r;
  r.Add("day");
  r.Add("longer-secret");
  EXPECT_EQ(r.Scrub("yesterday"), "***");
  EXPECT_EQ(r.Scrub("no short one, longer-secret"), "no short one, ***");
  EXPECT_EQ(r.Scrub("2024-03-10"), "2024-03-10");
}

}  // namespace
}  // namespace batch
