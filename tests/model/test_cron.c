/* Cron tests: the next fire of Image Builder schedule expressions (plain
 * fields, steps, ranges, lists, names, years, L, W, #, time zones and the
 * DST gap and repeat), and every parse error with its exact message.
 *
 * Each next-fire case gives instants as ISO 8601 strings with an explicit
 * offset, so nothing depends on the machine's time zone; zones are named
 * (tzdata is installed), NULL meaning the default, UTC. An expected NULL
 * means AMS_TIME_NEVER.
 */
#include <stdio.h>

#include "ams_test.h"
#include "amisim/cron.h"

typedef struct
{
  const char *expression;
  const char *tz;       /* IANA name, or NULL for the default (UTC) */
  const char *after;
  const char *expected; /* NULL: AMS_TIME_NEVER */
} NextCase;

static AmsTime
iso (const char *text)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);
  g_assert (dt != NULL);
  return g_date_time_to_unix (dt) * AMS_TICKS_PER_SECOND + g_date_time_get_microsecond (dt);
}

/* An instant as ISO 8601 in tz, for failure messages. */
static char *
format (AmsTime t, GTimeZone *tz)
{
  if (t == AMS_TIME_NEVER)
    return g_strdup ("NEVER");
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t / AMS_TICKS_PER_SECOND);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format_iso8601 (local);
}

static void
check_next (const NextCase *cases, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      const NextCase *k = &cases[i];
      g_autoptr (GError) error = NULL;
      g_autoptr (AmsCron) c = ams_cron_parse (k->expression, &error);
      if (c == NULL)
        {
          printf ("\n  %s: %s\n", k->expression, error->message);
          CU_FAIL ("parse failed");
          continue;
        }
      g_autoptr (GTimeZone) tz = NULL;
      if (k->tz != NULL)
        {
          tz = g_time_zone_new_identifier (k->tz);
          g_assert (tz != NULL);
        }
      AmsTime want = k->expected != NULL ? iso (k->expected) : AMS_TIME_NEVER;
      AmsTime got = ams_cron_next (c, iso (k->after), tz);
      if (got != want)
        {
          g_autoptr (GTimeZone) shown = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
          g_autofree char *g = format (got, shown);
          printf ("\n  %s in %s after %s: expected %s, got %s\n", k->expression,
                  k->tz != NULL ? k->tz : "UTC", k->after,
                  k->expected != NULL ? k->expected : "NEVER", g);
        }
      CU_ASSERT_EQUAL (got, want);
    }
}

static void
test_cron_plain_fields (void)
{
  static const NextCase cases[] = {
    /* Daily, from just before, exactly at (strictly after), mid-minute. */
    { "cron(0 10 * * ? *)", NULL, "2026-01-15T09:59:00Z", "2026-01-15T10:00:00Z" },
    { "cron(0 10 * * ? *)", NULL, "2026-01-15T10:00:00Z", "2026-01-16T10:00:00Z" },
    { "cron(0 10 * * ? *)", NULL, "2026-01-15T09:59:59.999999Z", "2026-01-15T10:00:00Z" },
    { "cron(0 10 * * ? *)", NULL, "2026-01-15T10:00:30Z", "2026-01-16T10:00:00Z" },
    /* Across the end of a month and of a year. */
    { "cron(15 12 * * ? *)", NULL, "2026-12-31T13:00:00Z", "2027-01-01T12:15:00Z" },
    { "cron(0 0 * * ? *)", NULL, "2026-02-28T00:00:00Z", "2026-03-01T00:00:00Z" },
    /* Hourly; every minute. */
    { "cron(0 * * * ? *)", NULL, "2026-01-15T09:00:01Z", "2026-01-15T10:00:00Z" },
    { "cron(* * * * ? *)", NULL, "2026-01-15T09:00:00Z", "2026-01-15T09:01:00Z" },
    { "cron(* * * * ? *)", NULL, "2026-12-31T23:59:00Z", "2027-01-01T00:00:00Z" },
    /* * in day-of-week with ? in day-of-month. */
    { "cron(0 8 ? * * *)", NULL, "2026-01-15T08:00:00Z", "2026-01-16T08:00:00Z" },
    /* The first possible instant, from before 1970. */
    { "cron(0 0 * * ? *)", NULL, "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z" },
    { "cron(0 0 * * ? *)", NULL, "1900-01-01T00:00:00Z", "1970-01-01T00:00:00Z" },
  };
  check_next (cases, G_N_ELEMENTS (cases));
}

static void
test_cron_steps_ranges_lists (void)
{
  static const NextCase cases[] = {
    { "cron(0/15 * * * ? *)", NULL, "2026-01-15T09:44:59Z", "2026-01-15T09:45:00Z" },
    { "cron(0/15 * * * ? *)", NULL, "2026-01-15T09:50:00Z", "2026-01-15T10:00:00Z" },
    { "cron(*/5 * * * ? *)", NULL, "2026-01-15T23:58:00Z", "2026-01-16T00:00:00Z" },
    /* 1/10: the 1st, 11th, 21st... minute (the EventBridge example). */
    { "cron(1/10 * * * ? *)", NULL, "2026-01-15T09:01:00Z", "2026-01-15T09:11:00Z" },
    { "cron(1/10 * * * ? *)", NULL, "2026-01-15T09:51:00Z", "2026-01-15T10:01:00Z" },
    { "cron(10-50/10 8 * * ? *)", NULL, "2026-01-15T08:40:00Z", "2026-01-15T08:50:00Z" },
    { "cron(10-50/10 8 * * ? *)", NULL, "2026-01-15T08:50:00Z", "2026-01-16T08:10:00Z" },
    { "cron(5,35 14 * * ? *)", NULL, "2026-01-15T14:05:00Z", "2026-01-15T14:35:00Z" },
    { "cron(0 9-17 * * ? *)", NULL, "2026-01-15T17:00:00Z", "2026-01-16T09:00:00Z" },
    { "cron(0 1,3-5,23 * * ? *)", NULL, "2026-01-15T05:00:00Z", "2026-01-15T23:00:00Z" },
    /* A range that wraps past midnight (the EventBridge example
     * 0/30 20-2 ? * MON-FRI): 2026-01-16 is a Friday; Saturday 00:00 is not
     * a weekday, so after Friday's evening the next is Monday 00:00. */
    { "cron(0/30 20-2 ? * MON-FRI *)", NULL, "2026-01-16T02:30:00Z", "2026-01-16T20:00:00Z" },
    { "cron(0/30 20-2 ? * MON-FRI *)", NULL, "2026-01-16T23:30:00Z", "2026-01-19T00:00:00Z" },
    { "cron(0/30 20-2 ? * MON-FRI *)", NULL, "2026-01-19T02:00:00Z", "2026-01-19T02:30:00Z" },
    { "cron(0/30 20-2 ? * MON-FRI *)", NULL, "2026-01-19T02:30:00Z", "2026-01-19T20:00:00Z" },
    /* Day-of-month steps: 1, 11, 21, 31. */
    { "cron(0 0 */10 * ? *)", NULL, "2026-01-21T00:00:00Z", "2026-01-31T00:00:00Z" },
    { "cron(0 0 */10 * ? *)", NULL, "2026-01-31T00:00:00Z", "2026-02-01T00:00:00Z" },
    /* A day not in every month: the 31st skips 30-day months. */
    { "cron(0 0 31 * ? *)", NULL, "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z" },
    /* Month steps and a wrapping month range. */
    { "cron(0 0 1 1/3 ? *)", NULL, "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z" },
    { "cron(0 0 1 NOV-FEB ? *)", NULL, "2026-02-01T00:00:00Z", "2026-11-01T00:00:00Z" },
    { "cron(0 0 1 NOV-FEB ? *)", NULL, "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z" },
    /* Day-of-week step: SUN, TUE, THU, SAT. 2026-01-15 is a Thursday. */
    { "cron(0 0 ? * 1/2 *)", NULL, "2026-01-15T00:00:00Z", "2026-01-17T00:00:00Z" },
  };
  check_next (cases, G_N_ELEMENTS (cases));
}

static void
test_cron_names (void)
{
  static const NextCase cases[] = {
    /* 2026-01-16 is a Friday, 2026-01-19 a Monday. */
    { "cron(0 18 ? * MON-FRI *)", NULL, "2026-01-16T18:00:00Z", "2026-01-19T18:00:00Z" },
    { "cron(0 18 ? * mon-fri *)", NULL, "2026-01-16T18:00:00Z", "2026-01-19T18:00:00Z" },
    { "cron(0 18 ? * Mon-Fri *)", NULL, "2026-01-16T18:00:00Z", "2026-01-19T18:00:00Z" },
    /* Numbers count from 1 = SUN: 1-5 is Sunday to Thursday. */
    { "cron(0 10 ? * 1-5 *)", NULL, "2026-01-15T10:00:00Z", "2026-01-18T10:00:00Z" },
    { "cron(0 10 ? * 2-6 *)", NULL, "2026-01-15T10:00:00Z", "2026-01-16T10:00:00Z" },
    { "cron(0 12 ? * FRI-MON *)", NULL, "2026-01-19T12:00:00Z", "2026-01-23T12:00:00Z" },
    { "cron(0 12 ? * SAT,SUN *)", NULL, "2026-01-15T12:00:00Z", "2026-01-17T12:00:00Z" },
    { "cron(0 0 1 jan,apr,jul,oct ? *)", NULL, "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z" },
    { "cron(0 0 1 JUL ? *)", NULL, "2026-07-01T00:00:00Z", "2027-07-01T00:00:00Z" },
    { "cron(0 0 1 DEC ? *)", NULL, "2026-06-01T00:00:00Z", "2026-12-01T00:00:00Z" },
  };
  check_next (cases, G_N_ELEMENTS (cases));
}

static void
test_cron_years (void)
{
  static const NextCase cases[] = {
    /* The EventBridge example: 10:15 on the last Friday, 2019 to 2022. */
    { "cron(15 10 ? * 6L 2019-2022)", NULL, "2022-11-01T00:00:00Z", "2022-11-25T10:15:00Z" },
    { "cron(15 10 ? * 6L 2019-2022)", NULL, "2022-12-30T10:15:00Z", NULL },
    { "cron(15 10 ? * 6L 2019-2022)", NULL, "2026-01-01T00:00:00Z", NULL },
    { "cron(15 10 ? * 6L 2019-2022)", NULL, "2010-01-01T00:00:00Z", "2019-01-25T10:15:00Z" },
    { "cron(0 0 1 1 ? 2030/5)", NULL, "2026-06-01T00:00:00Z", "2030-01-01T00:00:00Z" },
    { "cron(0 0 1 1 ? 2030/5)", NULL, "2030-01-01T00:00:00Z", "2035-01-01T00:00:00Z" },
    { "cron(0 0 1 1 ? 2027,2031)", NULL, "2027-01-01T00:00:00Z", "2031-01-01T00:00:00Z" },
    { "cron(0 12 * * ? 2026)", NULL, "2026-12-31T12:00:00Z", NULL },
    /* The last year the field allows. */
    { "cron(0 0 31 12 ? *)", NULL, "2199-12-30T00:00:00Z", "2199-12-31T00:00:00Z" },
    { "cron(0 0 31 12 ? *)", NULL, "2199-12-31T00:00:00Z", NULL },
    { "cron(0 0 * * ? *)", NULL, "2250-01-01T00:00:00Z", NULL },
    /* Feb 29 skips to the next leap year; 2100 is not one. */
    { "cron(0 0 29 2 ? *)", NULL, "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z" },
    { "cron(0 0 29 2 ? *)", NULL, "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z" },
    /* A day that never exists. */
    { "cron(0 0 30 2 ? *)", NULL, "2026-01-01T00:00:00Z", NULL },
    { "cron(0 0 31 4,6,9,11 ? *)", NULL, "2026-01-01T00:00:00Z", NULL },
  };
  check_next (cases, G_N_ELEMENTS (cases));
}

static void
test_cron_last_day (void)
{
  static const NextCase cases[] = {
    { "cron(0 0 L * ? *)", NULL, "2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z" },
    { "cron(0 0 L * ? *)", NULL, "2026-02-01T00:00:00Z", "2026-02-28T00:00:00Z" },
    { "cron(0 0 L * ? *)", NULL, "2028-02-01T00:00:00Z", "2028-02-29T00:00:00Z" },
    { "cron(0 0 L * ? *)", NULL, "2100-02-01T00:00:00Z", "2100-02-28T00:00:00Z" },
    { "cron(0 0 L * ? *)", NULL, "2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z" },
    { "cron(0 0 L * ? *)", NULL, "2026-04-01T00:00:00Z", "2026-04-30T00:00:00Z" },
    { "cron(30 23 l FEB ? *)", NULL, "2027-03-01T00:00:00Z", "2028-02-29T23:30:00Z" },
    /* L alone in day-of-week: Saturday. 2026-01-15 is a Thursday. */
    { "cron(0 0 ? * L *)", NULL, "2026-01-15T00:00:00Z", "2026-01-17T00:00:00Z" },
    /* nL: the last Friday. January 2026: 2, 9, 16, 23, 30; February: 6, 13,
     * 20, 27. */
    { "cron(15 10 ? * 6L *)", NULL, "2026-01-01T00:00:00Z", "2026-01-30T10:15:00Z" },
    { "cron(15 10 ? * 6L *)", NULL, "2026-01-30T10:15:00Z", "2026-02-27T10:15:00Z" },
    { "cron(0 0 ? * FRIL *)", NULL, "2026-01-01T00:00:00Z", "2026-01-30T00:00:00Z" },
    /* Last Sunday of March 2026 (Europe's DST day): the 29th. */
    { "cron(0 0 ? 3 1L *)", NULL, "2026-01-01T00:00:00Z", "2026-03-29T00:00:00Z" },
  };
  check_next (cases, G_N_ELEMENTS (cases));
}

static void
test_cron_nearest_weekday (void)
{
  static const NextCase cases[] = {
    /* 2026-08-01 is a Saturday: 1W is Monday the 3rd, not July 31st. */
    { "cron(0 9 1W * ? *)", NULL, "2026-07-15T00:00:00Z", "2026-08-03T09:00:00Z" },
    /* 2026-02-01 is a Sunday: Monday the 2nd. */
    { "cron(0 9 1W * ? *)", NULL, "2026-01-15T00:00:00Z", "2026-02-02T09:00:00Z" },
    /* 2026-05-31 is a Sunday: Friday the 29th, not June 1st. */
    { "cron(0 9 31W * ? *)", NULL, "2026-05-01T00:00:00Z", "2026-05-29T09:00:00Z" },
    /* ... then June has no 31st; July 31st 2026 is a Friday. */
    { "cron(0 9 31W * ? *)", NULL, "2026-05-29T09:00:00Z", "2026-07-31T09:00:00Z" },
    /* 2028-04-30, the last day of a 30-day month, is a Sunday: Friday the
     * 28th. */
    { "cron(0 9 30W 4 ? *)", NULL, "2028-01-01T00:00:00Z", "2028-04-28T09:00:00Z" },
    /* Already a weekday: 2026-01-15 is a Thursday. */
    { "cron(0 9 15W * ? *)", NULL, "2026-01-01T00:00:00Z", "2026-01-15T09:00:00Z" },
    /* 2026-08-15 is a Saturday: Friday the 14th; 2026-02-15 a Sunday:
     * Monday the 16th. */
    { "cron(0 9 15W 8 ? *)", NULL, "2026-08-01T00:00:00Z", "2026-08-14T09:00:00Z" },
    { "cron(0 9 15w 2 ? *)", NULL, "2026-02-01T00:00:00Z", "2026-02-16T09:00:00Z" },
    /* Not on the day itself when that is a weekend day. */
    { "cron(0 9 15W 8 ? *)", NULL, "2026-08-14T09:00:00Z", "2027-08-16T09:00:00Z" },
  };
  check_next (cases, G_N_ELEMENTS (cases));
}

static void
test_cron_nth_weekday (void)
{
  static const NextCase cases[] = {
    /* January 2026 Fridays: 2, 9, ...; Tuesdays: 6, 13, ... */
    { "cron(0 10 ? * FRI#2 *)", NULL, "2026-01-01T00:00:00Z", "2026-01-09T10:00:00Z" },
    { "cron(0 10 ? * fri#2 *)", NULL, "2026-01-09T10:00:00Z", "2026-02-13T10:00:00Z" },
    { "cron(30 22 ? * tue#2 *)", NULL, "2026-01-01T00:00:00Z", "2026-01-13T22:30:00Z" },
    { "cron(30 22 ? * 3#2 *)", NULL, "2026-01-01T00:00:00Z", "2026-01-13T22:30:00Z" },
    { "cron(0 0 ? * SUN#1 *)", NULL, "2026-01-05T00:00:00Z", "2026-02-01T00:00:00Z" },
    /* MON#5: January and February 2026 have four Mondays; March has five
     * (2, 9, 16, 23, 30). */
    { "cron(0 10 ? * MON#5 *)", NULL, "2026-01-01T00:00:00Z", "2026-03-30T10:00:00Z" },
    { "cron(0 10 ? * 2#5 *)", NULL, "2026-01-01T00:00:00Z", "2026-03-30T10:00:00Z" },
  };
  check_next (cases, G_N_ELEMENTS (cases));
}

static void
test_cron_time_zones (void)
{
  static const NextCase cases[] = {
    /* No zone and Etc/UTC agree. */
    { "cron(0 9 * * ? *)", NULL, "2026-01-15T10:00:00+01:00", "2026-01-16T09:00:00Z" },
    { "cron(0 9 * * ? *)", "Etc/UTC", "2026-01-15T10:00:00+01:00", "2026-01-16T09:00:00Z" },
    /* Fields are wall-clock time in the zone. */
    { "cron(0 9 * * ? *)", "Asia/Tokyo", "2026-01-14T23:59:00Z", "2026-01-15T09:00:00+09:00" },
    { "cron(0 9 * * ? *)", "Asia/Tokyo", "2026-01-15T00:00:00Z", "2026-01-16T09:00:00+09:00" },
    /* ... including the day of the week: Sunday 22:00 UTC is Monday 07:00
     * in Tokyo. */
    { "cron(0 8 ? * MON *)", "Asia/Tokyo", "2026-01-18T22:00:00Z", "2026-01-19T08:00:00+09:00" },
    { "cron(0 8 ? * MON *)", NULL, "2026-01-18T22:00:00Z", "2026-01-19T08:00:00Z" },
    /* Summer and winter offsets. */
    { "cron(0 9 * * ? *)", "America/Los_Angeles", "2026-07-01T00:00:00Z",
      "2026-07-01T09:00:00-07:00" },
    { "cron(0 9 * * ? *)", "America/Los_Angeles", "2026-01-01T00:00:00Z",
      "2026-01-01T09:00:00-08:00" },
    { "cron(0 0 L * ? *)", "Europe/Berlin", "2026-01-30T23:30:00Z", "2026-02-28T00:00:00+01:00" },
  };
  check_next (cases, G_N_ELEMENTS (cases));
}

static void
test_cron_dst_spring_forward_gap (void)
{
  static const NextCase cases[] = {
    /* Los Angeles, 2026-03-08: 02:00 PST becomes 03:00 PDT. 02:30 does not
     * exist that day, so it does not fire (EventBridge Scheduler). */
    { "cron(30 2 * * ? *)", "America/Los_Angeles", "2026-03-07T02:30:00-08:00",
      "2026-03-09T02:30:00-07:00" },
    { "cron(0 2 * * ? *)", "America/Los_Angeles", "2026-03-07T12:00:00-08:00",
      "2026-03-09T02:00:00-07:00" },
    { "cron(0/15 * * * ? *)", "America/Los_Angeles", "2026-03-08T01:45:00-08:00",
      "2026-03-08T03:00:00-07:00" },
    { "cron(59 1 * * ? *)", "America/Los_Angeles", "2026-03-07T12:00:00-08:00",
      "2026-03-08T01:59:00-08:00" },
    { "cron(0 3 * * ? *)", "America/Los_Angeles", "2026-03-07T12:00:00-08:00",
      "2026-03-08T03:00:00-07:00" },
    /* Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST. */
    { "cron(30 2 * * ? *)", "Europe/Berlin", "2026-03-28T03:00:00+01:00",
      "2026-03-30T02:30:00+02:00" },
    { "cron(0 * * * ? *)", "Europe/Berlin", "2026-03-29T01:00:00+01:00",
      "2026-03-29T03:00:00+02:00" },
    /* 02:30 on the last Sunday of March is in Europe's gap every year: it
     * never fires. */
    { "cron(30 2 ? 3 1L *)", "Europe/Berlin", "2026-01-01T00:00:00Z", NULL },
    { "cron(30 2 ? 3 1L *)", NULL, "2026-01-01T00:00:00Z", "2026-03-29T02:30:00Z" },
    /* Far future: the zone's rule still applies (2100-03-14). */
    { "cron(30 2 * * ? *)", "America/Los_Angeles", "2100-03-13T12:00:00-08:00",
      "2100-03-15T02:30:00-07:00" },
  };
  check_next (cases, G_N_ELEMENTS (cases));
}

static void
test_cron_dst_fall_back_repeat (void)
{
  static const NextCase cases[] = {
    /* Los Angeles, 2026-11-01: 02:00 PDT becomes 01:00 PST; 01:00-01:59
     * happens twice and fires once, the first time (PDT). */
    { "cron(30 1 * * ? *)", "America/Los_Angeles", "2026-10-31T12:00:00-07:00",
      "2026-11-01T01:30:00-07:00" },
    { "cron(30 1 * * ? *)", "America/Los_Angeles", "2026-11-01T01:30:00-07:00",
      "2026-11-02T01:30:00-08:00" },
    { "cron(0/30 * * * ? *)", "America/Los_Angeles", "2026-11-01T01:00:00-07:00",
      "2026-11-01T01:30:00-07:00" },
    { "cron(0/30 * * * ? *)", "America/Los_Angeles", "2026-11-01T01:30:00-07:00",
      "2026-11-01T02:00:00-08:00" },
    /* From inside the second pass, the repeated minutes have fired. */
    { "cron(0/30 * * * ? *)", "America/Los_Angeles", "2026-11-01T01:10:00-08:00",
      "2026-11-01T02:00:00-08:00" },
    { "cron(* * * * ? *)", "America/Los_Angeles", "2026-11-01T01:59:00-07:00",
      "2026-11-01T02:00:00-08:00" },
    /* Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET. */
    { "cron(30 2 * * ? *)", "Europe/Berlin", "2026-10-24T12:00:00+02:00",
      "2026-10-25T02:30:00+02:00" },
    { "cron(30 2 * * ? *)", "Europe/Berlin", "2026-10-25T02:30:00+02:00",
      "2026-10-26T02:30:00+01:00" },
    { "cron(0 * * * ? *)", "Europe/Berlin", "2026-10-25T02:00:00+02:00",
      "2026-10-25T03:00:00+01:00" },
  };
  check_next (cases, G_N_ELEMENTS (cases));
}

/* Walking a year of an every-15-minutes schedule with ams_cron_next: in
 * UTC every step is 15 minutes; in Los Angeles the spring day loses the four
 * quarter hours of its gap (01:45 PST to 03:00 PDT is still 15 real
 * minutes) and the autumn day fires its repeated hour once (01:45 PDT to
 * 02:00 PST is 75 minutes). */
static void
test_cron_walk_is_regular (void)
{
  g_autoptr (AmsCron) c = ams_cron_parse ("cron(0/15 * * * ? 2026)", NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (c);
  g_autoptr (GTimeZone) la = g_time_zone_new_identifier ("America/Los_Angeles");
  g_assert (la != NULL);

  guint n_utc = 0, n_la = 0, irregular = 0;
  for (AmsTime t = ams_cron_next (c, iso ("2025-12-31T23:59:00Z"), NULL), prev = 0;
       t != AMS_TIME_NEVER; prev = t, t = ams_cron_next (c, t, NULL))
    {
      if (prev != 0)
        CU_ASSERT_EQUAL (t - prev, AMS_MINUTES (15));
      n_utc++;
    }
  CU_ASSERT_EQUAL (n_utc, 365 * 96);

  for (AmsTime t = ams_cron_next (c, iso ("2025-12-31T23:59:00-08:00"), la), prev = 0;
       t != AMS_TIME_NEVER; prev = t, t = ams_cron_next (c, t, la))
    {
      if (prev != 0 && t - prev != AMS_MINUTES (15))
        irregular++;
      n_la++;
    }
  CU_ASSERT_EQUAL (n_la, 365 * 96 - 4);
  CU_ASSERT_EQUAL (irregular, 1);
}

/* The ends of AmsTime: from the earliest instant the first fire is the
 * first minute of 1970 (local), from the latest there is none. */
static void
test_cron_extreme_instants (void)
{
  g_autoptr (AmsCron) c = ams_cron_parse ("cron(0 0 * * ? *)", NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (c);
  g_autoptr (GTimeZone) la = g_time_zone_new_identifier ("America/Los_Angeles");
  g_assert (la != NULL);
  CU_ASSERT_EQUAL (ams_cron_next (c, G_MININT64, NULL), iso ("1970-01-01T00:00:00Z"));
  CU_ASSERT_EQUAL (ams_cron_next (c, G_MININT64, la), iso ("1970-01-01T00:00:00-08:00"));
  CU_ASSERT_EQUAL (ams_cron_next (c, AMS_TIME_NEVER - 1, NULL), AMS_TIME_NEVER);
  CU_ASSERT_EQUAL (ams_cron_next (c, AMS_TIME_NEVER, la), AMS_TIME_NEVER);
  CU_ASSERT_EQUAL (ams_cron_next (c, iso ("2199-12-31T00:00:00-08:00"), la), AMS_TIME_NEVER);
}

typedef struct
{
  const char *expression;
  const char *message;
} ErrorCase;

static void
test_cron_parse_errors (void)
{
  static const ErrorCase cases[] = {
    /* The wrapper and the spacing. */
    { "0 10 * * ? *",
      "expected cron(minute hour day-of-month month day-of-week year), got '0 10 * * ? *'" },
    { "cron(0 10 * * ? *",
      "expected cron(minute hour day-of-month month day-of-week year), got 'cron(0 10 * * ? *'" },
    { "CRON(0 10 * * ? *)",
      "expected cron(minute hour day-of-month month day-of-week year), got 'CRON(0 10 * * ? *)'" },
    { "rate(1 day)",
      "expected cron(minute hour day-of-month month day-of-week year), got 'rate(1 day)'" },
    { "", "expected cron(minute hour day-of-month month day-of-week year), got ''" },
    { " cron(0 10 * * ? *)",
      "leading or trailing spaces are not allowed, got ' cron(0 10 * * ? *)'" },
    { "cron(0 10 * * ? *) ",
      "leading or trailing spaces are not allowed, got 'cron(0 10 * * ? *) '" },
    { "cron( 0 10 * * ? *)",
      "leading or trailing spaces are not allowed, got 'cron( 0 10 * * ? *)'" },
    { "cron(0 10 * * ? * )",
      "leading or trailing spaces are not allowed, got 'cron(0 10 * * ? * )'" },
    { "cron(0  10 * * ? *)",
      "fields must be separated by single spaces, got 'cron(0  10 * * ? *)'" },
    { "cron(0\t10 * * ? *)",
      "fields must be separated by single spaces, got 'cron(0\t10 * * ? *)'" },
    /* The number of fields. */
    { "cron(0 10 * * ?)",
      "expected 6 fields (minute hour day-of-month month day-of-week year), got 5" },
    { "cron(0 0 10 * * ? *)",
      "expected 6 fields (minute hour day-of-month month day-of-week year), got 7" },
    { "cron()", "expected 6 fields (minute hour day-of-month month day-of-week year), got 0" },
    /* The two day fields. */
    { "cron(0 10 * * * *)",
      "day-of-month and day-of-week cannot both be specified: one of them must be ?" },
    { "cron(0 10 1 * MON *)",
      "day-of-month and day-of-week cannot both be specified: one of them must be ?" },
    { "cron(0 10 ? * ? *)",
      "day-of-month and day-of-week cannot both be ?: one of them must have a value or *" },
    { "cron(0 10 ?,1 * ? *)", "day-of-month: '?' must stand alone, got '?,1'" },
    { "cron(? 10 * * ? *)",
      "minute: '?' is allowed only in day-of-month and day-of-week, got '?'" },
    { "cron(0 10 * ? ? *)",
      "month: '?' is allowed only in day-of-month and day-of-week, got '?'" },
    /* Values out of range, bad names. */
    { "cron(60 10 * * ? *)", "minute: value must be 0 to 59, got '60'" },
    { "cron(0 24 * * ? *)", "hour: value must be 0 to 23, got '24'" },
    { "cron(0 -1 * * ? *)", "hour: value must be 0 to 23, got '-1'" },
    { "cron(0 0 0 * ? *)", "day-of-month: value must be 1 to 31, got '0'" },
    { "cron(0 0 32 * ? *)", "day-of-month: value must be 1 to 31, got '32'" },
    { "cron(0 0 1-40 * ? *)", "day-of-month: value must be 1 to 31, got '1-40'" },
    { "cron(0 0 1 13 ? *)", "month: value must be 1 to 12 or JAN to DEC, got '13'" },
    { "cron(0 0 1 JANUARY ? *)", "month: value must be 1 to 12 or JAN to DEC, got 'JANUARY'" },
    { "cron(0 0 1 JAN-XYZ ? *)", "month: value must be 1 to 12 or JAN to DEC, got 'JAN-XYZ'" },
    { "cron(0 0 ? * 0 *)", "day-of-week: value must be 1 to 7 or SUN to SAT, got '0'" },
    { "cron(0 0 ? * 8 *)", "day-of-week: value must be 1 to 7 or SUN to SAT, got '8'" },
    { "cron(0 0 ? * FOO *)", "day-of-week: value must be 1 to 7 or SUN to SAT, got 'FOO'" },
    { "cron(0 0 1 1 ? 1969)", "year: value must be 1970 to 2199, got '1969'" },
    { "cron(0 0 1 1 ? 2200)", "year: value must be 1970 to 2199, got '2200'" },
    { "cron(0 0 1 1 ? 99999999999)", "year: value must be 1970 to 2199, got '99999999999'" },
    { "cron(0 x * * ? *)", "hour: value must be 0 to 23, got 'x'" },
    { "cron(0 0 1 1,,2 ? *)", "month: empty value in a list, got '1,,2'" },
    { "cron(0 0 1 1, ? *)", "month: empty value in a list, got '1,'" },
    /* Ranges and steps. */
    { "cron(0 0 1 1 ? 2030-2020)", "year: a range must not run backwards, got '2030-2020'" },
    { "cron(0/0 * * * ? *)", "minute: step must be 1 to 59, got '0/0'" },
    { "cron(*/60 * * * ? *)", "minute: step must be 1 to 59, got '*/60'" },
    { "cron(0/x * * * ? *)", "minute: step must be 1 to 59, got '0/x'" },
    { "cron(0/ * * * ? *)", "minute: step must be 1 to 59, got '0/'" },
    { "cron(0/5/5 * * * ? *)", "minute: step must be 1 to 59, got '0/5/5'" },
    { "cron(0 */24 * * ? *)", "hour: step must be 1 to 23, got '*/24'" },
    { "cron(0 0 ? * */7 *)", "day-of-week: step must be 1 to 6, got '*/7'" },
    { "cron(0 0 1 1 ? */300)", "year: step must be 1 to 229, got '*/300'" },
    /* '#'. */
    { "cron(0 0 ? * FRI#6 *)", "day-of-week: '#' must be followed by 1 to 5, got 'FRI#6'" },
    { "cron(0 0 ? * FRI#0 *)", "day-of-week: '#' must be followed by 1 to 5, got 'FRI#0'" },
    { "cron(0 0 ? * FRI# *)", "day-of-week: '#' must be followed by 1 to 5, got 'FRI#'" },
    { "cron(0 0 ? * FRI#12 *)", "day-of-week: '#' must be followed by 1 to 5, got 'FRI#12'" },
    { "cron(0 0 ? * 8#2 *)", "day-of-week: value must be 1 to 7 or SUN to SAT, got '8#2'" },
    { "cron(0 0 ? * #2 *)", "day-of-week: '#' must follow a single day, got '#2'" },
    { "cron(0 0 ? * MON-FRI#2 *)", "day-of-week: '#' must follow a single day, got 'MON-FRI#2'" },
    { "cron(0 0 ? * FRI#2,MON *)",
      "day-of-week: '#' cannot be combined with other values, got 'FRI#2,MON'" },
    { "cron(0 0 ? * 3#1,6#3 *)",
      "day-of-week: '#' cannot be combined with other values, got '3#1,6#3'" },
    { "cron(0 0 ? * sat#2,4 *)",
      "day-of-week: '#' cannot be combined with other values, got 'sat#2,4'" },
    { "cron(0 0 1#2 * ? *)", "day-of-month: '#' is allowed only in day-of-week, got '1#2'" },
    { "cron(0 0 1 1#2 ? *)", "month: '#' is allowed only in day-of-week, got '1#2'" },
    /* 'W'. */
    { "cron(0 0 ? * 5W *)", "day-of-week: 'W' is allowed only in day-of-month, got '5W'" },
    { "cron(0 5W * * ? *)", "hour: 'W' is allowed only in day-of-month, got '5W'" },
    { "cron(0 0 W * ? *)", "day-of-month: 'W' must follow a single day, got 'W'" },
    { "cron(0 0 1-5W * ? *)", "day-of-month: 'W' must follow a single day, got '1-5W'" },
    { "cron(0 0 32W * ? *)", "day-of-month: value must be 1 to 31, got '32W'" },
    { "cron(0 0 15W,20 * ? *)",
      "day-of-month: 'W' cannot be combined with other values, got '15W,20'" },
    /* 'L'. */
    { "cron(0 L * * ? *)", "hour: 'L' is allowed only in day-of-month and day-of-week, got 'L'" },
    { "cron(0 0 1 L ? *)", "month: 'L' is allowed only in day-of-month and day-of-week, got 'L'" },
    { "cron(0 0 1 1 ? 2030L)",
      "year: 'L' is allowed only in day-of-month and day-of-week, got '2030L'" },
    { "cron(0 0 L-3 * ? *)",
      "day-of-month: 'L' must stand alone (L-n and LW are not supported), got 'L-3'" },
    { "cron(0 0 LW * ? *)",
      "day-of-month: 'L' must stand alone (L-n and LW are not supported), got 'LW'" },
    { "cron(0 0 5L * ? *)",
      "day-of-month: 'L' must stand alone (L-n and LW are not supported), got '5L'" },
    { "cron(0 0 1,L * ? *)", "day-of-month: 'L' cannot be combined with other values, got '1,L'" },
    { "cron(0 0 ? * 6L,2 *)", "day-of-week: 'L' cannot be combined with other values, got '6L,2'" },
    { "cron(0 0 ? * 8L *)", "day-of-week: value must be 1 to 7 or SUN to SAT, got '8L'" },
    { "cron(0 0 ? * L5 *)", "day-of-week: 'L' must follow a day (6L) or stand alone, got 'L5'" },
    { "cron(0 0 ? * 2-6L *)", "day-of-week: 'L' must follow a single day, got '2-6L'" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AmsCron) c = ams_cron_parse (cases[i].expression, &error);
      CU_ASSERT_PTR_NULL (c);
      if (error == NULL)
        {
          printf ("\n  '%s': parsed, expected: %s\n", cases[i].expression, cases[i].message);
          CU_FAIL ("no error");
          continue;
        }
      CU_ASSERT_TRUE (g_error_matches (error, AMS_CRON_ERROR, AMS_CRON_ERROR_INVALID));
      if (g_strcmp0 (error->message, cases[i].message) != 0)
        printf ("\n  '%s':\n    expected: %s\n    got:      %s\n", cases[i].expression,
                cases[i].message, error->message);
      CU_ASSERT_STRING_EQUAL (error->message, cases[i].message);
    }
}

static void
test_cron_text_and_free (void)
{
  g_autoptr (GError) error = NULL;
  AmsCron *c = ams_cron_parse ("cron(0 10 ? * tue#2 *)", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (c);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_STRING_EQUAL (ams_cron_text (c), "cron(0 10 ? * tue#2 *)");
  ams_cron_free (c);
  ams_cron_free (NULL);
}

static const AmsTestCase cases[] = {
  { "test_cron_plain_fields", test_cron_plain_fields },
  { "test_cron_steps_ranges_lists", test_cron_steps_ranges_lists },
  { "test_cron_names", test_cron_names },
  { "test_cron_years", test_cron_years },
  { "test_cron_last_day", test_cron_last_day },
  { "test_cron_nearest_weekday", test_cron_nearest_weekday },
  { "test_cron_nth_weekday", test_cron_nth_weekday },
  { "test_cron_time_zones", test_cron_time_zones },
  { "test_cron_dst_spring_forward_gap", test_cron_dst_spring_forward_gap },
  { "test_cron_dst_fall_back_repeat", test_cron_dst_fall_back_repeat },
  { "test_cron_walk_is_regular", test_cron_walk_is_regular },
  { "test_cron_extreme_instants", test_cron_extreme_instants },
  { "test_cron_parse_errors", test_cron_parse_errors },
  { "test_cron_text_and_free", test_cron_text_and_free },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("cron", cases);
}
