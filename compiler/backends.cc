// The table of back ends. See backend.h.
#include "backend.h"

namespace orchc {

const std::vector<BackendRow>& BackendTable() {
  static const std::vector<BackendRow> table = {
      {"cloudformation", "a template", MakeCloudFormationBackend},
      {"asl", "ASL files", MakeAslBackend},
  };
  return table;
}

std::string BackendOutputs() {
  const std::vector<BackendRow>& table = BackendTable();
  std::string out;
  for (size_t i = 0; i < table.size(); ++i) {
    if (i) out += i + 1 == table.size() ? " and " : ", ";
    out += table[i].writes;
  }
  return out;
}

}  // namespace orchc
