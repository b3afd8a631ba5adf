// Service integrations (compiler/integrations/): the table of units against the step kinds, and
// what each unit lowers to.
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "integrations/integration.h"
#include "test_util.h"

namespace orchc {
namespace {

template <size_t... I>
std::vector<bool> ServiceKinds(std::index_sequence<I...>) {
  return {ServiceBody<std::variant_alternative_t<I, StepBody>>...};
}

TEST(IntegrationsTest, EveryServiceKindHasExactlyOneUnit) {
  const std::vector<bool> service =
      ServiceKinds(std::make_index_sequence<std::variant_size_v<StepBody>>{});
  std::set<size_t> kinds;
  for (const Integration* unit : Integrations()) {
    ASSERT_NE(unit, nullptr);
    if (unit->step_kind() == kNoStepKind) continue;
    ASSERT_LT(unit->step_kind(), service.size()) << unit->name();
    EXPECT_TRUE(service[unit->step_kind()])
        << unit->name() << " implements " << kStepKinds[unit->step_kind()].key
        << ", whose body does not derive from ServiceStep";
    EXPECT_TRUE(kinds.insert(unit->step_kind()).second)
        << "two units for " << kStepKinds[unit->step_kind()].key;
  }
  for (size_t i = 0; i < service.size(); ++i) {
    if (!service[i]) continue;
    EXPECT_TRUE(kinds.count(i)) << "no unit in Integrations() for " << kStepKinds[i].key;
    EXPECT_TRUE(kStepKinds[i].can_fail) << kStepKinds[i].key << ": a service call can fail";
  }
}

}  // namespace
}  // namespace orchc
