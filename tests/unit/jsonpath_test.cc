// The JSONPath validator (compiler/jsonpath.h) against the grammar Step Functions accepts.
#include "jsonpath.h"

#include <gtest/gtest.h>

namespace orchc {
namespace {

bool Ok(const char* p, PathKind k, ContextObject context = ContextObject::kAllowed) {
  return JsonPathError(p, k, context).empty();
}

TEST(JsonPath, ReferencePathsSelectOneNode) {
  for (const char* p : {"$", "$.a", "$.taskResult.Containers[0].ExitCode", "$['a b']",
                        "$.a['x.y'][12]", "$.días", "$.a-b_c"}) {
    EXPECT_TRUE(Ok(p, PathKind::kReference))
        << p << ": " << JsonPathError(p, PathKind::kReference, ContextObject::kAllowed);
  }
  for (const char* p : {"",       "a",       "$a",       "$.",       "$..a",
                        "$.a.*",  "$.a[*]",  "$.a[0,1]", "$.a[1:2]", "$.a[?(@.x > 1)]",
                        "$.a b",  "$.a,$.b", "$.a[",     "$.a['x",   "$.a['']",
                        "$.a[x]", "$.a]",    "$.a(b)",   "$.a\x01",  "$.a'"}) {
    EXPECT_FALSE(Ok(p, PathKind::kReference)) << p;
  }
}

TEST(JsonPath, ContextObjectOnlyWhereAllowed) {
  EXPECT_TRUE(Ok("$$.Execution.Name", PathKind::kReference, ContextObject::kAllowed));
  EXPECT_TRUE(Ok("$$", PathKind::kReference, ContextObject::kAllowed));
  EXPECT_FALSE(Ok("$$.Execution.Name", PathKind::kReference, ContextObject::kRefused));
  EXPECT_FALSE(Ok("$$Execution", PathKind::kReference, ContextObject::kAllowed));
  EXPECT_EQ(JsonPathError("$$.Execution", PathKind::kReference, ContextObject::kRefused),
            "the Context Object ($$) cannot be used here");
}

TEST(JsonPath, PathsMaySelectMany) {
  for (const char* p : {"$.a[*].b", "$..id", "$.a.*", "$.a[0,2]", "$.a[1:3]", "$.a[-1:]", "$.a[:2]",
                        "$.items[?(@.size > 10)].id", "$.a[?(@.n == ')')]"}) {
    EXPECT_TRUE(Ok(p, PathKind::kPath))
        << p << ": " << JsonPathError(p, PathKind::kPath, ContextObject::kAllowed);
  }
  for (const char* p :
       {"$.a[?(@.x > 1]", "$.a[?(@.x == 'y)]", "$.a[?@.x]", "$.a[*", "$.a[x]", "$ .a"}) {
    EXPECT_FALSE(Ok(p, PathKind::kPath)) << p;
  }
}

// A {path: ...} command argument is pasted into States.Array(...): nothing in it may end the
// argument or start another.
TEST(JsonPath, IntrinsicArgumentsCannotAddArguments) {
  for (const char* p : {"$.day", "$.days[0]", "$$.Execution.Name", "$.a-b.c_d"}) {
    EXPECT_TRUE(Ok(p, PathKind::kIntrinsicArgument)) << p;
  }
  for (const char* p : {"$.day, '--x'", "$.day,'--x'", "$.day)", "$.day ", "$['day']", "$.a'b",
                        "$.a\\b", "$.a{b}", "$.a[*]", "$.é"}) {
    EXPECT_FALSE(Ok(p, PathKind::kIntrinsicArgument)) << p;
  }
  EXPECT_EQ(JsonPathError("$.day, '--x'", PathKind::kIntrinsicArgument, ContextObject::kAllowed),
            "expected '.' or '[' at character 6 (one path only; no spaces or commas after it)");
}

}  // namespace
}  // namespace orchc
