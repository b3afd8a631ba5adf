// Explains YAML syntax errors. yaml-cpp reports where its parser gave up, which is often the line
// after the mistake (a key without ':' is found when the next line starts), with a terse message.
// This looks at the text around that point for the usual root causes and says what to write.
#pragma once

#include <cstdint>
#include <string>

#include "diag.h"

namespace orchc {

struct YamlSyntaxError {
  uint32_t line = 0;  // 1-based, where the mistake is (may be before where the parser stopped)
  uint32_t col = 0;
  uint32_t length = 1;
  std::string message;  // "invalid YAML: ..."
};

// `line`/`col` (1-based) and `parser_message` are what yaml-cpp reported. Recognised causes, in
// order: a value that starts with '[' or '{' but goes on after the closing bracket (it needs
// quotes); a '[' or '{' never closed; a key without ':' (reported at that key); a line indented
// to no open mapping's depth. Anything else keeps the parser's position with a clearer message.
YamlSyntaxError ExplainYamlSyntaxError(const SourceFile& src, uint32_t line, uint32_t col,
                                       const std::string& parser_message);

}  // namespace orchc
