/* amisim — scenario loader: the scalar notations of SCENARIO.md §1.
 *
 * Durations (90s, 1h30m, 1.5h, 250ms), sizes (8GiB), rates (45/m),
 * throughputs (500MiB/s), ISO 8601 times and random quantities
 * (lognormal(mean=45m, sd=10m), …). Durations and sizes are converted
 * exactly, in integers: a decimal such as 1.5h is split into its integer
 * and fractional digits and scaled without floating point, so 0.1s is
 * exactly 100000 µs and anything finer than the unit of the result is an
 * error rather than a silent rounding. Every message says what was
 * expected and quotes what was found; the caller adds the position.
 */
#include <string.h>

#include "amisim/scenario.h"
#include "diag.h"
#include "units.h"

#define INVALID(...) \
  g_set_error (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_INVALID, __VA_ARGS__)

#define DURATION_EXPECTED "expected a duration like 90s, 25m or 1h30m"
#define SIZE_EXPECTED "expected a size like 8GiB or 500MiB"
#define RATE_EXPECTED "expected a rate like 45/m or 10/d (per s, m, h, d or w)"
#define THROUGHPUT_EXPECTED "expected a throughput like 500MiB/s"
#define TIME_EXPECTED "expected an ISO 8601 time like 2026-01-05T00:00:00Z"

typedef struct
{
  const char *name;
  guint64 factor;
} Unit;

/* Largest first: the order combinations must follow. */
static const Unit duration_units[] = {
  { "w", G_GUINT64_CONSTANT (604800000000) },
  { "d", G_GUINT64_CONSTANT (86400000000) },
  { "h", G_GUINT64_CONSTANT (3600000000) },
  { "m", G_GUINT64_CONSTANT (60000000) },
  { "s", G_GUINT64_CONSTANT (1000000) },
  { "ms", G_GUINT64_CONSTANT (1000) },
  { "us", 1 },
};
static const char *const duration_unit_names[] = { "w", "d", "h", "m", "s", "ms", "us" };

static const Unit size_units[] = {
  { "B", 1 },
  { "KiB", G_GUINT64_CONSTANT (1) << 10 },
  { "MiB", G_GUINT64_CONSTANT (1) << 20 },
  { "GiB", G_GUINT64_CONSTANT (1) << 30 },
  { "TiB", G_GUINT64_CONSTANT (1) << 40 },
  { "PiB", G_GUINT64_CONSTANT (1) << 50 },
  { "KB", G_GUINT64_CONSTANT (1000) },
  { "MB", G_GUINT64_CONSTANT (1000000) },
  { "GB", G_GUINT64_CONSTANT (1000000000) },
  { "TB", G_GUINT64_CONSTANT (1000000000000) },
  { "PB", G_GUINT64_CONSTANT (1000000000000000) },
};
static const char *const size_unit_names[] = {
  "B", "KiB", "MiB", "GiB", "TiB", "PiB", "KB", "MB", "GB", "TB", "PB",
};

static const Unit rate_units[] = {
  { "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 }, { "w", 604800 },
};
static const char *const rate_unit_names[] = { "s", "m", "h", "d", "w" };

/* ---- numbers ---- */

typedef struct
{
  guint64 ip;       /* integer part */
  guint64 frac;     /* fractional digits without trailing zeros, as an integer */
  guint nfrac;      /* how many of them; G_MAXUINT if more than 19 */
  gboolean overflow; /* integer part beyond 64 bits */
} Num;

/* Scans digits[.digits] at p. Returns the end, or NULL if p does not start
 * with a digit or a '.' is not followed by one. */
static const char *
scan_number (const char *p, Num *n)
{
  memset (n, 0, sizeof *n);
  if (!g_ascii_isdigit (*p))
    return NULL;
  for (; g_ascii_isdigit (*p); p++)
    {
      guint d = (guint) (*p - '0');
      if (n->ip > (G_MAXUINT64 - d) / 10)
        n->overflow = TRUE;
      else
        n->ip = n->ip * 10 + d;
    }
  if (*p != '.')
    return p;
  p++;
  if (!g_ascii_isdigit (*p))
    return NULL;
  const char *start = p, *last_nonzero = NULL;
  for (; g_ascii_isdigit (*p); p++)
    if (*p != '0')
      last_nonzero = p;
  if (last_nonzero != NULL)
    {
      gsize k = (gsize) (last_nonzero - start) + 1;
      if (k > 19)
        n->nfrac = G_MAXUINT;
      else
        {
          n->nfrac = (guint) k;
          for (gsize i = 0; i < k; i++)
            n->frac = n->frac * 10 + (guint64) (start[i] - '0');
        }
    }
  return p;
}

static double
num_value (const Num *n)
{
  double v = (double) n->ip;
  if (n->nfrac > 0 && n->nfrac != G_MAXUINT)
    {
      double scale = 1.0;
      for (guint i = 0; i < n->nfrac; i++)
        scale *= 10.0;
      v += (double) n->frac / scale;
    }
  return v;
}

static guint64
gcd64 (guint64 a, guint64 b)
{
  while (b != 0)
    {
      guint64 t = a % b;
      a = b;
      b = t;
    }
  return a;
}

typedef enum
{
  SCALE_OK,
  SCALE_INEXACT,  /* not a whole multiple of the smallest step */
  SCALE_OVERFLOW,
} ScaleResult;

/* n × factor exactly, as an integer. */
static ScaleResult
scale_exact (const Num *n, guint64 factor, guint64 *out)
{
  if (n->nfrac == G_MAXUINT)
    return SCALE_INEXACT;
  guint64 whole;
  if (n->overflow || !g_uint64_checked_mul (&whole, n->ip, factor))
    return SCALE_OVERFLOW;
  guint64 part = 0;
  if (n->nfrac > 0)
    {
      /* frac / 10^k × factor is whole iff (10^k / g) divides frac, with
       * g = gcd(factor, 10^k); then it is (frac / (10^k / g)) × (factor / g),
       * which is below factor and so cannot overflow. */
      guint64 pow10 = 1;
      for (guint i = 0; i < n->nfrac; i++)
        pow10 *= 10;
      guint64 g = gcd64 (factor, pow10);
      guint64 d = pow10 / g;
      if (n->frac % d != 0)
        return SCALE_INEXACT;
      part = (n->frac / d) * (factor / g);
    }
  if (!g_uint64_checked_add (out, whole, part))
    return SCALE_OVERFLOW;
  return SCALE_OK;
}

gboolean
ams_parse_plain_number (const char *text, double *out)
{
  Num n;
  const char *end = scan_number (text, &n);
  if (end == NULL || *end != '\0' || n.overflow)
    return FALSE;
  *out = num_value (&n);
  return TRUE;
}

static gboolean
is_unit_char (const char *p)
{
  /* letters, and µ (U+00B5, C2 B5) */
  return g_ascii_isalpha (*p) || ((guchar) p[0] == 0xC2 && (guchar) p[1] == 0xB5);
}

static const char *
scan_unit (const char *p)
{
  while (*p != '\0' && is_unit_char (p))
    p += g_ascii_isalpha (*p) ? 1 : 2;
  return p;
}

static int
find_unit (const Unit *units, guint n, const char *s, gsize len)
{
  for (guint i = 0; i < n; i++)
    if (strlen (units[i].name) == len && strncmp (units[i].name, s, len) == 0)
      return (int) i;
  if (len == 3 && strncmp (s, "\xC2\xB5s", 3) == 0 && units == duration_units)
    return G_N_ELEMENTS (duration_units) - 1; /* µs */
  return -1;
}

static void
unknown_unit (GError **error, const char *unit, gsize len, const char *text,
              const char *const *names, guint n)
{
  g_autofree char *u = g_strndup (unit, len);
  g_autoptr (GString) msg = g_string_new (NULL);
  g_string_printf (msg, "unknown unit '%s' in \"%s\"", u, text);
  ams_append_suggestion (msg, u, names, n, 20, NULL);
  INVALID ("%s", msg->str);
}

/* ---- durations ---- */

gboolean
ams_parse_duration (const char *text, AmsTime *out, GError **error)
{
  if (text[0] == '\0')
    {
      INVALID (DURATION_EXPECTED ", got an empty string");
      return FALSE;
    }
  if (text[0] == '-')
    {
      INVALID ("a duration cannot be negative, got \"%s\"", text);
      return FALSE;
    }
  if (strcmp (text, "0") == 0)
    {
      *out = 0;
      return TRUE;
    }
  guint64 total = 0;
  int last = -1;
  for (const char *p = text; *p != '\0';)
    {
      Num n;
      const char *q = scan_number (p, &n);
      if (q == NULL)
        {
          INVALID (DURATION_EXPECTED ", got \"%s\"", text);
          return FALSE;
        }
      const char *u = scan_unit (q);
      if (u == q)
        {
          if (*q == '\0')
            INVALID ("missing unit in \"%s\"; a duration needs one of w, d, h, m, s, ms, us "
                     "(as in 90s or 1h30m)", text);
          else
            INVALID (DURATION_EXPECTED ", got \"%s\"", text);
          return FALSE;
        }
      int k = find_unit (duration_units, G_N_ELEMENTS (duration_units), q, (gsize) (u - q));
      if (k < 0)
        {
          unknown_unit (error, q, (gsize) (u - q), text, duration_unit_names,
                        G_N_ELEMENTS (duration_unit_names));
          return FALSE;
        }
      if (k == last)
        {
          INVALID ("unit '%s' appears twice in \"%s\"", duration_units[k].name, text);
          return FALSE;
        }
      if (k < last)
        {
          INVALID ("units must go from largest to smallest (as in 1h30m), got \"%s\"", text);
          return FALSE;
        }
      last = k;
      guint64 part;
      switch (scale_exact (&n, duration_units[k].factor, &part))
        {
        case SCALE_INEXACT:
          INVALID ("\"%s\" is not a whole number of microseconds "
                   "(the smallest step is 1us)", text);
          return FALSE;
        case SCALE_OVERFLOW:
          INVALID ("\"%s\" is too long (the longest duration is 106751991d, about 292000 years)", text);
          return FALSE;
        case SCALE_OK:
        default:
          break;
        }
      if (!g_uint64_checked_add (&total, total, part) || total > (guint64) G_MAXINT64)
        {
          INVALID ("\"%s\" is too long (the longest duration is 106751991d, about 292000 years)", text);
          return FALSE;
        }
      p = u;
    }
  *out = (AmsTime) total;
  return TRUE;
}

char *
ams_format_duration (AmsTime t)
{
  if (t == 0)
    return g_strdup ("0s");
  GString *s = g_string_new (NULL);
  guint64 u;
  if (t < 0)
    {
      g_string_append_c (s, '-');
      u = (guint64) 0 - (guint64) t;
    }
  else
    u = (guint64) t;
  const guint64 day = duration_units[1].factor, hour = duration_units[2].factor,
                minute = duration_units[3].factor, second = duration_units[4].factor;
  guint64 d = u / day, h = u % day / hour, m = u % hour / minute;
  guint64 sec = u % minute / second, us = u % second;
  if (d > 0)
    g_string_append_printf (s, "%" G_GUINT64_FORMAT "d", d);
  if (h > 0)
    g_string_append_printf (s, "%" G_GUINT64_FORMAT "h", h);
  if (m > 0)
    g_string_append_printf (s, "%" G_GUINT64_FORMAT "m", m);
  if (us > 0)
    {
      char frac[8];
      g_snprintf (frac, sizeof frac, "%06u", (guint) us);
      for (int i = 5; i > 0 && frac[i] == '0'; i--)
        frac[i] = '\0';
      g_string_append_printf (s, "%" G_GUINT64_FORMAT ".%ss", sec, frac);
    }
  else if (sec > 0)
    g_string_append_printf (s, "%" G_GUINT64_FORMAT "s", sec);
  return g_string_free (s, FALSE);
}

/* ---- sizes, rates, throughputs ---- */

gboolean
ams_parse_size (const char *text, uint64_t *bytes, GError **error)
{
  if (text[0] == '\0')
    {
      INVALID (SIZE_EXPECTED ", got an empty string");
      return FALSE;
    }
  if (text[0] == '-')
    {
      INVALID ("a size cannot be negative, got \"%s\"", text);
      return FALSE;
    }
  Num n;
  const char *q = scan_number (text, &n);
  if (q == NULL)
    {
      INVALID (SIZE_EXPECTED ", got \"%s\"", text);
      return FALSE;
    }
  const char *u = scan_unit (q);
  if (*u != '\0')
    {
      INVALID (SIZE_EXPECTED ", got \"%s\"", text);
      return FALSE;
    }
  if (u == q)
    {
      INVALID ("missing unit in \"%s\"; a size needs one of B, KiB, MiB, GiB, TiB, PiB, "
               "KB, MB, GB, TB, PB (as in 8GiB)", text);
      return FALSE;
    }
  int k = find_unit (size_units, G_N_ELEMENTS (size_units), q, (gsize) (u - q));
  if (k < 0)
    {
      unknown_unit (error, q, (gsize) (u - q), text, size_unit_names,
                    G_N_ELEMENTS (size_unit_names));
      return FALSE;
    }
  switch (scale_exact (&n, size_units[k].factor, bytes))
    {
    case SCALE_INEXACT:
      INVALID ("\"%s\" is not a whole number of bytes", text);
      return FALSE;
    case SCALE_OVERFLOW:
      INVALID ("\"%s\" is too large", text);
      return FALSE;
    case SCALE_OK:
    default:
      return TRUE;
    }
}

/* "N/unit" with unit s, m, h, d or w: N per that unit -> per second. */
static gboolean
parse_per_time (const char *text, const char *unit, double amount, double *per_second,
                GError **error)
{
  int k = find_unit (rate_units, G_N_ELEMENTS (rate_units), unit, strlen (unit));
  if (k < 0)
    {
      unknown_unit (error, unit, strlen (unit), text, rate_unit_names,
                    G_N_ELEMENTS (rate_unit_names));
      return FALSE;
    }
  *per_second = amount / (double) rate_units[k].factor;
  return TRUE;
}

gboolean
ams_parse_rate (const char *text, double *per_second, GError **error)
{
  if (text[0] == '-')
    {
      INVALID ("a rate cannot be negative, got \"%s\"", text);
      return FALSE;
    }
  const char *slash = strchr (text, '/');
  Num n;
  const char *q = scan_number (text, &n);
  if (slash == NULL || q != slash || n.overflow || slash[1] == '\0')
    {
      INVALID (RATE_EXPECTED ", got \"%s\"", text);
      return FALSE;
    }
  double v = num_value (&n);
  if (!parse_per_time (text, slash + 1, v, per_second, error))
    return FALSE;
  if (!(v > 0.0))
    {
      INVALID ("a rate must be greater than 0, got \"%s\"", text);
      return FALSE;
    }
  return TRUE;
}

gboolean
ams_parse_throughput (const char *text, double *bytes_per_second, GError **error)
{
  const char *slash = strrchr (text, '/');
  if (slash == NULL || slash[1] == '\0')
    {
      INVALID (THROUGHPUT_EXPECTED ", got \"%s\"", text);
      return FALSE;
    }
  g_autofree char *size_text = g_strndup (text, (gsize) (slash - text));
  uint64_t bytes;
  if (!ams_parse_size (size_text, &bytes, error))
    return FALSE;
  if (!parse_per_time (text, slash + 1, (double) bytes, bytes_per_second, error))
    return FALSE;
  if (bytes == 0)
    {
      INVALID ("a throughput must be greater than 0, got \"%s\"", text);
      return FALSE;
    }
  return TRUE;
}

/* ---- times ---- */

gboolean
ams_parse_time (const char *text, AmsTime *out, GError **error)
{
  g_autofree char *full = NULL;
  gsize len = strlen (text);
  /* a date alone is midnight UTC */
  if (len == 10 && text[4] == '-' && text[7] == '-')
    full = g_strconcat (text, "T00:00:00Z", NULL);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) dt = len > 0 ? g_date_time_new_from_iso8601 (full != NULL ? full : text,
                                                                       utc)
                                     : NULL;
  if (dt == NULL)
    {
      INVALID (TIME_EXPECTED ", got \"%s\"", text);
      return FALSE;
    }
  *out = g_date_time_to_unix (dt) * AMS_TICKS_PER_SECOND + g_date_time_get_microsecond (dt);
  return TRUE;
}

/* ---- calls: name(args) ---- */

static gboolean
is_identifier (const char *s)
{
  if (!g_ascii_isalpha (*s) && *s != '_')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isalnum (*s) && *s != '_')
      return FALSE;
  return TRUE;
}

gboolean
ams_split_call (const char *text, char **name, char **args, GError **error)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  char *open = strchr (t, '(');
  gsize len = strlen (t);
  if (open == NULL)
    {
      INVALID ("expected name(…), got \"%s\"", text);
      return FALSE;
    }
  if (t[len - 1] != ')')
    {
      INVALID ("expected ')' at the end of \"%s\"", text);
      return FALSE;
    }
  t[len - 1] = '\0';
  *open = '\0';
  g_strstrip (t);
  if (!is_identifier (t))
    {
      INVALID ("expected a name before '(' in \"%s\"", text);
      return FALSE;
    }
  *name = g_strdup (t);
  *args = g_strstrip (g_strdup (open + 1));
  return TRUE;
}

gboolean
ams_parse_named_args (const char *args, const AmsCallSpec *spec, char **values, GError **error)
{
  g_auto (GStrv) items = g_strsplit (args, ",", -1);
  gboolean ok = TRUE;
  for (guint i = 0; i < spec->n_params; i++)
    values[i] = NULL;
  for (guint i = 0; ok && items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      if (item[0] == '\0' && i == 0 && items[1] == NULL)
        break; /* name() */
      if (item[0] == '\0')
        {
          INVALID ("empty parameter in %s(%s)", spec->name, args);
          ok = FALSE;
          break;
        }
      char *eq = strchr (item, '=');
      if (eq == NULL)
        {
          INVALID ("%s takes named parameters, as in %s, got \"%s\"", spec->name,
                   spec->example, item);
          ok = FALSE;
          break;
        }
      *eq = '\0';
      char *key = g_strstrip (item), *value = g_strstrip (eq + 1);
      int k = -1;
      for (guint j = 0; j < spec->n_params; j++)
        if (strcmp (spec->params[j], key) == 0)
          k = (int) j;
      if (k < 0)
        {
          g_autoptr (GString) msg = g_string_new (NULL);
          g_string_printf (msg, "unknown parameter '%s' for %s", key, spec->name);
          ams_append_suggestion (msg, key, spec->params, spec->n_params, 10, NULL);
          INVALID ("%s", msg->str);
          ok = FALSE;
        }
      else if (values[k] != NULL)
        {
          INVALID ("parameter '%s' is given twice in %s(%s)", key, spec->name, args);
          ok = FALSE;
        }
      else
        values[k] = g_strdup (value);
    }
  for (guint i = 0; ok && i < spec->n_params; i++)
    if (values[i] == NULL)
      {
        INVALID ("%s needs '%s', as in %s", spec->name, spec->params[i], spec->example);
        ok = FALSE;
      }
  if (!ok)
    for (guint i = 0; i < spec->n_params; i++)
      g_clear_pointer (&values[i], g_free);
  return ok;
}

/* ---- distributions ---- */

typedef struct
{
  AmsCallSpec call;
  AmsDistKind kind;
} DistSpec;

static const DistSpec dists[] = {
  { { "fixed", { NULL, NULL }, 0, "fixed(15m)" }, AMS_DIST_FIXED },
  { { "uniform", { "min", "max" }, 2, "uniform(min=0s, max=60s)" }, AMS_DIST_UNIFORM },
  { { "exponential", { "mean", NULL }, 1, "exponential(mean=10m)" }, AMS_DIST_EXPONENTIAL },
  { { "normal", { "mean", "sd" }, 2, "normal(mean=45m, sd=10m)" }, AMS_DIST_NORMAL },
  { { "lognormal", { "mean", "sd" }, 2, "lognormal(mean=45m, sd=10m)" }, AMS_DIST_LOGNORMAL },
  { { "gamma", { "mean", "sd" }, 2, "gamma(mean=45m, sd=10m)" }, AMS_DIST_GAMMA },
  { { "weibull", { "shape", "scale" }, 2, "weibull(shape=1.5, scale=40m)" }, AMS_DIST_WEIBULL },
  { { "empirical", { NULL, NULL }, 0, "empirical([20m, 25m, 40m])" }, AMS_DIST_EMPIRICAL },
};

/* A duration in seconds; on failure the message is prefixed by `what`. */
static gboolean
duration_seconds (const char *text, const char *what, double *out, GError **error)
{
  AmsTime t;
  GError *e = NULL;
  if (!ams_parse_duration (text, &t, &e))
    {
      INVALID ("%s: %s", what, e->message);
      g_error_free (e);
      return FALSE;
    }
  *out = ams_time_to_s (t);
  return TRUE;
}

static gboolean
parse_empirical (const DistSpec *spec, const char *args, AmsDist *out, GError **error)
{
  gsize len = strlen (args);
  if (len < 2 || args[0] != '[' || args[len - 1] != ']')
    {
      INVALID ("empirical takes a list of durations, as in %s", spec->call.example);
      return FALSE;
    }
  g_autofree char *inner = g_strstrip (g_strndup (args + 1, len - 2));
  if (inner[0] == '\0')
    {
      INVALID ("empirical needs at least one value, as in %s", spec->call.example);
      return FALSE;
    }
  g_auto (GStrv) items = g_strsplit (inner, ",", -1);
  guint n = g_strv_length (items);
  g_autofree double *values = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *what = g_strdup_printf ("empirical value %u", i + 1);
      if (!duration_seconds (g_strstrip (items[i]), what, &values[i], error))
        return FALSE;
    }
  GError *e = NULL;
  if (!ams_dist_set (out, AMS_DIST_EMPIRICAL, values, n, &e))
    {
      INVALID ("empirical: %s", e->message);
      g_error_free (e);
      return FALSE;
    }
  return TRUE;
}

gboolean
ams_parse_dist (const char *text, AmsDist *out, GError **error)
{
  if (strchr (text, '(') == NULL)
    {
      /* a plain duration is fixed */
      AmsTime t;
      GError *e = NULL;
      if (ams_parse_duration (text, &t, &e))
        {
          ams_dist_set_fixed (out, ams_time_to_s (t));
          return TRUE;
        }
      if (is_identifier (text))
        INVALID ("expected a duration or a distribution like lognormal(mean=45m, sd=10m), "
                 "got \"%s\"", text);
      else
        g_propagate_error (error, g_steal_pointer (&e));
      g_clear_error (&e);
      return FALSE;
    }

  g_autofree char *name = NULL, *args = NULL;
  if (!ams_split_call (text, &name, &args, error))
    return FALSE;
  const DistSpec *spec = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (dists); i++)
    if (strcmp (dists[i].call.name, name) == 0)
      spec = &dists[i];
  if (spec == NULL)
    {
      const char *names[G_N_ELEMENTS (dists)];
      for (guint i = 0; i < G_N_ELEMENTS (dists); i++)
        names[i] = dists[i].call.name;
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "unknown distribution '%s'", name);
      ams_append_suggestion (msg, name, names, G_N_ELEMENTS (names), 10, NULL);
      INVALID ("%s", msg->str);
      return FALSE;
    }
  if (spec->kind == AMS_DIST_EMPIRICAL)
    return parse_empirical (spec, args, out, error);

  double params[2] = { 0.0, 0.0 };
  guint n_params;
  if (spec->kind == AMS_DIST_FIXED)
    {
      if (args[0] == '\0' || strchr (args, '=') != NULL || strchr (args, ',') != NULL)
        {
          INVALID ("fixed takes one duration, as in %s, got \"%s\"", spec->call.example, text);
          return FALSE;
        }
      if (!duration_seconds (args, "fixed", &params[0], error))
        return FALSE;
      n_params = 1;
    }
  else
    {
      char *values[2] = { NULL, NULL };
      if (!ams_parse_named_args (args, &spec->call, values, error))
        return FALSE;
      gboolean ok = TRUE;
      for (guint i = 0; ok && i < spec->call.n_params; i++)
        {
          g_autofree char *what = g_strdup_printf ("%s %s", spec->call.name, spec->call.params[i]);
          if (spec->kind == AMS_DIST_WEIBULL && i == 0)
            {
              ok = ams_parse_plain_number (values[i], &params[i]);
              if (!ok)
                INVALID ("%s: expected a plain number like 1.5, got \"%s\"", what, values[i]);
            }
          else
            ok = duration_seconds (values[i], what, &params[i], error);
        }
      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        g_free (values[i]);
      if (!ok)
        return FALSE;
      n_params = spec->call.n_params;
    }
  GError *e = NULL;
  if (!ams_dist_set (out, spec->kind, params, n_params, &e))
    {
      INVALID ("%s: %s", spec->call.name, e->message);
      g_error_free (e);
      return FALSE;
    }
  return TRUE;
}
