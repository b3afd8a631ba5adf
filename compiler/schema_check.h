// Stage 2: JSON Schema validation of a loaded document (schemas/orchestration.schema.json).
#pragma once

#include <memory>
#include <string_view>

#include "diag.h"
#include "yaml_tree.h"

namespace orchc {

// The JSON Schema of the spec language, as compiled into the binary.
std::string_view SchemaText();

// Validates documents against the spec schema with valijson. The schema is parsed once, when the
// validator is built; one validator serves any number of documents.
class SchemaValidator {
 public:
  SchemaValidator();
  ~SchemaValidator();
  SchemaValidator(const SchemaValidator&) = delete;
  SchemaValidator& operator=(const SchemaValidator&) = delete;

  // The process-wide validator, built on first use and never destroyed: every Compiler of a
  // process shares one parsed schema, and exiting does not spend time freeing it (it stays
  // reachable, so leak checkers accept it).
  static const SchemaValidator& Shared();

  // Reports every violation as a located error phrased for a person; returns true when valid.
  bool Validate(const YamlDoc& doc, DiagSink& sink) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace orchc
