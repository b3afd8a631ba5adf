#include "zone_name.h"

#include <gtest/gtest.h>

#include "tz_links.h"

namespace batch {
namespace {

TEST(ZoneName, LinksResolveToTheirZone) {
  EXPECT_EQ(CanonicalZoneName("Japan"), "Asia/Tokyo");
  EXPECT_EQ(CanonicalZoneName("US/Eastern"), "America/New_York");
  EXPECT_EQ(CanonicalZoneName("Asia/Calcutta"), "Asia/Kolkata");
  EXPECT_EQ(CanonicalZoneName("Asia/Tokyo"), "Asia/Tokyo");
  EXPECT_EQ(CanonicalZoneName("Mars/Olympus"), "Mars/Olympus");
}

TEST(ZoneName, TheTableIsSortedAndNoTargetIsALink) {
  ASSERT_GT(kZoneLinkCount, 100u);
  for (size_t i = 0; i < kZoneLinkCount; ++i) {
    if (i > 0) EXPECT_LT(kZoneLinks[i - 1].link, kZoneLinks[i].link);
    EXPECT_EQ(CanonicalZoneName(kZoneLinks[i].target), kZoneLinks[i].target) << kZoneLinks[i].link;
  }
}

}  // namespace
}  // namespace batch
