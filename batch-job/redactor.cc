#include "redactor.h"

#include <algorithm>

namespace batch {

void Redactor::Add(std::string_view secret) {
  if (secret.empty() || std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) {
    return;
  }
  secrets_.emplace_back(secret);
  std::stable_sort(secrets_.begin(), secrets_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Redactor::Scrub(std::string_view text) const {
  for (const std::string& secret : secrets_) {
    if (secret.size() < kMinInlineLength && text.find(secret) != std::string_view::npos) {
      return std::string(kMask);
    }
  }
  std::string out(text);
  for (const std::string& secret : secrets_) {
    for (size_t pos = out.find(secret); pos != std::string::npos;
         pos = out.find(secret, pos + kMask.size())) {
      out.replace(pos, secret.size(), kMask);
    }
  }
  return out;
}

}  // namespace batch
