#include "literal_placeholders.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace orchc {

namespace {

// The first `${env}` or `${workflow}` of `text` that is not written `$${...}`: its offset and
// the variable, or npos.
std::pair<size_t, std::string_view> FindPlaceholder(std::string_view text) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text.compare(i, 3, "$${") == 0) {
      i += 2;
      continue;
    }
    for (std::string_view var : {std::string_view("${env}"), std::string_view("${workflow}")}) {
      if (text.compare(i, var.size(), var) == 0) return {i, var};
    }
  }
  return {std::string_view::npos, {}};
}

// Where in the source the placeholder at `offset` of a scalar starting at `loc` is: exact on
// the scalar's first line, else the scalar's start.
SourceLoc At(SourceLoc loc, std::string_view text, size_t offset, bool quoted) {
  if (loc.line == 0 || text.substr(0, offset).find('\n') != std::string_view::npos) return loc;
  loc.col += static_cast<uint32_t>(offset) + (quoted ? 1 : 0);
  return loc;
}

void Warn(DiagSink& sink, SourceLoc loc, std::string_view text, bool quoted,
          const std::string& field) {
  auto [offset, var] = FindPlaceholder(text);
  if (offset == std::string_view::npos) return;
  sink.Warning(WarningClass::kLiteralPlaceholder, At(loc, text, offset, quoted),
               "`" + std::string(var) + "` is not replaced in " + field +
                   "; it stays literal text (orchc replaces ${env} and ${workflow} only in the "
                   "fields docs/spec.md lists under \"Variables\"); write the value itself",
               static_cast<uint32_t>(var.size()));
}

}  // namespace

void WarnLiteralPlaceholders(const YNode* root, const std::unordered_set<const YNode*>& expanded,
                             DiagSink& sink) {
  struct Item {
    const YNode* node;
    std::string field;  // how the message names it, e.g. "`command`"
  };
  std::vector<Item> todo;
  std::unordered_set<const YNode*> seen;
  if (root) todo.push_back({root, "the document"});
  while (!todo.empty()) {
    Item item = std::move(todo.back());
    todo.pop_back();
    const YNode* n = item.node;
    if (!seen.insert(n).second) continue;
    if (n->IsScalar()) {
      if (!expanded.count(n)) Warn(sink, n->loc, n->value, n->quoted, item.field);
    } else if (n->IsMap()) {
      // Reverse order on the stack: the warnings come out in source order.
      for (auto e = n->entries.rbegin(); e != n->entries.rend(); ++e) {
        todo.push_back({e->value, "`" + e->key + "`"});
      }
      for (auto e = n->entries.rbegin(); e != n->entries.rend(); ++e) {
        Warn(sink, e->key_loc, e->key, /*quoted=*/false, "a key of " + item.field);
      }
    } else if (n->IsSeq()) {
      for (auto it = n->items.rbegin(); it != n->items.rend(); ++it) {
        todo.push_back({*it, "an item of " + item.field});
      }
    }
  }
}

}  // namespace orchc
