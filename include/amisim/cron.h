/* amisim — AWS cron schedules of image pipelines (DOMAIN.md §3).
 *
 * Parses the schedule expressions of EC2 Image Builder,
 *   cron(minute hour day-of-month month day-of-week year)
 * and finds the next instant at which one fires, its fields read as
 * wall-clock time in the pipeline's IANA time zone (UTC by default).
 *
 * The syntax is the one the Image Builder and EventBridge documentation
 * give (docs.aws.amazon.com/imagebuilder/latest/userguide/cron-expressions.html,
 * docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html):
 *
 *   field         values                      wildcards
 *   minute        0-59                        , - * /
 *   hour          0-23                        , - * /
 *   day-of-month  1-31                        , - * / ? L W
 *   month         1-12 or JAN-DEC             , - * /
 *   day-of-week   1-7 (1 = SUN) or SUN-SAT    , - * ? L #
 *   year          1970-2199                   , - * /
 *
 * Six fields separated by single spaces inside "cron(" and ")", with no
 * leading or trailing spaces; names are case-insensitive. Exactly one of
 * day-of-month and day-of-week is ?. A range may wrap (hours 20-2 is 20..23
 * and 0..2, as in the EventBridge examples), except in the year field. A
 * step a/n or a-b/n counts from a (1/10 is minutes 1, 11, 21 ...); n is 1
 * up to the field's max - min (59 for minutes). L alone in day-of-week is
 * an ordinary value and may sit in a list.
 *
 * The special forms, and the choices where the documentation is silent or
 * contradicts itself:
 *   L   in day-of-month: the last day of the month. L-n and LW (Quartz
 *       forms) are not documented by AWS and are rejected.
 *   nW  in day-of-month: the weekday (Monday to Friday) nearest day n,
 *       never crossing into another month: 1W when the 1st is a Saturday is
 *       Monday the 3rd; 31W when the 31st is a Sunday is Friday the 29th.
 *       In a month without day n (31W in April) it does not fire.
 *   nL  in day-of-week: the last day n of the month (6L = last Friday, the
 *       EventBridge example). L alone is the last day of the week,
 *       Saturday (7): EventBridge says "last day of the week" with 1 = SUN;
 *       the Image Builder page's "Sunday" dates from a version of that page
 *       that listed the days mon-sun.
 *   d#k in day-of-week: the k-th (1 to 5) day d of the month; a month
 *       without a fifth d is skipped.
 * L and nW in day-of-month, and nL and d#k in day-of-week, must be the
 * whole field: EventBridge documents that a '#' expression stands alone
 * ("3#1,6#3" is invalid), and Quartz, whose syntax this is, imposes the same
 * on L and W. (The Image Builder page's "sat#2,4" example is rejected.)
 *
 * Time zones and daylight saving time, as EventBridge Scheduler documents
 * them (docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html,
 * "Daylight savings time"; Image Builder documents nothing of its own):
 * a local time that does not exist because clocks spring forward is
 * skipped (cron(30 2 * * ? *) in America/Los_Angeles does not fire on the
 * day DST starts); a local time that occurs twice because clocks fall back
 * fires once, at its first occurrence (still on daylight time).
 *
 * Resolution is the minute, so the documented rule "expressions firing
 * more often than once per minute are not supported" holds by construction.
 * Offset changes less than about a day apart are assumed not to occur
 * (no zone of the tz database has two within 52 hours, 1970 to 2040).
 */
#pragma once

#include <glib.h>
#include "amisim/time.h"

G_BEGIN_DECLS

#define AMS_CRON_ERROR (ams_cron_error_quark ())
GQuark ams_cron_error_quark (void);
typedef enum
{
  AMS_CRON_ERROR_INVALID, /* the expression does not follow the syntax */
} AmsCronError;

typedef struct AmsCron AmsCron;

/* Parses an Image Builder schedule expression "cron(min hour day month dow
 * year)". On error returns NULL and sets `error` (AMS_CRON_ERROR_INVALID)
 * to a message that names the field and the problem, without a position
 * ("day-of-week: '#' must be followed by 1 to 5, got 'FRI#6'"); the caller
 * adds file:line:col. Free the result with ams_cron_free. */
AmsCron *ams_cron_parse (const char *expression, GError **error);

void ams_cron_free (AmsCron *c); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsCron, ams_cron_free)

/* The first instant strictly after `after` (µs since the Unix epoch) at
 * which `c` fires, its fields read as wall-clock time in `tz` (NULL = UTC;
 * borrowed), following the DST rules above. Always a whole minute.
 * AMS_TIME_NEVER when there is no later match (its years are exhausted, or
 * it names a day that never exists such as 30 FEB). */
AmsTime ams_cron_next (const AmsCron *c, AmsTime after, GTimeZone *tz);

/* The expression as given (borrowed; for messages). */
const char *ams_cron_text (const AmsCron *c);

G_END_DECLS
