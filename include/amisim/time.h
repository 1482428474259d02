/* amisim — simulated time.
 *
 * Simulated time is a signed 64-bit count of microseconds (one tick = 1 µs).
 * That holds about 292,000 years, so 10+ year runs are far inside the range,
 * and every duration written with a unit down to "us" is exact. Integer ticks
 * make event ordering and replays exact: no two runs disagree on "which came
 * first" because of floating-point rounding.
 *
 * Absolute calendar instants (scenario `start`) are also AmsTime: microseconds
 * since 1970-01-01T00:00:00Z. Simulated clocks start at 0 = scenario start.
 */
#pragma once

#include <stdint.h>
#include <math.h>

typedef int64_t AmsTime;

#define AMS_TICKS_PER_SECOND INT64_C(1000000)
#define AMS_TIME_MAX INT64_MAX
#define AMS_TIME_NEVER INT64_MAX

#define AMS_SECONDS(s) ((AmsTime)(s) * AMS_TICKS_PER_SECOND)
#define AMS_MINUTES(m) AMS_SECONDS((AmsTime)(m) * 60)
#define AMS_HOURS(h) AMS_MINUTES((AmsTime)(h) * 60)
#define AMS_DAYS(d) AMS_HOURS((AmsTime)(d) * 24)

/* Ticks to seconds (exact for any run shorter than ~285 years). */
static inline double
ams_time_to_s (AmsTime t)
{
  return (double) t / (double) AMS_TICKS_PER_SECOND;
}

/* Seconds to ticks, rounded to the nearest tick; negative and NaN give 0,
 * values beyond the range saturate to AMS_TIME_MAX. */
static inline AmsTime
ams_time_from_s (double s)
{
  if (!(s > 0.0))
    return 0;
  double t = s * (double) AMS_TICKS_PER_SECOND + 0.5;
  if (t >= 9.2e18)
    return AMS_TIME_MAX;
  return (AmsTime) t;
}
