// orchc graph: reads the emitted ASL text into a small picture model (scopes of nodes, and
// edges), then writes it as Graphviz DOT or a Mermaid flowchart. graph.h says what the
// picture holds; docs/cli.md shows it.
#include "graph.h"

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace orchc {

namespace {

using AslJson = nlohmann::ordered_json;  // keeps the states in the order the ASL file has

enum class EdgeKind { kNext, kChoice, kDefault, kCatch, kStart, kEnd, kEnter };

// One ASL state. `lines` is the label: the exact state name first, then details.
struct Node {
  std::string id;
  std::string type;
  std::vector<std::string> lines;
};

// A state machine: the workflow's, a Parallel branch's or a Map item processor's. Its start
// marker is `<id>_start`, its end marker `<id>_end` (drawn only when some state ends the scope).
struct Scope {
  std::string id;
  std::string label;
  std::vector<Node> nodes;
  std::vector<Scope> children;  // branches and item processors of this scope's states
  bool has_end = false;
};

struct Edge {
  std::string from, to, label;
  EdgeKind kind;
};

const AslJson* Member(const AslJson& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string Str(const AslJson* j) { return j && j->is_string() ? j->get<std::string>() : ""; }

std::string Join(const AslJson* list, const char* sep) {
  std::string s;
  if (!list || !list->is_array()) return s;
  for (const AslJson& e : *list) {
    if (!s.empty()) s += sep;
    s += e.is_string() ? e.get<std::string>() : e.dump();
  }
  return s;
}

// A Choice rule's condition as one line: `Variable Operator value` for a comparison,
// AND/OR/NOT of parenthesised parts for the Boolean operators, the expression of a JSONata
// `Condition`.
// Recursive, as are the scope writers below: the ASL is orchc's own output for a spec whose
// nesting is bounded by the loader's max_depth (64 levels of maps and lists, aliases included:
// yaml_tree.h).
std::string Condition(const AslJson& rule) {
  if (const AslJson* c = Member(rule, "Condition")) return Str(c);
  for (const char* op : {"And", "Or"}) {
    if (const AslJson* parts = Member(rule, op); parts && parts->is_array()) {
      std::string s;
      for (const AslJson& p : *parts) {
        if (!s.empty()) s += op[0] == 'A' ? " AND " : " OR ";
        s += "(" + Condition(p) + ")";
      }
      return s;
    }
  }
  if (const AslJson* n = Member(rule, "Not")) return "NOT (" + Condition(*n) + ")";
  std::string s = Str(Member(rule, "Variable"));
  for (const auto& [key, value] : rule.items()) {
    if (key == "Variable" || key == "Next" || key == "Comment" || key == "Assign" ||
        key == "Output") {
      continue;
    }
    s += " " + key + " " + value.dump(-1, ' ', false, AslJson::error_handler_t::replace);
  }
  return s;
}

// One retrier as a label line; absent fields take the defaults AWS documents (interval 1 s,
// 3 attempts, backoff 2.0: "Error handling in Step Functions").
std::string RetryLine(const AslJson& r) {
  auto num = [&](const char* key, const char* fallback) {
    const AslJson* v = Member(r, key);
    return v && v->is_number() ? v->dump() : std::string(fallback);
  };
  std::string s = "retry " + Join(Member(r, "ErrorEquals"), ", ") + ": max " +
                  num("MaxAttempts", "3") + ", every " + num("IntervalSeconds", "1") +
                  "s, backoff " + num("BackoffRate", "2.0");
  if (const AslJson* d = Member(r, "MaxDelaySeconds"); d && d->is_number()) {
    s += ", max delay " + d->dump() + "s";
  }
  if (const AslJson* j = Member(r, "JitterStrategy"); j && j->is_string()) {
    s += ", jitter " + j->get<std::string>();
  }
  return s;
}

// Reads one state machine (and, recursively, its branches and item processors) into `scope`
// and its edges into `edges`, in the order of the ASL text.
class Reader {
 public:
  Reader(std::string workflow, std::vector<Edge>* edges)
      : workflow_(std::move(workflow)), edges_(edges) {}

  bool Read(const AslJson& sm, Scope* scope) {
    const AslJson* states = Member(sm, "States");
    const AslJson* start = Member(sm, "StartAt");
    if (!states || !states->is_object() || !start || !start->is_string()) {
      return Fail(scope->label + " has no StartAt and States");
    }
    std::map<std::string, std::string> ids;  // state name -> node ID, within this scope
    for (const auto& [name, state] : states->items()) {
      ids[name] = workflow_id_ + "_s" + std::to_string(++states_);
    }
    auto target = [&](const std::string& from, const AslJson* name, std::string* id) {
      auto it = ids.find(Str(name));
      if (it == ids.end()) {
        return Fail("state '" + from + "' goes to '" + Str(name) + "', which is not a state of " +
                    scope->label);
      }
      *id = it->second;
      return true;
    };
    std::string to;
    if (!target("StartAt", start, &to)) return false;
    edges_->push_back({scope->id + "_start", to, "", EdgeKind::kStart});
    for (const auto& [name, state] : states->items()) {
      Node node{ids[name], Str(Member(state, "Type")), {name}};
      if (node.type.empty()) return Fail("state '" + name + "' has no Type");
      std::string resource = Str(Member(state, "Resource"));
      const std::string kPrefix = "arn:aws:states:::";
      if (resource.starts_with(kPrefix)) resource.erase(0, kPrefix.size());
      node.lines.push_back(node.type == "Task" && !resource.empty() ? resource : node.type);
      if (const AslJson* retry = Member(state, "Retry"); retry && retry->is_array()) {
        for (const AslJson& r : *retry) node.lines.push_back(RetryLine(r));
      }
      scope->nodes.push_back(node);
      if (const AslJson* next = Member(state, "Next")) {
        if (!target(name, next, &to)) return false;
        edges_->push_back({node.id, to, "", EdgeKind::kNext});
      }
      if (const AslJson* rules = Member(state, "Choices"); rules && rules->is_array()) {
        for (const AslJson& rule : *rules) {
          if (!target(name, Member(rule, "Next"), &to)) return false;
          edges_->push_back({node.id, to, Condition(rule), EdgeKind::kChoice});
        }
      }
      if (const AslJson* def = Member(state, "Default")) {
        if (!target(name, def, &to)) return false;
        edges_->push_back({node.id, to, "Default", EdgeKind::kDefault});
      }
      if (const AslJson* catches = Member(state, "Catch"); catches && catches->is_array()) {
        for (const AslJson& c : *catches) {
          if (!target(name, Member(c, "Next"), &to)) return false;
          edges_->push_back({node.id, to, Join(Member(c, "ErrorEquals"), ", "), EdgeKind::kCatch});
        }
      }
      const AslJson* end = Member(state, "End");
      if ((end && end->is_boolean() && end->get<bool>()) || node.type == "Succeed" ||
          node.type == "Fail") {
        scope->has_end = true;
        edges_->push_back({node.id, scope->id + "_end", "", EdgeKind::kEnd});
      }
      std::vector<std::pair<const AslJson*, std::string>> inner;
      if (const AslJson* branches = Member(state, "Branches"); branches && branches->is_array()) {
        for (size_t i = 0; i < branches->size(); ++i) {
          inner.push_back({&(*branches)[i], name + ": branch " + std::to_string(i + 1)});
        }
      }
      const AslJson* processor = Member(state, "ItemProcessor");
      if (!processor) processor = Member(state, "Iterator");
      if (processor) inner.push_back({processor, name + ": item processor"});
      for (const auto& [sm_inner, label] : inner) {
        Scope child;
        child.id = workflow_id_ + "_c" + std::to_string(++scopes_);
        child.label = label;
        edges_->push_back({node.id, child.id + "_start", "", EdgeKind::kEnter});
        if (!Read(*sm_inner, &child)) return false;
        scope->children.push_back(std::move(child));
      }
    }
    return true;
  }

  void set_workflow_id(std::string id) { workflow_id_ = std::move(id); }
  const std::string& error() const { return error_; }

 private:
  bool Fail(const std::string& what) {
    error_ = "workflow '" + workflow_ + "': " + what;
    return false;
  }

  std::string workflow_;
  std::string workflow_id_;
  std::vector<Edge>* edges_;
  std::string error_;
  int states_ = 0;
  int scopes_ = 0;
};

// ---- Graphviz DOT ----

// A DOT quoted string. Backslashes are doubled, so Graphviz's label escapes (\n, \N, \l, ...)
// cannot come from a state name; lines are joined with \n.
std::string DotQuote(const std::vector<std::string>& lines) {
  std::string s = "\"";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) s += "\\n";
    for (char c : lines[i]) {
      if (c == '\\' || c == '"') s += '\\';
      if (c == '\n') {
        s += "\\n";
        continue;
      }
      s += c;
    }
  }
  return s + "\"";
}
std::string DotQuote(const std::string& text) { return DotQuote(std::vector<std::string>{text}); }

const char* DotNodeStyle(const std::string& type) {
  if (type == "Choice") return "shape=diamond, style=filled, fillcolor=\"#fff3cd\"";
  if (type == "Parallel" || type == "Map") return "style=filled, fillcolor=\"#e6defa\"";
  if (type == "Succeed") return "fillcolor=\"#d4edda\", color=\"#2e7d32\"";
  if (type == "Fail") return "fillcolor=\"#f8d7da\", color=\"#b02a37\"";
  if (type == "Pass" || type == "Wait") return "fillcolor=\"#f1f3f5\"";
  return "";
}

const char* DotEdgeStyle(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kCatch:
      return "style=dashed, color=\"#b02a37\", fontcolor=\"#b02a37\"";
    case EdgeKind::kEnter:
      return "style=dotted, arrowhead=none";
    default:
      return "";
  }
}

void WriteDotScope(const Scope& s, bool top, const std::string& indent, std::ostream& o) {
  o << indent << "subgraph \"cluster_" << s.id << "\" {\n";
  std::string in = indent + "  ";
  o << in << "label=" << DotQuote(s.label) << "; "
    << (top ? "style=rounded; color=\"#6c757d\";" : "style=\"rounded,dashed\"; color=\"#6c757d\";")
    << "\n";
  o << in << s.id << "_start [shape=circle, label=\"\", width=0.18, style=filled, "
    << "fillcolor=\"#212529\", color=\"#212529\"];\n";
  for (const Node& n : s.nodes) {
    o << in << n.id << " [label=" << DotQuote(n.lines);
    if (const char* style = DotNodeStyle(n.type); *style) o << ", " << style;
    o << "];\n";
  }
  for (const Scope& c : s.children) WriteDotScope(c, /*top=*/false, in, o);
  if (s.has_end) {
    o << in << s.id << "_end [shape=doublecircle, label=\"\", width=0.12, style=filled, "
      << "fillcolor=\"#212529\", color=\"#212529\"];\n";
  }
  o << indent << "}\n";
}

void WriteDot(const std::string& title, const std::vector<Scope>& scopes,
              const std::vector<Edge>& edges, std::ostream& o) {
  o << "digraph " << DotQuote(title) << " {\n"
    << "  graph [fontname=\"Helvetica\", fontsize=12, nodesep=0.3, ranksep=0.35];\n"
    << "  node [fontname=\"Helvetica\", fontsize=11, shape=box, style=\"rounded,filled\", "
       "fillcolor=\"#e7f1fb\", color=\"#3d6a99\"];\n"
    << "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#495057\"];\n";
  for (const Scope& s : scopes) WriteDotScope(s, /*top=*/true, "  ", o);
  for (const Edge& e : edges) {
    o << "  " << e.from << " -> " << e.to;
    std::string attrs;
    if (!e.label.empty()) attrs = "label=" + DotQuote(e.label);
    if (const char* style = DotEdgeStyle(e.kind); *style) {
      attrs += (attrs.empty() ? "" : ", ") + std::string(style);
    }
    if (!attrs.empty()) o << " [" << attrs << "]";
    o << ";\n";
  }
  o << "}\n";
}

// ---- Mermaid ----

// Text inside a Mermaid "quoted string": characters Mermaid's lexer or its HTML labels would
// read (quote, #, &, <, >, backtick, |, %) and spaces at either end (which Mermaid trims) are
// written as entity codes (#quot;, #35;, ...), which Mermaid turns back into the characters.
// Mermaid also drops the last ';' of any line matching `style.*:\S*#.*;` or
// `classDef.*:\S*#.*;` (its encodeEntities, meant for style statements), labels included: in a
// label that contains "style" or "classDef", colons are written as #58; too, so no line of ours
// matches.
std::string MermaidText(const std::vector<std::string>& lines) {
  bool colons = false;
  for (const std::string& line : lines) {
    colons = colons || line.find("style") != std::string::npos ||
             line.find("classDef") != std::string::npos;
  }
  std::string s;
  for (size_t l = 0; l < lines.size(); ++l) {
    if (l > 0) s += "<br/>";
    const std::string& text = lines[l];
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      switch (c) {
        case '"':
          s += "#quot;";
          break;
        case '#':
          s += "#35;";
          break;
        case '&':
          s += "#amp;";
          break;
        case '<':
          s += "#lt;";
          break;
        case '>':
          s += "#gt;";
          break;
        case '`':
          s += "#96;";
          break;
        case '|':
          s += "#124;";
          break;
        case '%':
          s += "#37;";
          break;
        case ':':
          s += colons ? "#58;" : ":";
          break;
        case '\n':
          s += "<br/>";
          break;
        case ' ':
          s += (i == 0 || i + 1 == text.size()) ? "#32;" : " ";
          break;
        default:
          s += c;
      }
    }
  }
  return s;
}
std::string MermaidText(const std::string& text) {
  return MermaidText(std::vector<std::string>{text});
}
std::string MermaidLabel(const std::vector<std::string>& lines) {
  return "\"" + MermaidText(lines) + "\"";
}

void WriteMermaidScope(const Scope& s, const std::string& indent, std::ostream& o,
                       std::vector<std::string>* fails, std::vector<std::string>* succeeds) {
  o << indent << "subgraph " << s.id << "[\"" << MermaidText(s.label) << "\"]\n";
  std::string in = indent + "  ";
  o << in << s.id << "_start((\"start\"))\n";
  for (const Node& n : s.nodes) {
    std::string label = MermaidLabel(n.lines);
    o << in << n.id;
    if (n.type == "Choice") {
      o << "{" << label << "}";
    } else if (n.type == "Parallel" || n.type == "Map") {
      o << "[[" << label << "]]";
    } else if (n.type == "Succeed" || n.type == "Fail") {
      o << "([" << label << "])";
      (n.type == "Fail" ? fails : succeeds)->push_back(n.id);
    } else if (n.type == "Task") {
      o << "(" << label << ")";
    } else {
      o << "[" << label << "]";
    }
    o << "\n";
  }
  for (const Scope& c : s.children) WriteMermaidScope(c, in, o, fails, succeeds);
  if (s.has_end) o << in << s.id << "_end(((\"end\")))\n";
  o << indent << "end\n";
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string s;
  for (const std::string& id : ids) s += (s.empty() ? "" : ",") + id;
  return s;
}

void WriteMermaid(const std::string& title, const std::vector<Scope>& scopes,
                  const std::vector<Edge>& edges, std::ostream& o) {
  o << "---\ntitle: \"" << MermaidText(title) << "\"\n---\nflowchart TD\n";
  std::vector<std::string> fails, succeeds;
  for (const Scope& s : scopes) WriteMermaidScope(s, "  ", o, &fails, &succeeds);
  for (const Edge& e : edges) {
    const char* arrow = e.kind == EdgeKind::kCatch || e.kind == EdgeKind::kEnter ? "-.->" : "-->";
    o << "  " << e.from << " " << arrow;
    if (!e.label.empty()) o << "|\"" << MermaidText(e.label) << "\"|";
    o << " " << e.to << "\n";
  }
  o << "  classDef fail fill:#f8d7da,stroke:#b02a37\n"
    << "  classDef succeed fill:#d4edda,stroke:#2e7d32\n";
  if (!fails.empty()) o << "  class " << JoinIds(fails) << " fail\n";
  if (!succeeds.empty()) o << "  class " << JoinIds(succeeds) << " succeed\n";
}

}  // namespace

bool RenderGraph(const std::string& title, const std::vector<AslWorkflow>& workflows,
                 GraphFormat format, std::string* out, std::string* error) {
  std::vector<Scope> scopes;
  std::vector<Edge> edges;
  for (size_t i = 0; i < workflows.size(); ++i) {
    const AslWorkflow& wf = workflows[i];
    AslJson asl = AslJson::parse(wf.asl, nullptr, /*allow_exceptions=*/false);
    if (asl.is_discarded()) {
      *error = "workflow '" + wf.name + "': the ASL text is not JSON";
      return false;
    }
    Scope scope;
    scope.id = "w" + std::to_string(i + 1);
    scope.label = wf.name;
    Reader reader(wf.name, &edges);
    reader.set_workflow_id(scope.id);
    if (!reader.Read(asl, &scope)) {
      *error = reader.error();
      return false;
    }
    scopes.push_back(std::move(scope));
  }
  std::ostringstream o;
  if (format == GraphFormat::kDot) {
    WriteDot(title, scopes, edges, o);
  } else {
    WriteMermaid(title, scopes, edges, o);
  }
  *out = o.str();
  return true;
}

}  // namespace orchc
