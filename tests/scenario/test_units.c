/* amisim tests — the scalar notations of scenarios (src/scenario/units.c):
 * durations, sizes, rates, throughputs, times and distributions, valid and
 * invalid, each invalid one with its exact message. */
#include <math.h>
#include <string.h>

#include "amisim/scenario.h"
#include "ams_test.h"

#define US(x) ((AmsTime) (x))
#define SEC(x) ((AmsTime) (x) * 1000000)

static void
check_message (const char *input, GError *error, const char *expected)
{
  if (error == NULL)
    {
      fprintf (stderr, "\n  %s: expected an error \"%s\"\n", input, expected);
      CU_FAIL ("no error");
      return;
    }
  if (strcmp (error->message, expected) != 0)
    fprintf (stderr, "\n  %s:\n    got      %s\n    expected %s\n", input, error->message,
             expected);
  CU_ASSERT_STRING_EQUAL (error->message, expected);
  CU_ASSERT_TRUE (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_INVALID));
}

/* ---- durations ---- */

static const struct
{
  const char *text;
  AmsTime us;
} good_durations[] = {
  { "0", 0 },
  { "0s", 0 },
  { "90s", SEC (90) },
  { "25m", SEC (25 * 60) },
  { "2h", SEC (2 * 3600) },
  { "1d", SEC (86400) },
  { "1w", SEC (7 * 86400) },
  { "250ms", US (250000) },
  { "10us", US (10) },
  { "10µs", US (10) },
  { "1.5h", SEC (5400) },
  { "0.1s", US (100000) },
  { "1h30m", SEC (5400) },
  { "3d6h", SEC (3 * 86400 + 6 * 3600) },
  { "1w2d3h4m5s6ms7us", SEC (7 * 86400 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5) + 6007 },
  { "15d10h22m13s", SEC (15 * 86400 + 10 * 3600 + 22 * 60 + 13) },
  { "1.000001s", US (1000001) },
  { "0.000001s", US (1) },
};

static void
test_units_duration_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_durations); i++)
    {
      AmsTime t = -1;
      GError *error = NULL;
      gboolean ok = ams_parse_duration (good_durations[i].text, &t, &error);
      if (!ok)
        fprintf (stderr, "\n  %s: %s\n", good_durations[i].text, error->message);
      CU_ASSERT_TRUE (ok);
      CU_ASSERT_EQUAL (t, good_durations[i].us);
      g_clear_error (&error);
    }
  /* the largest representable and one past it */
  AmsTime t;
  CU_ASSERT_TRUE (ams_parse_duration ("106751991d", &t, NULL));
  CU_ASSERT_EQUAL (t, INT64_C (106751991) * 86400 * 1000000);
  CU_ASSERT_FALSE (ams_parse_duration ("106751992d", &t, NULL));
}

static const struct
{
  const char *text;
  const char *message;
} bad_durations[] = {
  { "", "expected a duration like 90s, 25m or 1h30m, got an empty string" },
  { "abc", "expected a duration like 90s, 25m or 1h30m, got \"abc\"" },
  { "-5m", "a duration cannot be negative, got \"-5m\"" },
  { "45", "missing unit in \"45\"; a duration needs one of w, d, h, m, s, ms, us "
          "(as in 90s or 1h30m)" },
  { "1h30", "missing unit in \"1h30\"; a duration needs one of w, d, h, m, s, ms, us "
            "(as in 90s or 1h30m)" },
  { "5min", "unknown unit 'min' in \"5min\"; did you mean 'm'?" },
  { "5days", "unknown unit 'days' in \"5days\"; expected one of: w, d, h, m, s, ms, us" },
  { "30m1h", "units must go from largest to smallest (as in 1h30m), got \"30m1h\"" },
  { "1h1h", "unit 'h' appears twice in \"1h1h\"" },
  { "1.5us", "\"1.5us\" is not a whole number of microseconds (the smallest step is 1us)" },
  { "0.0000001s", "\"0.0000001s\" is not a whole number of microseconds "
                  "(the smallest step is 1us)" },
  { "1h 30m", "expected a duration like 90s, 25m or 1h30m, got \"1h 30m\"" },
  { ".5h", "expected a duration like 90s, 25m or 1h30m, got \".5h\"" },
  { "5.h", "expected a duration like 90s, 25m or 1h30m, got \"5.h\"" },
  { "+5m", "expected a duration like 90s, 25m or 1h30m, got \"+5m\"" },
  { "99999999999999999999s", "\"99999999999999999999s\" is too long "
                             "(the longest duration is 106751991d, about 292000 years)" },
  { "20000000w", "\"20000000w\" is too long (the longest duration is 106751991d, "
                 "about 292000 years)" },
  { "1d1d", "unit 'd' appears twice in \"1d1d\"" },
  { "106751991d23h59m59s", "\"106751991d23h59m59s\" is too long "
                           "(the longest duration is 106751991d, about 292000 years)" },
};

static void
test_units_duration_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_durations); i++)
    {
      AmsTime t = 0;
      GError *error = NULL;
      CU_ASSERT_FALSE (ams_parse_duration (bad_durations[i].text, &t, &error));
      check_message (bad_durations[i].text, error, bad_durations[i].message);
      g_clear_error (&error);
    }
}

static void
test_units_format_duration (void)
{
  static const struct
  {
    AmsTime t;
    const char *text;
  } cases[] = {
    { 0, "0s" },
    { SEC (45), "45s" },
    { US (1500000), "1.5s" },
    { US (250000), "0.25s" },
    { US (1), "0.000001s" },
    { SEC (86400 + 2 * 3600 + 30 * 60), "1d2h30m" },
    { SEC (14 * 86400), "14d" },
    { SEC (3600) + 1, "1h0.000001s" },
    { -SEC (90), "-1m30s" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = ams_format_duration (cases[i].t);
      CU_ASSERT_STRING_EQUAL (s, cases[i].text);
    }
  /* round trips: every non-negative duration formats to text that parses back */
  const AmsTime samples[] = { 0, 1, 999, 1000, 999999, SEC (1), SEC (59) + 1, SEC (3599),
                              SEC (86400) - 1, SEC (86400 * 400) + 123456, INT64_MAX / 2,
                              SEC (9223372036LL) };
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *s = ams_format_duration (samples[i]);
      AmsTime back = -1;
      CU_ASSERT_TRUE (ams_parse_duration (s, &back, NULL));
      CU_ASSERT_EQUAL (back, samples[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good_durations); i++)
    {
      g_autofree char *s = ams_format_duration (good_durations[i].us);
      AmsTime back = -1;
      CU_ASSERT_TRUE (ams_parse_duration (s, &back, NULL));
      CU_ASSERT_EQUAL (back, good_durations[i].us);
    }
}

/* ---- sizes ---- */

static void
test_units_size (void)
{
  static const struct
  {
    const char *text;
    uint64_t bytes;
  } good[] = {
    { "512B", 512 },
    { "0B", 0 },
    { "8GiB", G_GUINT64_CONSTANT (8) << 30 },
    { "500MiB", G_GUINT64_CONSTANT (500) << 20 },
    { "1KiB", 1024 },
    { "1.5KiB", 1536 },
    { "2TiB", G_GUINT64_CONSTANT (2) << 40 },
    { "1PiB", G_GUINT64_CONSTANT (1) << 50 },
    { "1KB", 1000 },
    { "3MB", 3000000 },
    { "8GB", G_GUINT64_CONSTANT (8000000000) },
    { "1.5TB", G_GUINT64_CONSTANT (1500000000000) },
    { "16383PiB", G_GUINT64_CONSTANT (16383) << 50 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      uint64_t b = 1;
      GError *error = NULL;
      CU_ASSERT_TRUE (ams_parse_size (good[i].text, &b, &error));
      CU_ASSERT_EQUAL (b, good[i].bytes);
      g_clear_error (&error);
    }
  static const struct
  {
    const char *text;
    const char *message;
  } bad[] = {
    { "", "expected a size like 8GiB or 500MiB, got an empty string" },
    { "big", "expected a size like 8GiB or 500MiB, got \"big\"" },
    { "-1GiB", "a size cannot be negative, got \"-1GiB\"" },
    { "512", "missing unit in \"512\"; a size needs one of B, KiB, MiB, GiB, TiB, PiB, "
             "KB, MB, GB, TB, PB (as in 8GiB)" },
    { "8gib", "unknown unit 'gib' in \"8gib\"; did you mean 'GiB'?" },
    { "8XYZW", "unknown unit 'XYZW' in \"8XYZW\"; expected one of: B, KiB, MiB, GiB, TiB, PiB, "
               "KB, MB, GB, TB, PB" },
    { "0.1KiB", "\"0.1KiB\" is not a whole number of bytes" },
    { "16384PiB", "\"16384PiB\" is too large" },
    { "8 GiB", "expected a size like 8GiB or 500MiB, got \"8 GiB\"" },
    { "1GiB2MiB", "expected a size like 8GiB or 500MiB, got \"1GiB2MiB\"" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      uint64_t b = 0;
      GError *error = NULL;
      CU_ASSERT_FALSE (ams_parse_size (bad[i].text, &b, &error));
      check_message (bad[i].text, error, bad[i].message);
      g_clear_error (&error);
    }
}

/* ---- rates and throughputs ---- */

static void
test_units_rate (void)
{
  static const struct
  {
    const char *text;
    double per_second;
  } good[] = {
    { "45/m", 0.75 },
    { "10/d", 10.0 / 86400 },
    { "2/s", 2.0 },
    { "3/h", 3.0 / 3600 },
    { "7/w", 7.0 / 604800 },
    { "0.5/m", 0.5 / 60 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      double r = 0;
      CU_ASSERT_TRUE (ams_parse_rate (good[i].text, &r, NULL));
      CU_ASSERT_DOUBLE_EQUAL (r, good[i].per_second, 1e-12);
    }
  static const struct
  {
    const char *text;
    const char *message;
  } bad[] = {
    { "45", "expected a rate like 45/m or 10/d (per s, m, h, d or w), got \"45\"" },
    { "/m", "expected a rate like 45/m or 10/d (per s, m, h, d or w), got \"/m\"" },
    { "45/", "expected a rate like 45/m or 10/d (per s, m, h, d or w), got \"45/\"" },
    { "fast", "expected a rate like 45/m or 10/d (per s, m, h, d or w), got \"fast\"" },
    { "0/m", "a rate must be greater than 0, got \"0/m\"" },
    { "-1/m", "a rate cannot be negative, got \"-1/m\"" },
    { "45/min", "unknown unit 'min' in \"45/min\"; did you mean 'm'?" },
    { "45/year", "unknown unit 'year' in \"45/year\"; expected one of: s, m, h, d, w" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      double r = 0;
      GError *error = NULL;
      CU_ASSERT_FALSE (ams_parse_rate (bad[i].text, &r, &error));
      check_message (bad[i].text, error, bad[i].message);
      g_clear_error (&error);
    }
}

static void
test_units_throughput (void)
{
  double v = 0;
  CU_ASSERT_TRUE (ams_parse_throughput ("500MiB/s", &v, NULL));
  CU_ASSERT_DOUBLE_EQUAL (v, 500.0 * 1048576, 1e-6);
  CU_ASSERT_TRUE (ams_parse_throughput ("2000MiB/s", &v, NULL));
  CU_ASSERT_DOUBLE_EQUAL (v, 2000.0 * 1048576, 1e-6);
  CU_ASSERT_TRUE (ams_parse_throughput ("60GB/m", &v, NULL));
  CU_ASSERT_DOUBLE_EQUAL (v, 1e9, 1e-3);
  static const struct
  {
    const char *text;
    const char *message;
  } bad[] = {
    { "500MiB", "expected a throughput like 500MiB/s, got \"500MiB\"" },
    { "500MiB/", "expected a throughput like 500MiB/s, got \"500MiB/\"" },
    { "500/s", "missing unit in \"500\"; a size needs one of B, KiB, MiB, GiB, TiB, PiB, "
               "KB, MB, GB, TB, PB (as in 8GiB)" },
    { "0MiB/s", "a throughput must be greater than 0, got \"0MiB/s\"" },
    { "5MiB/fortnight", "unknown unit 'fortnight' in \"5MiB/fortnight\"; "
                        "expected one of: s, m, h, d, w" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GError *error = NULL;
      CU_ASSERT_FALSE (ams_parse_throughput (bad[i].text, &v, &error));
      check_message (bad[i].text, error, bad[i].message);
      g_clear_error (&error);
    }
}

/* ---- times ---- */

static void
test_units_time (void)
{
  static const struct
  {
    const char *text;
    AmsTime us;
  } good[] = {
    { "2026-01-01T00:00:00Z", SEC (INT64_C (1767225600)) },
    { "2026-01-05T00:00:00Z", SEC (INT64_C (1767225600) + 4 * 86400) },
    { "2026-01-05T00:00:00", SEC (INT64_C (1767225600) + 4 * 86400) },
    { "2026-01-05", SEC (INT64_C (1767225600) + 4 * 86400) },
    { "2026-01-05T02:00:00+02:00", SEC (INT64_C (1767225600) + 4 * 86400) },
    { "1970-01-01T00:00:00.5Z", US (500000) },
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      AmsTime t = -1;
      GError *error = NULL;
      gboolean ok = ams_parse_time (good[i].text, &t, &error);
      if (!ok)
        fprintf (stderr, "\n  %s: %s\n", good[i].text, error->message);
      CU_ASSERT_TRUE (ok);
      CU_ASSERT_EQUAL (t, good[i].us);
      g_clear_error (&error);
    }
  static const char *const bad[] = { "", "yesterday", "2026-13-01T00:00:00Z",
                                     "2026-01-05T25:00:00Z", "2026-02-30" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      AmsTime t;
      GError *error = NULL;
      CU_ASSERT_FALSE (ams_parse_time (bad[i], &t, &error));
      g_autofree char *expected = g_strdup_printf (
          "expected an ISO 8601 time like 2026-01-05T00:00:00Z, got \"%s\"", bad[i]);
      check_message (bad[i], error, expected);
      g_clear_error (&error);
    }
}

/* ---- distributions ---- */

static void
test_units_dist_valid (void)
{
  static const struct
  {
    const char *text;
    AmsDistKind kind;
    double p0, p1;
  } good[] = {
    { "15m", AMS_DIST_FIXED, 900, 0 },
    { "0s", AMS_DIST_FIXED, 0, 0 },
    { "fixed(15m)", AMS_DIST_FIXED, 900, 0 },
    { " fixed( 1h30m ) ", AMS_DIST_FIXED, 5400, 0 },
    { "uniform(min=0s, max=60s)", AMS_DIST_UNIFORM, 0, 60 },
    { "uniform(max=2m,min=1m)", AMS_DIST_UNIFORM, 60, 120 },
    { "exponential(mean=1m)", AMS_DIST_EXPONENTIAL, 60, 0 },
    { "normal(mean=45m, sd=10m)", AMS_DIST_NORMAL, 2700, 600 },
    { "lognormal(mean=25m, sd=8m)", AMS_DIST_LOGNORMAL, 1500, 480 },
    { "lognormal(sd=8m, mean=25m)", AMS_DIST_LOGNORMAL, 1500, 480 },
    { "gamma(mean=45m, sd=10m)", AMS_DIST_GAMMA, 2700, 600 },
    { "weibull(shape=1.5, scale=40m)", AMS_DIST_WEIBULL, 1.5, 2400 },
    { "weibull(scale=40m, shape=2)", AMS_DIST_WEIBULL, 2, 2400 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      AmsDist d = { 0 };
      GError *error = NULL;
      gboolean ok = ams_parse_dist (good[i].text, &d, &error);
      if (!ok)
        fprintf (stderr, "\n  %s: %s\n", good[i].text, error->message);
      CU_ASSERT_TRUE (ok);
      CU_ASSERT_EQUAL (d.kind, good[i].kind);
      CU_ASSERT_DOUBLE_EQUAL (d.p[0], good[i].p0, 1e-9);
      if (good[i].kind != AMS_DIST_FIXED && good[i].kind != AMS_DIST_EXPONENTIAL)
        CU_ASSERT_DOUBLE_EQUAL (d.p[1], good[i].p1, 1e-9);
      g_clear_error (&error);
      ams_dist_clear (&d);
    }
  AmsDist d = { 0 };
  CU_ASSERT_TRUE (ams_parse_dist ("empirical([40m, 20m, 25m])", &d, NULL));
  CU_ASSERT_EQUAL (d.kind, AMS_DIST_EMPIRICAL);
  CU_ASSERT_EQUAL (d.n_values, 3);
  if (d.n_values == 3)
    {
      CU_ASSERT_DOUBLE_EQUAL (d.values[0], 1200, 1e-9);
      CU_ASSERT_DOUBLE_EQUAL (d.values[2], 2400, 1e-9);
    }
  ams_dist_clear (&d);
  CU_ASSERT_TRUE (ams_parse_dist ("empirical([ 5m ])", &d, NULL));
  CU_ASSERT_EQUAL (d.n_values, 1);
  ams_dist_clear (&d);
}

static const struct
{
  const char *text;
  const char *message;
} bad_dists[] = {
  { "lognorm(mean=5m, sd=1m)", "unknown distribution 'lognorm'; did you mean 'lognormal'?" },
  { "pareto(alpha=1)", "unknown distribution 'pareto'; expected one of: fixed, uniform, "
                       "exponential, normal, lognormal, gamma, weibull, empirical" },
  { "lognormal", "expected a duration or a distribution like lognormal(mean=45m, sd=10m), "
                 "got \"lognormal\"" },
  { "abc", "expected a duration or a distribution like lognormal(mean=45m, sd=10m), "
           "got \"abc\"" },
  { "5min", "unknown unit 'min' in \"5min\"; did you mean 'm'?" },
  { "lognormal(mean=5m", "expected ')' at the end of \"lognormal(mean=5m\"" },
  { "(mean=5m)", "expected a name before '(' in \"(mean=5m)\"" },
  { "lognormal(mean=45m)", "lognormal needs 'sd', as in lognormal(mean=45m, sd=10m)" },
  { "lognormal()", "lognormal needs 'mean', as in lognormal(mean=45m, sd=10m)" },
  { "lognormal(mean=45m, sd=10m, shape=2)", "unknown parameter 'shape' for lognormal; "
                                            "expected one of: mean, sd" },
  { "lognormal(mean=45m, sdev=10m)", "unknown parameter 'sdev' for lognormal; "
                                     "did you mean 'sd'?" },
  { "lognormal(mean=45m, mean=10m)", "parameter 'mean' is given twice in "
                                     "lognormal(mean=45m, mean=10m)" },
  { "lognormal(45m, 10m)", "lognormal takes named parameters, as in "
                           "lognormal(mean=45m, sd=10m), got \"45m\"" },
  { "lognormal(mean=45m,)", "empty parameter in lognormal(mean=45m,)" },
  { "lognormal(mean=abc, sd=1m)", "lognormal mean: expected a duration like 90s, 25m or "
                                  "1h30m, got \"abc\"" },
  { "normal(mean=45m, sd=-1m)", "normal sd: a duration cannot be negative, got \"-1m\"" },
  { "uniform(min=5m, max=1m)", "uniform: min is greater than max" },
  { "exponential(mean=0s)", "exponential: mean must be > 0" },
  { "gamma(mean=45m, sd=0s)", "gamma: sd must be > 0" },
  { "weibull(shape=1.5h, scale=40m)", "weibull shape: expected a plain number like 1.5, "
                                      "got \"1.5h\"" },
  { "weibull(shape=0, scale=40m)", "weibull: shape must be > 0" },
  { "fixed(value=15m)", "fixed takes one duration, as in fixed(15m), got \"fixed(value=15m)\"" },
  { "fixed()", "fixed takes one duration, as in fixed(15m), got \"fixed()\"" },
  { "fixed(15)", "fixed: missing unit in \"15\"; a duration needs one of w, d, h, m, s, ms, us "
                 "(as in 90s or 1h30m)" },
  { "empirical(20m, 25m)", "empirical takes a list of durations, as in "
                           "empirical([20m, 25m, 40m])" },
  { "empirical([])", "empirical needs at least one value, as in empirical([20m, 25m, 40m])" },
  { "empirical([20m, x])", "empirical value 2: expected a duration like 90s, 25m or 1h30m, "
                           "got \"x\"" },
};

static void
test_units_dist_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_dists); i++)
    {
      AmsDist d = { 0 };
      GError *error = NULL;
      CU_ASSERT_FALSE (ams_parse_dist (bad_dists[i].text, &d, &error));
      check_message (bad_dists[i].text, error, bad_dists[i].message);
      g_clear_error (&error);
      ams_dist_clear (&d);
    }
}

int
main (void)
{
  static const AmsTestCase cases[] = {
    { "units_duration_valid", test_units_duration_valid },
    { "units_duration_invalid", test_units_duration_invalid },
    { "units_format_duration", test_units_format_duration },
    { "units_size", test_units_size },
    { "units_rate", test_units_rate },
    { "units_throughput", test_units_throughput },
    { "units_time", test_units_time },
    { "units_dist_valid", test_units_dist_valid },
    { "units_dist_invalid", test_units_dist_invalid },
    { NULL, NULL },
  };
  return ams_test_main ("scenario_units", cases);
}
