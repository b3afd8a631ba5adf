// The raw tables of the embedded IANA time-zone database, written at build time by
// orchc_tzdb_gen (tzdb_gen.cc) from Debian's tzdata. Use tzdb.h, not these tables.
#pragma once

#include <cstddef>
#include <cstdint>

namespace orchc::tzdata {

// One zone: its transitions are kTimes[first, first + count) (UTC seconds, ascending), the
// UTC offset in force from each is the kOffsets entry at the same index; before the first
// transition `initial_offset` holds. After the last transition the POSIX TZ rule `footer`
// holds (RFC 8536 section 3.3); an empty footer means the last offset stays.
struct ZoneRecord {
  const char* name;
  uint32_t first;
  uint32_t count;
  int32_t initial_offset;
  const char* footer;
};

// One accepted name (a zone or a link), sorted by name (byte order).
struct NameRecord {
  const char* name;
  uint32_t zone;  // index into kZones
  uint8_t is_link;
};

extern const char kVersion[];
extern const int64_t kTimes[];
extern const int32_t kOffsets[];
extern const ZoneRecord kZones[];
extern const size_t kZoneCount;
extern const NameRecord kNames[];
extern const size_t kNameCount;

}  // namespace orchc::tzdata
