/* Clock time for people and for files (report.h, report/json.h): the
 * scenario's start plus a simulated time, in UTC, with integer arithmetic
 * only, so that every output gives the same bytes on every machine and in
 * every locale and time zone. The one calendar of the report layer. */
#include <math.h>
#include <stdio.h>
#include "amisim/report.h"
#include "report/json.h"

static const AmsTime DAY = AMS_DAYS (1);

/* Days since 1970-01-01 -> civil date (proleptic Gregorian; H. Hinnant's
 * days_from_civil inverse). */
static void
civil (int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  unsigned doe = (unsigned) (days - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t) yoe + era * 400 + (*m <= 2);
}

/* floor (a / b) for b > 0 */
static int64_t
floor_div (int64_t a, int64_t b)
{
  return a / b - (a % b != 0 && a < 0);
}

const char *
ams_iso_time (char buf[AMS_ISO_TIME_LEN], AmsTime start, AmsTime t)
{
  buf[0] = '\0';
  if (t == AMS_TIME_NEVER)
    return buf;
  /* µs since the epoch, saturating rather than wrapping */
  AmsTime abs_us = t > 0 && start > INT64_MAX - t    ? INT64_MAX
                   : t < 0 && start < INT64_MIN - t ? INT64_MIN
                                                      : start + t;
  int64_t ms = floor_div (abs_us, 1000);
  int64_t secs = floor_div (ms, 1000);
  int64_t days = floor_div (secs, 86400);
  int64_t sod = secs - days * 86400;
  int64_t y;
  unsigned mo, d;
  civil (days, &y, &mo, &d);
  g_snprintf (buf, AMS_ISO_TIME_LEN, "%04" G_GINT64_FORMAT "-%02u-%02uT%02u:%02u:%02u.%03uZ", y,
              mo, d, (unsigned) (sod / 3600), (unsigned) (sod / 60 % 60), (unsigned) (sod % 60),
              (unsigned) (ms - secs * 1000));
  return buf;
}

const char *
ams_iso_time_s (char buf[AMS_ISO_TIME_LEN], AmsTime start, double s)
{
  buf[0] = '\0';
  if (!isfinite (s) || fabs (s) > 9e12)
    return buf;
  return ams_iso_time (buf, start, (AmsTime) llround (s * (double) AMS_TICKS_PER_SECOND));
}

int64_t
ams_clock_day (AmsTime start, AmsTime t)
{
  return floor_div (start + t, DAY);
}

double
ams_clock_of_day_s (AmsTime start, AmsTime t)
{
  AmsTime clock = start + t;
  return ams_time_to_s (clock - floor_div (clock, DAY) * DAY);
}

void
ams_clock_date (char out[AMS_CLOCK_LEN], int64_t day)
{
  int64_t y;
  unsigned m, d;
  civil (day, &y, &m, &d);
  snprintf (out, AMS_CLOCK_LEN, "%04" G_GINT64_FORMAT "-%02u-%02u", y, m, d);
}
