// orchc graph: each workflow's state machine as a picture, in Graphviz DOT or as a Mermaid
// flowchart. The picture is drawn from the ASL text the ASL back end emits (never from the IR),
// so it shows exactly the states and transitions Step Functions receives.
#pragma once

#include <string>
#include <vector>

namespace orchc {

enum class GraphFormat { kDot, kMermaid };

// One workflow's compiled definition: `asl` is the content of `<stack>.<workflow>.asl.json`.
struct AslWorkflow {
  std::string name;
  std::string asl;
};

// Draws `workflows` (in this order, one cluster/subgraph each) as one graph named `title`.
//
// What the picture holds (docs/cli.md, "graph"):
// - one node per ASL state, its label's first line the exact state name (node IDs are
//   generated: w<i>_s<j>), then the Task resource or the state type, then one line per
//   retrier ("retry <errors>: ...");
// - one edge per transition: Next (no label), each Choice rule (its condition), Default
//   ("Default"), each Catch (its error names, dashed);
// - per scope (the workflow, each Parallel branch, each Map item processor) a start marker with
//   an edge to StartAt and an end marker with an edge from every state that ends the scope
//   (End: true, Succeed, Fail); markers are the only circle-shaped nodes;
// - Parallel branches and Map item processors as clusters (DOT) or subgraphs (Mermaid), each
//   entered by a dotted edge from its Parallel/Map state to the scope's start marker.
// The output depends on the input text only. Returns false, with `error` naming the workflow
// and the fault, when an ASL text is not a state machine (not JSON, a transition to a state
// that is not in its scope, ...).
bool RenderGraph(const std::string& title, const std::vector<AslWorkflow>& workflows,
                 GraphFormat format, std::string* out, std::string* error);

}  // namespace orchc
