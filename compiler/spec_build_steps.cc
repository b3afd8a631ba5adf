// Desugaring of steps: the step each kind's key stands for (the service integrations read their
// own bodies), what every step may have (retry, catch, timeout, resultPath, next, end), and the
// one-task step that `task:` and `orchestration:` stand for with its default retry.
#include <string>
#include <variant>
#include <vector>

#include "spec_build_internal.h"
#include "step_kinds.h"

namespace orchc::spec_build_detail {

// The step that task: and orchestration: stand for, with the seed's retry.
StepSpec Builder::SingleTaskStep(SourceLoc loc, const Vars& wv) {
  StepSpec step;
  step.loc = loc;
  step.name = Str(nullptr, "RunBatchTask", wv, Expansion::kLiteral);
  step.name.loc = loc;
  EcsTaskSpec task;
  task.container = Str(nullptr, "backend", wv, Expansion::kLiteral);
  task.container.loc = loc;
  step.body = std::move(task);
  step.retry = {DefaultTaskRetry(loc, wv)};
  step.result_path = ResultPath::At("$.taskResult");
  return step;
}

// The retry every ECS task gets unless it says `retry:` (docs/spec.md, "Task outcomes"): the
// seed's 3 retries 30 s apart, doubling. Its `on` is not written: with exitCodes it becomes the
// task's retryable outcomes.
RetrySpec Builder::DefaultTaskRetry(SourceLoc loc, const Vars& wv) {
  RetrySpec r;
  r.loc = r.interval_loc = r.max_attempts_loc = r.backoff_loc = loc;
  r.errors.push_back(Str(nullptr, "States.TaskFailed", wv, Expansion::kLiteral));
  r.errors[0].loc = loc;
  return r;
}

std::vector<StepSpec> Builder::ReadSteps(const YNode* list, const Vars& wv) {
  std::vector<StepSpec> steps;
  for (const YNode* n : list->items) steps.push_back(ReadStep(n, wv));
  return steps;
}

StepSpec Builder::ReadStep(const YNode* n, const Vars& wv) {
  StepSpec step;
  step.loc = n->loc;
  step.name = Str(n->Get("name"), "", wv, Expansion::kLiteral);
  std::vector<const YNode::Entry*> kinds;
  for (size_t i = 0; i < kStepKinds.size(); ++i) {
    if (const YNode::Entry* e = n->Find(kStepKinds[i].key)) {
      kinds.push_back(e);
      step.body = StepBodyAt(i);
    }
  }
  if (kinds.size() != 1) {
    std::string msg = kinds.empty() ? "step '" + step.name.value +
                                          "' says nothing to do; give it one of " + AllKindsList()
                                    : "step '" + step.name.value + "' has both " + kinds[0]->key +
                                          " and " + kinds[1]->key + "; a step is one of them";
    sink_.Error(kinds.size() > 1 ? kinds[1]->key_loc : n->loc, msg);
    failed_ = true;
    return step;
  }
  const YNode* body = kinds[0]->value;
  if (const YNode* c = n->Get("comment")) step.comment = c->value;
  std::visit(Overloaded{[&]<ServiceBody B>(B&) {
                          Reader reader(*this, wv);
                          IntegrationFor<B>().Read(body, step, reader);
                        },
                        [&](ParallelSpec& p) {
                          for (const YNode* branch : body->items) {
                            p.branches.push_back(ReadSteps(branch, wv));
                          }
                        },
                        [&](MapSpec& m) { ReadMap(body, m, wv); },
                        [&](ChoiceSpec& c) { ReadChoice(body, c, wv); },
                        [&](WaitSpec& w) { ReadWait(body, w); },
                        [&](PassSpec& p) {
                          if (body->IsMap()) p.result = body->Get("result");
                        },
                        [](SucceedSpec&) {},
                        [&](FailSpec& f) {
                          // Written empty, each is left out of the state, as when not written.
                          const YNode* e = body->Get("error");
                          if (e && !e->value.empty()) f.error = e->value;
                          const YNode* c = body->Get("cause");
                          if (c && !c->value.empty()) f.cause = c->value;
                        }},
             step.body);
  ReadCommon(n, step, wv);
  if (std::holds_alternative<EcsTaskSpec>(step.body) && !step.retry) {
    step.retry = {DefaultTaskRetry(step.loc, wv)};
  }
  return step;
}

void Builder::ReadMap(const YNode* body, MapSpec& m, const Vars& wv) {
  m.steps = ReadSteps(body->Get("steps"), wv);
  if (const YNode* p = body->Get("itemsPath")) m.items_path = p->value;
  m.items = body->Get("items");
  if (const YNode* mc = body->Get("maxConcurrency")) {
    AsInt(*mc, &m.max_concurrency);
    m.max_concurrency_loc = mc->loc;
  }
}

void Builder::ReadChoice(const YNode* body, ChoiceSpec& c, const Vars& wv) {
  for (const YNode* r : body->Get("rules")->items) {
    ChoiceRuleSpec rule;
    rule.loc = r->loc;
    rule.variable = r->Get("variable")->value;
    rule.next = Str(r->Get("next"), "", wv, Expansion::kLiteral);
    for (const YNode::Entry& e : r->entries) {
      if (e.key == "variable" || e.key == "next") continue;
      if (rule.value) {
        sink_.Error(e.key_loc,
                    "a choice rule compares once; put '" + e.key + "' in a rule of its own",
                    static_cast<uint32_t>(e.key.size()));
        failed_ = true;
      }
      rule.op = e.key;
      rule.value = e.value;
    }
    if (!rule.value) {
      sink_.Error(r->loc, "choice rule on " + rule.variable +
                              " has no comparison "
                              "(stringEquals, numericEquals, booleanEquals, isPresent, ...)");
      failed_ = true;
    }
    c.rules.push_back(rule);
  }
  c.default_step = OptStr(body->Get("default"), wv, Expansion::kLiteral);
}

void Builder::ReadWait(const YNode* body, WaitSpec& w) {
  w.loc = body->loc;
  if (!body->IsMap()) {
    w.what = WaitSeconds{Duration(body)};
    return;
  }
  if (const YNode* v = body->Get("until")) w.what = WaitUntil{v->value};
  if (const YNode* v = body->Get("timestampPath")) w.what = WaitTimestampPath{v->value};
  if (const YNode* v = body->Get("secondsPath")) w.what = WaitSecondsPath{v->value};
  if (body->entries.size() != 1) {
    sink_.Error(body->loc, "wait takes one of until, timestampPath, secondsPath");
    failed_ = true;
  }
}

// What every kind of step may have: retry, catch, timeout, resultPath, next, end.
void Builder::ReadCommon(const YNode* n, StepSpec& step, const Vars& wv) {
  if (const YNode* r = n->Get("retry")) step.retry = ReadRetries(r, wv);
  if (const YNode* c = n->Get("catch")) {
    for (const YNode* item : c->items) {
      CatchSpec cs;
      cs.loc = item->loc;
      if (const YNode* on = item->Get("on")) {
        for (const YNode* e : on->items) cs.errors.push_back(Str(e, "", wv, Expansion::kLiteral));
      } else {
        cs.errors.push_back(Str(nullptr, "States.ALL", wv, Expansion::kLiteral));
        cs.errors.back().loc = item->loc;
      }
      cs.next = Str(item->Get("next"), "", wv, Expansion::kLiteral);
      if (const YNode* rp = item->Get("resultPath")) cs.result_path = ReadResultPath(*rp);
      step.catches.push_back(cs);
    }
  }
  if (const YNode* t = n->Get("timeout")) {
    step.timeout_s = {{Duration(t), t->loc}};
  }
  if (const YNode::Entry* rp = n->Find("resultPath")) step.result_path = ReadResultPath(*rp->value);
  step.next = OptStr(n->Get("next"), wv, Expansion::kLiteral);
  if (const YNode* end = n->Get("end")) AsBool(*end, &step.end);
}

std::vector<RetrySpec> Builder::ReadRetries(const YNode* r, const Vars& wv) {
  std::vector<RetrySpec> out;
  if (r->IsMap()) {
    out.push_back(ReadRetry(r, wv));
  } else {
    for (const YNode* item : r->items) out.push_back(ReadRetry(item, wv));
  }
  return out;
}

// `resultPath:` null (discard the result) or a path (checked by CheckSpec).
ResultPath Builder::ReadResultPath(const YNode& n) {
  return Resolve(n) == ScalarType::kNull ? ResultPath::Discard() : ResultPath::At(n.value);
}

RetrySpec Builder::ReadRetry(const YNode* r, const Vars& wv) {
  RetrySpec spec;
  spec.loc = r->loc;
  spec.interval_loc = spec.max_attempts_loc = spec.backoff_loc = r->loc;
  if (const YNode* on = r->Get("on")) {
    for (const YNode* e : on->items) spec.errors.push_back(Str(e, "", wv, Expansion::kLiteral));
  } else {
    spec.errors.push_back(Str(nullptr, "States.TaskFailed", wv, Expansion::kLiteral));
    spec.errors.back().loc = r->loc;
  }
  if (const YNode* v = r->Get("interval")) {
    spec.interval_s = Duration(v);
    spec.interval_loc = v->loc;
  }
  if (const YNode* v = r->Get("maxAttempts")) {
    if (!AsInt(*v, &spec.max_attempts)) spec.max_attempts = -1;
    spec.max_attempts_loc = v->loc;
  }
  if (const YNode* v = r->Get("backoffRate")) {
    AsNumber(*v, &spec.backoff_rate);
    spec.backoff_loc = v->loc;
  }
  if (const YNode* v = r->Get("maxDelay")) {
    spec.max_delay_s = {{Duration(v), v->loc}};
  }
  if (const YNode* v = r->Get("jitter")) spec.jitter = v->value;
  return spec;
}

}  // namespace orchc::spec_build_detail
