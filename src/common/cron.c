/* amisim — AWS cron schedules of image pipelines.
 *
 * Parsing turns each field into a bit set of the values it allows, plus,
 * for the two day fields, one of the special forms (L, nW, nL, d#k) that
 * depend on the month and so cannot be a fixed set. Finding the next fire
 * walks the calendar from the start: years, then months, then days, then
 * hours and minutes, skipping a whole unit as soon as its field rules it
 * out, so a Feb 29 schedule costs a few dozen month checks, not millions
 * of minutes. The walk is over local wall-clock time (seconds since the
 * epoch as if the zone were UTC); each local match is then mapped to the
 * earliest instant that shows that wall-clock time, which gives the
 * EventBridge Scheduler DST behaviour described in cron.h: no instant (a
 * spring-forward gap) skips the match, two instants (fall back) fire once.
 */
#include "amisim/cron.h"

#include <string.h>

G_DEFINE_QUARK (ams-cron-error-quark, ams_cron_error)

typedef enum
{
  FIELD_MINUTE,
  FIELD_HOUR,
  FIELD_DOM,
  FIELD_MONTH,
  FIELD_DOW,
  FIELD_YEAR,
  N_FIELDS,
} FieldId;

typedef struct
{
  const char *name;
  int min, max;
  const char *const *names; /* names of min..max, or NULL */
} FieldSpec;

static const char *const month_names[] = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                           "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };
static const char *const day_names[] = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };

static const FieldSpec fields[N_FIELDS] = {
  [FIELD_MINUTE] = { "minute", 0, 59, NULL },
  [FIELD_HOUR] = { "hour", 0, 23, NULL },
  [FIELD_DOM] = { "day-of-month", 1, 31, NULL },
  [FIELD_MONTH] = { "month", 1, 12, month_names },
  [FIELD_DOW] = { "day-of-week", 1, 7, day_names },
  [FIELD_YEAR] = { "year", 1970, 2199, NULL },
};

#define FIRST_YEAR 1970
#define LAST_YEAR 2199

/* One bit per allowed value, bit i for value min + i (the year field needs
 * 230 bits). */
typedef struct
{
  guint64 w[4];
} Bits;

static void
bits_add (Bits *b, int i)
{
  b->w[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
}

static gboolean
bits_has (const Bits *b, int i)
{
  return (b->w[i / 64] >> (i % 64)) & 1;
}

typedef enum
{
  DOM_ANY,             /* ?: the day-of-week field decides */
  DOM_SET,             /* the days in bits[FIELD_DOM] */
  DOM_LAST,            /* L */
  DOM_NEAREST_WEEKDAY, /* nW */
} DomKind;

typedef enum
{
  DOW_ANY,  /* ?: the day-of-month field decides */
  DOW_SET,  /* the days of the week in bits[FIELD_DOW] */
  DOW_LAST, /* nL: the last day n of the month */
  DOW_NTH,  /* d#k: the k-th day d of the month */
} DowKind;

struct AmsCron
{
  char *text;
  Bits bits[N_FIELDS];
  DomKind dom;
  int dom_day; /* DOM_NEAREST_WEEKDAY */
  DowKind dow;
  int dow_day; /* DOW_LAST, DOW_NTH: 1 = SUN .. 7 = SAT */
  int dow_nth; /* DOW_NTH: 1..5 */
};

static gboolean fail (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError **error, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AMS_CRON_ERROR, AMS_CRON_ERROR_INVALID, message);
  g_free (message);
  return FALSE;
}

static gboolean
fail_value (GError **error, FieldId f, const char *item)
{
  const FieldSpec *s = &fields[f];
  if (s->names != NULL)
    return fail (error, "%s: value must be %d to %d or %s to %s, got '%s'", s->name, s->min,
                 s->max, s->names[0], s->names[s->max - s->min], item);
  return fail (error, "%s: value must be %d to %d, got '%s'", s->name, s->min, s->max, item);
}

/* L, W or # where it does not belong: in a field that does not take it, or
 * after something other than a single day. */
static gboolean
fail_special (GError **error, FieldId f, char special, const char *item)
{
  const char *name = fields[f].name;
  switch (special)
    {
    case 'L':
      if (f == FIELD_DOM)
        return fail (error, "%s: 'L' must stand alone (L-n and LW are not supported), got '%s'",
                     name, item);
      if (f != FIELD_DOW)
        return fail (error, "%s: 'L' is allowed only in day-of-month and day-of-week, got '%s'",
                     name, item);
      break;
    case 'W':
      if (f != FIELD_DOM)
        return fail (error, "%s: 'W' is allowed only in day-of-month, got '%s'", name, item);
      break;
    default:
      if (f != FIELD_DOW)
        return fail (error, "%s: '#' is allowed only in day-of-week, got '%s'", name, item);
      break;
    }
  return fail (error, "%s: '%c' must follow a single day, got '%s'", name, special, item);
}

/* Reads a number, or in a field with names three letters naming a value
 * (any case). Out-of-range numbers are read (saturated) and left to the
 * caller to reject, so the message can quote the whole item. */
static gboolean
read_value (FieldId f, const char **p, int *value)
{
  const FieldSpec *s = &fields[f];
  const char *q = *p;
  if (g_ascii_isdigit (*q))
    {
      int v = 0;
      for (; g_ascii_isdigit (*q); q++)
        v = v > 100000 ? v : v * 10 + (*q - '0');
      *value = v;
      *p = q;
      return TRUE;
    }
  if (s->names != NULL)
    for (int i = 0; i <= s->max - s->min; i++)
      if (g_ascii_strncasecmp (q, s->names[i], 3) == 0)
        {
          *value = s->min + i;
          *p = q + 3;
          return TRUE;
        }
  return FALSE;
}

static gboolean
in_range (FieldId f, int v)
{
  return v >= fields[f].min && v <= fields[f].max;
}

/* Adds lo..hi (wrapping past max back to min when lo > hi) every `step`. */
static void
add_range (AmsCron *c, FieldId f, int lo, int hi, int step)
{
  const FieldSpec *s = &fields[f];
  int size = s->max - s->min + 1;
  int len = ((hi - lo) % size + size) % size + 1;
  for (int i = 0; i < len; i += step)
    bits_add (&c->bits[f], (lo - s->min + i) % size);
}

/* Parses one comma-separated item of field f into c. Sets *special to the
 * special character of a form that must be the whole field (L or nW in
 * day-of-month, nL or d#k in day-of-week), 0 otherwise. */
static gboolean
parse_item (AmsCron *c, FieldId f, const char *item, char *special, GError **error)
{
  const FieldSpec *s = &fields[f];
  const char *p = item;
  int lo, hi, step = 1;
  *special = 0;

  /* No month or day name starts with L, so a leading L is the wildcard. */
  if (g_ascii_toupper (*p) == 'L')
    {
      if (f == FIELD_DOM && p[1] == '\0')
        {
          c->dom = DOM_LAST;
          *special = 'L';
          return TRUE;
        }
      if (f == FIELD_DOW && p[1] == '\0')
        {
          /* The last day of the week: Saturday (see cron.h). */
          bits_add (&c->bits[f], 7 - s->min);
          return TRUE;
        }
      if (f == FIELD_DOW)
        return fail (error, "%s: 'L' must follow a day (6L) or stand alone, got '%s'", s->name,
                     item);
      return fail_special (error, f, 'L', item);
    }

  if (*p == '*')
    {
      p++;
      lo = s->min;
      hi = s->max;
    }
  else
    {
      if (!read_value (f, &p, &lo))
        {
          char first = (char) g_ascii_toupper (*p);
          if ((first == 'W' && p[1] == '\0') || first == '#')
            return fail_special (error, f, first, item);
          return fail_value (error, f, item);
        }
      if (!in_range (f, lo))
        return fail_value (error, f, item);
      hi = lo;
      char next = (char) g_ascii_toupper (*p);
      if (next == '-')
        {
          p++;
          if (!read_value (f, &p, &hi) || !in_range (f, hi))
            return fail_value (error, f, item);
          /* Other fields wrap around (hours 20-2, an EventBridge example);
           * years have nothing to wrap to. */
          if (f == FIELD_YEAR && hi < lo)
            return fail (error, "%s: a range must not run backwards, got '%s'", s->name, item);
        }
      else if (next == '/')
        hi = s->max; /* a/n: from a to the end of the field */
      else if (next == 'W' && f == FIELD_DOM && p[1] == '\0')
        {
          c->dom = DOM_NEAREST_WEEKDAY;
          c->dom_day = lo;
          *special = 'W';
          return TRUE;
        }
      else if (next == 'L' && f == FIELD_DOW && p[1] == '\0')
        {
          c->dow = DOW_LAST;
          c->dow_day = lo;
          *special = 'L';
          return TRUE;
        }
      else if (next == '#' && f == FIELD_DOW)
        {
          /* Exactly one digit 1-5 may follow. */
          if (p[1] < '1' || p[1] > '5' || p[2] != '\0')
            return fail (error, "%s: '#' must be followed by 1 to 5, got '%s'", s->name, item);
          c->dow = DOW_NTH;
          c->dow_day = lo;
          c->dow_nth = p[1] - '0';
          *special = '#';
          return TRUE;
        }
    }

  char next = (char) g_ascii_toupper (*p);
  if (next == '/')
    {
      p++;
      int limit = s->max - s->min;
      if (!g_ascii_isdigit (*p) || !read_value (f, &p, &step) || *p != '\0' || step < 1
          || step > limit)
        return fail (error, "%s: step must be 1 to %d, got '%s'", s->name, limit, item);
    }
  else if (next == 'W' || next == 'L' || next == '#')
    return fail_special (error, f, next, item);
  else if (next != '\0')
    return fail_value (error, f, item);

  add_range (c, f, lo, hi, step);
  return TRUE;
}

static gboolean
parse_field (AmsCron *c, FieldId f, const char *text, GError **error)
{
  const FieldSpec *s = &fields[f];
  if (strchr (text, '?') != NULL)
    {
      if (f != FIELD_DOM && f != FIELD_DOW)
        return fail (error, "%s: '?' is allowed only in day-of-month and day-of-week, got '%s'",
                     s->name, text);
      if (strcmp (text, "?") != 0)
        return fail (error, "%s: '?' must stand alone, got '%s'", s->name, text);
      if (f == FIELD_DOM)
        c->dom = DOM_ANY;
      else
        c->dow = DOW_ANY;
      return TRUE;
    }
  if (f == FIELD_DOM)
    c->dom = DOM_SET;
  else if (f == FIELD_DOW)
    c->dow = DOW_SET;

  g_auto (GStrv) items = g_strsplit (text, ",", -1);
  guint n = g_strv_length (items);
  for (guint i = 0; i < n; i++)
    {
      if (items[i][0] == '\0')
        return fail (error, "%s: empty value in a list, got '%s'", s->name, text);
      char special;
      if (!parse_item (c, f, items[i], &special, error))
        return FALSE;
      if (special != 0 && n > 1)
        return fail (error, "%s: '%c' cannot be combined with other values, got '%s'", s->name,
                     special, text);
    }
  return TRUE;
}

AmsCron *
ams_cron_parse (const char *expression, GError **error)
{
  g_return_val_if_fail (expression != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  static const char prefix[] = "cron(";
  size_t len = strlen (expression);
  if (len > 0 && (g_ascii_isspace (expression[0]) || g_ascii_isspace (expression[len - 1])))
    {
      fail (error, "leading or trailing spaces are not allowed, got '%s'", expression);
      return NULL;
    }
  if (len < sizeof prefix || strncmp (expression, prefix, sizeof prefix - 1) != 0
      || expression[len - 1] != ')')
    {
      fail (error, "expected cron(minute hour day-of-month month day-of-week year), got '%s'",
            expression);
      return NULL;
    }
  g_autofree char *inner = g_strndup (expression + sizeof prefix - 1, len - sizeof prefix);
  size_t inner_len = strlen (inner);
  if (inner_len > 0 && (g_ascii_isspace (inner[0]) || g_ascii_isspace (inner[inner_len - 1])))
    {
      fail (error, "leading or trailing spaces are not allowed, got '%s'", expression);
      return NULL;
    }
  for (const char *p = inner; *p != '\0'; p++)
    if ((g_ascii_isspace (*p) && *p != ' ') || (p[0] == ' ' && p[1] == ' '))
      {
        fail (error, "fields must be separated by single spaces, got '%s'", expression);
        return NULL;
      }

  g_auto (GStrv) parts = g_strsplit (inner, " ", -1);
  guint n = inner_len == 0 ? 0 : g_strv_length (parts);
  if (n != N_FIELDS)
    {
      fail (error, "expected 6 fields (minute hour day-of-month month day-of-week year), got %u",
            n);
      return NULL;
    }

  g_autoptr (AmsCron) c = g_new0 (AmsCron, 1);
  for (int f = 0; f < N_FIELDS; f++)
    if (!parse_field (c, (FieldId) f, parts[f], error))
      return NULL;

  if (c->dom != DOM_ANY && c->dow != DOW_ANY)
    {
      fail (error, "day-of-month and day-of-week cannot both be specified: one of them must be ?");
      return NULL;
    }
  if (c->dom == DOM_ANY && c->dow == DOW_ANY)
    {
      fail (error, "day-of-month and day-of-week cannot both be ?: one of them must have a value "
                   "or *");
      return NULL;
    }
  c->text = g_strdup (expression);
  return g_steal_pointer (&c);
}

void
ams_cron_free (AmsCron *c)
{
  if (c == NULL)
    return;
  g_free (c->text);
  g_free (c);
}

const char *
ams_cron_text (const AmsCron *c)
{
  g_return_val_if_fail (c != NULL, NULL);
  return c->text;
}

/* ---- calendar ---------------------------------------------------------- */

#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)
#define NO_MATCH G_MAXINT64

static gint64
floor_div (gint64 a, gint64 b)
{
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days since 1970-01-01 of a date (GDate counts from 0001-01-01). */
static gint64
epoch_day (int y, int m, int d)
{
  GDate date, epoch;
  g_date_clear (&date, 1);
  g_date_clear (&epoch, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  g_date_set_dmy (&epoch, 1, G_DATE_JANUARY, FIRST_YEAR);
  return (gint64) g_date_get_julian (&date) - (gint64) g_date_get_julian (&epoch);
}

/* 1 = SUN .. 7 = SAT, the numbering of the day-of-week field. */
static int
weekday (int y, int m, int d)
{
  GDate date;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return g_date_get_weekday (&date) % 7 + 1; /* GLib: MONDAY = 1 .. SUNDAY = 7 */
}

/* The day nW stands for in a month of `dim` days whose 1st is weekday w1:
 * n itself on a weekday, else the nearest weekday inside the month; 0 when
 * the month has no day n. */
static int
nearest_weekday (int n, int dim, int w1)
{
  if (n > dim)
    return 0;
  int w = (w1 - 1 + n - 1) % 7 + 1;
  if (w == 7) /* Saturday: Friday before, unless that is last month */
    return n > 1 ? n - 1 : n + 2;
  if (w == 1) /* Sunday: Monday after, unless that is next month */
    return n < dim ? n + 1 : n - 2;
  return n;
}

static gboolean
day_matches (const AmsCron *c, int d, int dim, int w1)
{
  switch (c->dom)
    {
    case DOM_SET:
      return bits_has (&c->bits[FIELD_DOM], d - 1);
    case DOM_LAST:
      return d == dim;
    case DOM_NEAREST_WEEKDAY:
      return d == nearest_weekday (c->dom_day, dim, w1);
    case DOM_ANY:
      break;
    }
  int w = (w1 - 1 + d - 1) % 7 + 1;
  switch (c->dow)
    {
    case DOW_SET:
      return bits_has (&c->bits[FIELD_DOW], w - 1);
    case DOW_LAST:
      return w == c->dow_day && d + 7 > dim;
    case DOW_NTH:
      return w == c->dow_day && (d - 1) / 7 + 1 == c->dow_nth;
    case DOW_ANY:
      break;
    }
  return FALSE; /* not reached: parsing leaves exactly one field at ? */
}

/* The first local wall-clock minute at or after `from` (seconds since the
 * epoch of local time read as UTC) that the expression matches, or NO_MATCH
 * when none is left before 2200. Nested loops from the year down: a unit
 * whose field does not allow it is skipped whole, and every unit below the
 * one that advanced restarts from its first value. */
static gint64
next_local (const AmsCron *c, gint64 from)
{
  if (from < 0)
    from = 0; /* the year field starts in 1970 */
  gint64 day0 = from / SECONDS_PER_DAY;
  if (day0 >= epoch_day (LAST_YEAR + 1, 1, 1))
    return NO_MATCH;
  int rest = (int) (from - day0 * SECONDS_PER_DAY);
  GDate start;
  g_date_clear (&start, 1);
  g_date_set_dmy (&start, 1, G_DATE_JANUARY, FIRST_YEAR);
  g_date_add_days (&start, (guint) day0);
  int y0 = g_date_get_year (&start), mo0 = g_date_get_month (&start);
  int d0 = g_date_get_day (&start), h0 = rest / 3600, mi0 = rest % 3600 / 60;

  for (int y = y0; y <= LAST_YEAR; y++)
    {
      gboolean same_y = y == y0;
      if (!bits_has (&c->bits[FIELD_YEAR], y - FIRST_YEAR))
        continue;
      for (int mo = same_y ? mo0 : 1; mo <= 12; mo++)
        {
          gboolean same_mo = same_y && mo == mo0;
          if (!bits_has (&c->bits[FIELD_MONTH], mo - 1))
            continue;
          int dim = g_date_get_days_in_month ((GDateMonth) mo, (GDateYear) y);
          int w1 = weekday (y, mo, 1);
          for (int d = same_mo ? d0 : 1; d <= dim; d++)
            {
              gboolean same_d = same_mo && d == d0;
              if (!day_matches (c, d, dim, w1))
                continue;
              for (int h = same_d ? h0 : 0; h <= 23; h++)
                {
                  gboolean same_h = same_d && h == h0;
                  if (!bits_has (&c->bits[FIELD_HOUR], h))
                    continue;
                  for (int mi = same_h ? mi0 : 0; mi <= 59; mi++)
                    if (bits_has (&c->bits[FIELD_MINUTE], mi))
                      return epoch_day (y, mo, d) * SECONDS_PER_DAY + h * 3600 + mi * 60;
                }
            }
        }
    }
  return NO_MATCH;
}

/* ---- time zones -------------------------------------------------------- */

static gint64
offset_at (GTimeZone *tz, gint64 utc)
{
  if (tz == NULL)
    return 0;
  return g_time_zone_get_offset (tz, g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, utc));
}

/* The earliest instant (UTC seconds) whose wall-clock time in tz is
 * `local`; FALSE when clocks skip over it. Any such instant u = local - o
 * lies within a day of `local` (offsets are under 26 h), so the offsets in
 * force there are the only candidates; probing both ends and the middle
 * finds them when transitions are more than a day apart. An offset o is
 * real when the zone agrees it is in force at local - o. */
static gboolean
first_instant (GTimeZone *tz, gint64 local, gint64 *utc)
{
  if (tz == NULL)
    {
      *utc = local;
      return TRUE;
    }
  const gint64 window = 26 * 3600;
  const gint64 probes[3] = { local - window, local, local + window };
  gboolean found = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      gint64 o = offset_at (tz, probes[i]);
      gint64 u = local - o;
      if (offset_at (tz, u) == o && (!found || u < *utc))
        {
          *utc = u;
          found = TRUE;
        }
    }
  return found;
}

AmsTime
ams_cron_next (const AmsCron *c, AmsTime after, GTimeZone *tz)
{
  g_return_val_if_fail (c != NULL, AMS_TIME_NEVER);

  gint64 after_s = floor_div (after, AMS_TICKS_PER_SECOND);
  /* Past the last year in every zone: nothing to look up. */
  if (after_s >= (epoch_day (LAST_YEAR + 1, 1, 1) + 1) * SECONDS_PER_DAY)
    return AMS_TIME_NEVER;

  /* Walk local time from the minute that contains `after`. A local minute
   * whose first instant is not later than `after` has fired already (or is
   * the minute of `after` itself); one that does not exist is skipped. In
   * both cases the walk resumes at the next minute. */
  gint64 from = floor_div (after_s + offset_at (tz, after_s), 60) * 60;
  for (;;)
    {
      gint64 local = next_local (c, from);
      if (local == NO_MATCH)
        return AMS_TIME_NEVER;
      gint64 utc;
      if (first_instant (tz, local, &utc) && utc * AMS_TICKS_PER_SECOND > after)
        return utc * AMS_TICKS_PER_SECOND;
      from = local + 60;
    }
}
