// The semantic checks: the stage between BuildSpec (spec.h) and Lower (lower.h).
#pragma once

namespace orchc {

class DiagSink;
struct Spec;

// Everything AWS would reject at deploy or run time that the desugared spec alone shows:
// schedule grammar, AWS names and limits, retention, retry sanity, import references, uniqueness
// of names, each workflow's steps and their graph (every step reachable, every loop leavable).
// Reports located errors (and warnings); returns false when any error was reported.
bool CheckSpec(const Spec& spec, DiagSink& sink);

}  // namespace orchc
