#include "step_kinds.h"

namespace orchc {

std::string KindList(bool StepKindInfo::*fact, const char* last) {
  std::vector<const char*> keys;
  for (const StepKindInfo& k : kStepKinds) {
    if (k.*fact) keys.push_back(k.key);
  }
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out += i + 1 == keys.size() ? last : ", ";
    out += keys[i];
  }
  return out;
}

std::string AllKindsList() {
  std::string out;
  for (const StepKindInfo& k : kStepKinds) out += (out.empty() ? "" : ", ") + std::string(k.key);
  return out;
}

namespace {

template <size_t... I>
StepBody BodyAt(size_t index, std::index_sequence<I...>) {
  static constexpr StepBody (*kMake[])() = {+[]() { return StepBody(std::in_place_index<I>); }...};
  return kMake[index]();
}

}  // namespace

StepBody StepBodyAt(size_t index) {
  return BodyAt(index, std::make_index_sequence<std::variant_size_v<StepBody>>{});
}

std::vector<const StepList*> NestedLists(const StepSpec& s) {
  std::vector<const StepList*> out;
  std::visit(
      Overloaded{[&](const ParallelSpec& p) {
                   for (const StepList& branch : p.branches) out.push_back(&branch);
                 },
                 [&](const MapSpec& m) { out.push_back(&m.steps); }, []<ServiceBody B>(const B&) {},
                 [](const ChoiceSpec&) {}, [](const WaitSpec&) {}, [](const PassSpec&) {},
                 [](const SucceedSpec&) {}, [](const FailSpec&) {}},
      s.body);
  return out;
}

}  // namespace orchc
