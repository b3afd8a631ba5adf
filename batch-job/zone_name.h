#ifndef BATCH_JOB_ZONE_NAME_H_
#define BATCH_JOB_ZONE_NAME_H_

#include <string_view>

namespace batch {

// The zone a tz database link names (Japan -> Asia/Tokyo, US/Eastern -> America/New_York), or
// `name` itself when it is not a link. Exact, case-sensitive match: callers first take the
// server's spelling of the name. The link table is the "L" lines of the build machine's
// tzdata.zi, embedded at build time (tz_links.cc.in), so the image needs no tzdata.
std::string_view CanonicalZoneName(std::string_view name);

}  // namespace batch

#endif  // BATCH_JOB_ZONE_NAME_H_
