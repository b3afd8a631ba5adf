// Loading YAML text into a YNode tree: the byte checks, yaml-cpp's events turned into located
// nodes, anchors and aliases bounded. Scalar resolution is in yaml_scalar.cc.
#include "yaml_tree.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>
#include <unordered_map>

#include "yaml_hints.h"

namespace orchc {

namespace {

constexpr const char* kStrTag = "tag:yaml.org,2002:str";

// 0755, -012: an integer with a leading zero, which YAML 1.1 reads as octal.
bool IsLegacyOctal(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return s.size() > 1 && s[0] == '0' &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reports the first byte that is not valid UTF-8, a NUL, or a tab used for indentation.
bool CheckBytes(const SourceFile& src, DiagSink& sink) {
  const std::string& t = src.text;
  uint32_t line = 1, col = 1;
  bool at_indent = true;
  size_t i = 0;
  if (t.size() >= 3 && static_cast<unsigned char>(t[0]) == 0xEF &&
      static_cast<unsigned char>(t[1]) == 0xBB && static_cast<unsigned char>(t[2]) == 0xBF) {
    i = 3;  // a UTF-8 byte order mark is allowed and ignored
  }
  auto here = [&] { return SourceLoc{&src.path, line, col}; };
  while (i < t.size()) {
    unsigned char c = t[i];
    if (c == 0) {
      sink.Error(here(), "the file contains a NUL byte; a spec must be UTF-8 text");
      return false;
    }
    if (c == '\n') {
      ++line;
      col = 1;
      at_indent = true;
      ++i;
      continue;
    }
    if (c == '\t' && at_indent) {
      sink.Error(here(), "tab character in indentation; YAML indents with spaces only");
      return false;
    }
    if (c != ' ' && c != '\t') at_indent = false;
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      n = 1;
    } else if ((c & 0xE0) == 0xC0) {
      n = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 4, cp = c & 0x07;
    }
    bool ok = n > 0 && i + n <= t.size();
    for (size_t k = 1; ok && k < n; ++k) {
      unsigned char cc = t[i + k];
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok && n > 1) {
      // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 either.
      ok = !((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
             (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF);
    }
    if (!ok) {
      sink.Error(here(), "invalid UTF-8 byte sequence; save the spec as UTF-8");
      return false;
    }
    i += n;
    col += static_cast<uint32_t>(n);
  }
  return true;
}

// Builds YNodes from yaml-cpp's parse events.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(YamlDoc& doc, DiagSink& sink, const LoadLimits& limits)
      : doc_(doc), sink_(sink), limits_(limits) {}

  const YNode* root() const { return root_; }
  bool failed() const { return failed_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YNode& n = NewNode(YNode::Kind::kNull, mark);
    n.length = 1;
    Anchor(anchor, &n);
    Add(&n);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (failed_) return;
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      for (const Frame& f : stack_) {
        if (f.anchor == anchor) {
          return Fail(mark,
                      "this alias refers to the mapping or list that contains it; a spec "
                      "cannot contain itself");
        }
      }
      return Fail(mark, "alias to an unknown anchor");
    }
    if (++aliases_ > limits_.max_aliases) {
      return Fail(mark, "too many aliases (more than " + std::to_string(limits_.max_aliases) +
                            "); write the values out instead");
    }
    // The alias stands for its whole subtree: the nesting limit counts its levels too, so that
    // a chain of anchors cannot nest without bound. With it, max_depth bounds the expanded
    // depth of every document, which bounds every recursive walk over a spec's values.
    auto h = heights_.find(it->second);
    uint32_t height = h == heights_.end() ? 0 : h->second;
    if (stack_.size() + height > limits_.max_depth) {
      return Fail(mark, "this alias makes the document nest deeper than " +
                            std::to_string(limits_.max_depth) +
                            " levels; a spec is never this deep");
    }
    Add(it->second, &mark, height);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (failed_) return;
    if (tag != "?" && tag != "!" && tag != kStrTag) return BadTag(mark, tag);
    if (value.size() > limits_.max_scalar_bytes) {
      return Fail(mark, "a value of " + std::to_string(value.size()) +
                            " bytes, over the limit of " +
                            std::to_string(limits_.max_scalar_bytes) +
                            " for one value; no field of a spec is this long");
    }
    if (tag == "?" && IsLegacyOctal(value)) {
      // YAML 1.2 reads 0755 as 755, YAML 1.1 tools as 493: refuse to guess (and keep going).
      sink_.Error(Loc(mark),
                  "'" + value +
                      "' has a leading zero: YAML 1.2 reads it as a decimal "
                      "number, YAML 1.1 as an octal one; write it without the zero, "
                      "or quote it for text",
                  static_cast<uint32_t>(value.size()));
      dup_ = true;
    }
    YNode& n = NewNode(YNode::Kind::kScalar, mark);
    n.value = value;
    n.quoted = tag != "?";
    n.length = static_cast<uint32_t>(std::min<size_t>(value.size() + (n.quoted ? 2 : 0), 4096));
    if (n.length == 0) n.length = 1;
    Anchor(anchor, &n);
    Add(&n);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(YNode::Kind::kSeq, mark, tag, anchor);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(YNode::Kind::kMap, mark, tag, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YNode* node = nullptr;
    const YNode* pending_key = nullptr;        // maps: the key waiting for its value
    YAML::anchor_t anchor = YAML::NullAnchor;  // registered when the node closes
    uint32_t height = 1;  // levels of maps and sequences in the expanded subtree, so far
    // Large maps: key -> index in entries, so duplicate detection stays linear overall (a
    // 10,000-workflow map would make YNode::Find's scan quadratic).
    std::unordered_map<std::string, size_t> index;
  };

  // The entry with key `key` in the map of `f`, or nullptr.
  static const YNode::Entry* FindKey(Frame& f, const std::string& key) {
    std::vector<YNode::Entry>& entries = f.node->entries;
    if (entries.size() < kIndexFrom) return f.node->Find(key);
    if (f.index.empty()) {
      for (size_t i = 0; i < entries.size(); ++i) f.index.emplace(entries[i].key, i);
    }
    auto it = f.index.find(key);
    return it == f.index.end() ? nullptr : &entries[it->second];
  }
  static constexpr size_t kIndexFrom = 16;

  SourceLoc Loc(const YAML::Mark& m) {
    return SourceLoc{&doc_.source->path, static_cast<uint32_t>(m.line + 1),
                     static_cast<uint32_t>(m.column + 1)};
  }

  void Fail(const YAML::Mark& mark, std::string message) {
    if (!failed_) sink_.Error(Loc(mark), std::move(message));
    failed_ = true;
  }

  void BadTag(const YAML::Mark& mark, const std::string& tag) {
    std::string shown = tag.starts_with("tag:yaml.org,2002:") ? "!!" + tag.substr(18) : tag;
    Fail(mark, "YAML tag '" + shown +
                   "' is not supported; a spec is plain data (CloudFormation tags such as !Ref "
                   "do not apply: name exports under imports:)");
  }

  YNode& NewNode(YNode::Kind kind, const YAML::Mark& mark) {
    YNode& n = doc_.nodes.emplace_back();
    n.kind = kind;
    n.loc = Loc(mark);
    return n;
  }

  void Anchor(YAML::anchor_t anchor, const YNode* n) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = n;
  }

  void Open(YNode::Kind kind, const YAML::Mark& mark, const std::string& tag,
            YAML::anchor_t anchor) {
    if (failed_) return;
    if (tag != "?" && tag != "!" && tag != "tag:yaml.org,2002:map" &&
        tag != "tag:yaml.org,2002:seq")
      return BadTag(mark, tag);
    if (stack_.size() >= limits_.max_depth) {
      return Fail(mark, "nesting deeper than " + std::to_string(limits_.max_depth) +
                            " levels; a spec is never this deep");
    }
    YNode& n = NewNode(kind, mark);
    Frame frame;
    frame.node = &n;
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void Close() {
    if (failed_ || stack_.empty()) return;
    YNode* n = stack_.back().node;
    // The anchor names the node only once it is complete: an alias inside it (&a [*a]) would
    // make the tree contain itself.
    Anchor(stack_.back().anchor, n);
    uint32_t height = stack_.back().height;
    if (stack_.back().anchor != YAML::NullAnchor) heights_[n] = height;
    stack_.pop_back();
    Add(n, nullptr, height);
  }

  // Attaches a finished node to its parent (or makes it the root).
  // `height`: the levels of maps and sequences of n's expanded subtree.
  void Add(const YNode* n, const YAML::Mark* alias_mark = nullptr, uint32_t height = 0) {
    if (failed_) return;
    // A new node counts once (its children were counted as they were added); an alias adds the
    // whole subtree it stands for, since every consumer walks it again.
    total_ += alias_mark ? n->weight : 1;
    if (total_ > limits_.max_nodes) {
      YAML::Mark m = alias_mark ? *alias_mark : YAML::Mark();
      SourceLoc loc = alias_mark ? Loc(m) : n->loc;
      if (!failed_) {
        sink_.Error(loc, "the document expands to more than " + std::to_string(limits_.max_nodes) +
                             " nodes (aliases included); a spec is never this large");
      }
      failed_ = true;
      return;
    }
    if (stack_.empty()) {
      root_ = n;
      return;
    }
    Frame& f = stack_.back();
    YNode* parent = f.node;
    f.height = std::max(f.height, height + 1);
    parent->weight = std::min<uint64_t>(parent->weight + n->weight, UINT64_MAX / 4);
    if (parent->kind == YNode::Kind::kSeq) {
      parent->items.push_back(n);
      return;
    }
    if (!f.pending_key) {
      if (n->kind != YNode::Kind::kScalar) {
        sink_.Error(n->loc, "a mapping key must be a plain string, not a " +
                                std::string(n->kind == YNode::Kind::kMap   ? "mapping"
                                            : n->kind == YNode::Kind::kSeq ? "sequence"
                                                                           : "null"));
        failed_ = true;
        return;
      }
      f.pending_key = n;
      return;
    }
    const YNode* key = f.pending_key;
    f.pending_key = nullptr;
    if (const YNode::Entry* prev = FindKey(f, key->value)) {
      sink_.Error(key->loc,
                  "duplicate key '" + key->value + "'; the first is at line " +
                      std::to_string(prev->key_loc.line) + ", remove one of them",
                  key->length);
      dup_ = true;  // keep going: report every duplicate in the file
      return;
    }
    parent->entries.push_back({key->value, key->loc, n});
    if (!f.index.empty()) f.index.emplace(key->value, parent->entries.size() - 1);
  }

  YamlDoc& doc_;
  DiagSink& sink_;
  const LoadLimits& limits_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, const YNode*> anchors_;
  std::unordered_map<const YNode*, uint32_t> heights_;  // of anchored maps and sequences
  const YNode* root_ = nullptr;
  uint64_t total_ = 0;
  uint32_t aliases_ = 0;
  bool failed_ = false;

 public:
  bool dup_ = false;  // an error that does not stop loading was reported (duplicate key, 0755)
};

// The line of the '---' that starts a second document (yaml-cpp does not report its position);
// 0 when none is found.
uint32_t SecondDocumentLine(const std::string& text) {
  uint32_t line = 1;
  size_t pos = 0;
  bool seen_content = false;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    std::string_view l(text.data() + pos, (end == std::string::npos ? text.size() : end) - pos);
    if (l.starts_with("---") && seen_content) return line;
    if (!l.empty() && l[0] != '#' && !l.starts_with("---") && !l.starts_with("%"))
      seen_content = true;
    if (end == std::string::npos) break;
    pos = end + 1;
    ++line;
  }
  return 0;
}

}  // namespace

YamlDoc LoadYaml(std::string path, std::string text, DiagSink& sink, const LoadLimits& limits) {
  YamlDoc doc;
  doc.source = std::make_unique<SourceFile>(SourceFile{std::move(path), std::move(text)});
  const SourceFile& src = *doc.source;
  sink.AddSource(&src);
  SourceLoc file_loc{&src.path, 0, 0};
  if (src.text.size() > limits.max_bytes) {
    sink.Error(file_loc, "the file is " + std::to_string(src.text.size()) +
                             " bytes, over the limit of " + std::to_string(limits.max_bytes) +
                             " (raise it with --max-input-bytes if this is really a spec)");
    return doc;
  }
  if (!CheckBytes(src, sink)) return doc;

  // A document without aliases has at most about one node per byte, so the node limit (which
  // bounds alias expansion) grows with the input: a large spec that is written out in full is
  // never refused for its size in nodes, only by max_bytes.
  LoadLimits eff = limits;
  eff.max_nodes = std::max<uint64_t>(limits.max_nodes, src.text.size());
  std::istringstream in(src.text);
  TreeBuilder builder(doc, sink, eff);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder)) {
      sink.Error(file_loc, "the spec is empty; it needs at least 'version: 1' and 'env:'");
      return doc;
    }
    if (builder.failed() || builder.dup_) return doc;
    // A second document is an error; parse it only to find where it starts.
    YamlDoc scratch;
    scratch.source = std::make_unique<SourceFile>();
    DiagSink ignored;
    TreeBuilder second(scratch, ignored, eff);
    if (parser.HandleNextDocument(second)) {
      const uint32_t found_line = SecondDocumentLine(src.text);
      SourceLoc loc{&src.path, found_line, found_line ? 1u : 0u};
      sink.Error(loc,
                 "the file holds more than one YAML document; a spec is one document "
                 "(put each environment in its own file)",
                 3);
      return doc;
    }
  } catch (const YAML::DeepRecursion& e) {
    if (builder.failed()) return doc;  // the depth limit was reported where it was crossed
    sink.Error(SourceLoc{&src.path, static_cast<uint32_t>(e.mark.line + 1),
                         static_cast<uint32_t>(e.mark.column + 1)},
               "nesting too deep for a spec");
    return doc;
  } catch (const YAML::ParserException& e) {
    YamlSyntaxError why = ExplainYamlSyntaxError(src, static_cast<uint32_t>(e.mark.line + 1),
                                                 static_cast<uint32_t>(e.mark.column + 1), e.msg);
    sink.Error(SourceLoc{&src.path, why.line, why.col}, std::move(why.message), why.length);
    return doc;
  } catch (const YAML::Exception& e) {
    sink.Error(file_loc, "invalid YAML: " + e.msg);
    return doc;
  }
  if (builder.failed() || builder.dup_) return doc;
  if (!builder.root() || builder.root()->IsNull()) {
    sink.Error(file_loc, "the spec is empty; it needs at least 'version: 1' and 'env:'");
    return doc;
  }
  doc.root = builder.root();
  return doc;
}

}  // namespace orchc
