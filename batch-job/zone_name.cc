#include "zone_name.h"

#include <algorithm>

#include "tz_links.h"

namespace batch {

std::string_view CanonicalZoneName(std::string_view name) {
  const ZoneLink* begin = kZoneLinks;
  const ZoneLink* end = kZoneLinks + kZoneLinkCount;
  // A link may name another link in some tzdata versions: follow a few hops.
  for (int hop = 0; hop < 4; ++hop) {
    const ZoneLink* it = std::lower_bound(
        begin, end, name,
        [](const ZoneLink& link, std::string_view key) { return link.link < key; });
    if (it == end || it->link != name) break;
    name = it->target;
  }
  return name;
}

}  // namespace batch
