#ifndef BATCH_JOB_TZ_LINKS_H_
#define BATCH_JOB_TZ_LINKS_H_

#include <cstddef>
#include <string_view>

namespace batch {

// One link of the tz database: `link` is another name of the zone `target`.
struct ZoneLink {
  std::string_view link;
  std::string_view target;
};

// Generated from tzdata.zi by batch-job/CMakeLists.txt (tz_links.cc.in), sorted by link.
extern const ZoneLink kZoneLinks[];
extern const size_t kZoneLinkCount;

}  // namespace batch

#endif  // BATCH_JOB_TZ_LINKS_H_
