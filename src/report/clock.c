/* Clock time for people and for files (report.h): the scenario's start
 * plus a simulated time, in UTC, with integer arithmetic only, so that
 * every output gives the same bytes on every machine and in every locale
 * and time zone. */
#include <stdio.h>
#include "amisim/report.h"

static const AmsTime DAY = AMS_DAYS (1);

/* floor (a / b) for b > 0 */
static int64_t
floor_div (int64_t a, int64_t b)
{
  return a / b - (a % b < 0);
}

/* Year, month, day of a day since 1970-01-01 in the proleptic Gregorian
 * calendar (H. Hinnant's days_from_civil, inverted). */
static void
civil (int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
  days += 719468;
  int64_t era = floor_div (days, 146097);
  unsigned doe = (unsigned) (days - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t) yoe + era * 400 + (*m <= 2);
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

void
ams_clock_iso (char out[AMS_CLOCK_LEN], AmsTime start, AmsTime t)
{
  AmsTime clock = start + t;
  int64_t day = floor_div (clock, DAY);
  int64_t ms = (clock - day * DAY) / 1000; /* of the day, rounded down */
  char date[AMS_CLOCK_LEN];
  ams_clock_date (date, day);
  snprintf (out, AMS_CLOCK_LEN, "%sT%02d:%02d:%02d.%03dZ", date, (int) (ms / 3600000),
            (int) (ms / 60000 % 60), (int) (ms / 1000 % 60), (int) (ms % 1000));
}
