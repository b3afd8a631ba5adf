// The kinds of step: the facts about each that are data, and the helpers every pass uses to
// dispatch on a step's body. What a kind *does* (reading, checking, lowering it) is written as
// one std::visit per pass, so adding an alternative to StepBody breaks the build until every pass
// handles it; what a kind *is* lives in kStepKinds only.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "spec.h"

namespace orchc {

// std::visit(Overloaded{[](const A&) {...}, [](const B&) {...}}, v): one lambda per alternative.
template <typename... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <typename... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// The facts about one kind of step, in StepBody's order.
struct StepKindInfo {
  const char* key;         // the YAML key that selects the kind (and its name in messages)
  bool can_fail;           // may fail: takes retry and catch; a top-level one's failure notifies
  bool ends;               // never goes on to another step: takes no next and no end
  bool takes_timeout;      // takes timeout (TimeoutSeconds)
  bool takes_result_path;  // takes resultPath (ASL has ResultPath on Task, Parallel, Map, Pass)
  bool has_result;         // has a result that resultPath writes into its input
  bool list_result;        // its result is a list (one entry per branch or item)
};

inline constexpr std::array<StepKindInfo, std::variant_size_v<StepBody>> kStepKinds = {{
    // key       fail   ends   timeout resultPath result list
    {"task", true, false, true, true, true, false},
    {"publish", true, false, true, true, true, false},
    {"workflow", true, false, true, true, true, false},
    {"parallel", true, false, false, true, true, true},
    {"choice", false, true, false, false, false, false},
    {"map", true, false, false, true, true, true},
    {"wait", false, false, false, false, false, false},
    {"pass", false, false, false, true, true, false},
    {"succeed", false, true, false, false, false, false},
    {"fail", false, true, false, false, false, false},
}};
static_assert(std::variant_size_v<StepBody> == 10,
              "a new kind of step needs its row in kStepKinds");

inline const StepKindInfo& KindOf(const StepSpec& s) { return kStepKinds[s.body.index()]; }

// The index of the alternative B of StepBody (its row of kStepKinds).
template <typename B, size_t I = 0>
constexpr size_t KindIndex() {
  if constexpr (std::is_same_v<std::variant_alternative_t<I, StepBody>, B>) {
    return I;
  } else {
    return KindIndex<B, I + 1>();
  }
}

// A step body of a service integration: passes hand it to its unit (IntegrationFor,
// integrations/integration.h) in one constrained lambda, [&]<ServiceBody B>(const B&) {...}.
template <typename B>
concept ServiceBody = std::is_base_of_v<ServiceStep, B>;

// The YAML keys of the kinds that have `fact`, in table order: "task, publish, parallel and map"
// (`last` joins the last two: " and " or ", ").
std::string KindList(bool StepKindInfo::*fact, const char* last = " and ");
// Every kind's key: "task, publish, ..., fail".
std::string AllKindsList();

// A body of the kind at `index` of StepBody, default-constructed.
StepBody StepBodyAt(size_t index);

// The lists of steps nested in `s`: a parallel step's branches, a map's steps; none otherwise.
std::vector<const StepList*> NestedLists(const StepSpec& s);

}  // namespace orchc
