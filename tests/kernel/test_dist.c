/* Tests of the distributions: sampling agrees with the theoretical mean
 * and sd (confidence intervals at 99.9 %, the variance's interval built
 * from the 4th central moment computed here from first principles), the
 * theoretical moments agree with numerical integration of the density,
 * every domain error carries its exact message, and the plumbing (copy,
 * clear, empirical resampling, to_string) does what dist.h says. */
#include "ams_test.h"

#include <amisim/dist.h>
#include <amisim/rng.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define N_SAMPLES 100000
#define Z_999 3.2905267314918945 /* two-sided 99.9 % normal quantile */

static void
set_ok (AmsDist *d, AmsDistKind kind, const double *p, guint n)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = ams_dist_set (d, kind, p, n, &error);
  CU_ASSERT_TRUE_FATAL (ok);
  CU_ASSERT_PTR_NULL (error);
}

/* ---- raw moments E[X^1..4], computed independently of dist.c ------------ */

/* Normal(m, s) truncated to [0, inf). For the standard normal truncated to
 * [a, inf), with h = phi(a) / Q(a): E[Z^n] = (n-1) E[Z^(n-2)] + a^(n-1) h. */
static void
truncnorm_raw (double m, double s, double raw[5])
{
  double a = -m / s;
  double h = gsl_ran_ugaussian_pdf (a) / gsl_cdf_ugaussian_Q (a);
  double z[5] = { 1.0, h, 0, 0, 0 };
  for (int n = 2; n <= 4; n++)
    z[n] = (n - 1) * z[n - 2] + pow (a, n - 1) * h;
  /* X = m + s Z, expanded binomially. */
  static const double binom[5][5] = {
    { 1 }, { 1, 1 }, { 1, 2, 1 }, { 1, 3, 3, 1 }, { 1, 4, 6, 4, 1 },
  };
  for (int n = 0; n <= 4; n++)
    {
      raw[n] = 0;
      for (int j = 0; j <= n; j++)
        raw[n] += binom[n][j] * pow (m, n - j) * pow (s, j) * z[j];
    }
}

static void
raw_moments (AmsDistKind kind, const double *p, guint n_p, double raw[5])
{
  raw[0] = 1.0;
  switch (kind)
    {
    case AMS_DIST_FIXED:
      for (int n = 1; n <= 4; n++)
        raw[n] = pow (p[0], n);
      break;
    case AMS_DIST_UNIFORM:
      for (int n = 1; n <= 4; n++)
        raw[n] = (pow (p[1], n + 1) - pow (p[0], n + 1)) / ((n + 1) * (p[1] - p[0]));
      break;
    case AMS_DIST_EXPONENTIAL:
      for (int n = 1; n <= 4; n++)
        raw[n] = gsl_sf_fact (n) * pow (p[0], n);
      break;
    case AMS_DIST_NORMAL:
      truncnorm_raw (p[0], p[1], raw);
      break;
    case AMS_DIST_LOGNORMAL:
      {
        double s2 = log (1 + (p[1] / p[0]) * (p[1] / p[0]));
        double mu = log (p[0]) - s2 / 2;
        for (int n = 1; n <= 4; n++)
          raw[n] = exp (n * mu + n * n * s2 / 2);
      }
      break;
    case AMS_DIST_GAMMA:
      {
        double k = (p[0] / p[1]) * (p[0] / p[1]), theta = p[1] * p[1] / p[0];
        double prod = 1;
        for (int n = 1; n <= 4; n++)
          {
            prod *= (k + n - 1) * theta;
            raw[n] = prod;
          }
      }
      break;
    case AMS_DIST_WEIBULL:
      for (int n = 1; n <= 4; n++)
        raw[n] = pow (p[1], n) * gsl_sf_gamma (1 + n / p[0]);
      break;
    case AMS_DIST_EMPIRICAL:
      for (int n = 1; n <= 4; n++)
        {
          raw[n] = 0;
          for (guint i = 0; i < n_p; i++)
            raw[n] += pow (p[i], n) / n_p;
        }
      break;
    }
}

/* ---- sampling against theory -------------------------------------------- */

/* Draws N samples; the mean must lie within z sd / sqrt(N) of the
 * theoretical mean, and the sample variance within z sqrt((mu4 - sigma^4)
 * / N) of the theoretical variance (its asymptotic normal law). */
static void
check_sampling (AmsDistKind kind, const double *p, guint n_p, guint64 seed)
{
  AmsDist d = { 0 };
  set_ok (&d, kind, p, n_p);
  double raw[5];
  raw_moments (kind, p, n_p, raw);
  double mean = raw[1];
  double var = raw[2] - mean * mean;
  double mu4 = raw[4] - 4 * mean * raw[3] + 6 * mean * mean * raw[2] - 3 * pow (mean, 4);

  /* The library's theoretical values agree with these first. */
  CU_ASSERT_DOUBLE_EQUAL (ams_dist_mean (&d), mean, 1e-9 * mean);
  CU_ASSERT_DOUBLE_EQUAL (ams_dist_sd (&d), sqrt (var), 1e-7 * sqrt (var) + 1e-12);

  g_autofree char *name = g_strdup_printf ("test/dist/%s", ams_dist_kind_name (kind));
  g_autoptr (gsl_rng) r = ams_rng_new (seed, 0, name);
  double m = 0, m2 = 0, lo = INFINITY;
  for (int i = 0; i < N_SAMPLES; i++)
    {
      double x = ams_dist_sample (&d, r);
      double delta = x - m;
      m += delta / (i + 1);
      m2 += delta * (x - m);
      lo = MIN (lo, x);
    }
  double s2 = m2 / (N_SAMPLES - 1);
  CU_ASSERT_TRUE (lo >= 0.0);
  CU_ASSERT_TRUE (fabs (m - mean) <= Z_999 * sqrt (var / N_SAMPLES));
  CU_ASSERT_TRUE (fabs (s2 - var) <= Z_999 * sqrt ((mu4 - var * var) / N_SAMPLES));
  if (!(fabs (m - mean) <= Z_999 * sqrt (var / N_SAMPLES))
      || !(fabs (s2 - var) <= Z_999 * sqrt ((mu4 - var * var) / N_SAMPLES)))
    printf ("\n%s: mean %g vs %g, var %g vs %g\n", name, m, mean, s2, var);
  ams_dist_clear (&d);
}

static void
test_dist_uniform_sampling (void)
{
  const double p[] = { 60, 180 };
  check_sampling (AMS_DIST_UNIFORM, p, 2, 1);
}

static void
test_dist_exponential_sampling (void)
{
  const double p[] = { 600 };
  check_sampling (AMS_DIST_EXPONENTIAL, p, 1, 2);
}

static void
test_dist_normal_sampling (void)
{
  const double barely[] = { 2400, 600 }; /* truncation negligible */
  check_sampling (AMS_DIST_NORMAL, barely, 2, 3);
  const double heavy[] = { 100, 250 };   /* 34 % of the mass cut off */
  check_sampling (AMS_DIST_NORMAL, heavy, 2, 4);
}

static void
test_dist_lognormal_sampling (void)
{
  const double p[] = { 2400, 600 };
  check_sampling (AMS_DIST_LOGNORMAL, p, 2, 5);
  const double wide[] = { 1500, 900 };
  check_sampling (AMS_DIST_LOGNORMAL, wide, 2, 6);
}

static void
test_dist_gamma_sampling (void)
{
  const double p[] = { 300, 100 }; /* shape 9 */
  check_sampling (AMS_DIST_GAMMA, p, 2, 7);
  const double small_shape[] = { 300, 600 }; /* shape 0.25 */
  check_sampling (AMS_DIST_GAMMA, small_shape, 2, 8);
}

static void
test_dist_weibull_sampling (void)
{
  const double p[] = { 1.5, 600 };
  check_sampling (AMS_DIST_WEIBULL, p, 2, 9);
  const double q[] = { 0.8, 100 };
  check_sampling (AMS_DIST_WEIBULL, q, 2, 10);
}

static void
test_dist_empirical_sampling (void)
{
  const double p[] = { 30, 10, 600, 45, 45 };
  check_sampling (AMS_DIST_EMPIRICAL, p, 5, 11);
}

static void
test_dist_fixed_and_degenerate (void)
{
  g_autoptr (gsl_rng) r = ams_rng_new (1, 0, "test/dist/fixed");
  AmsDist d = { 0 }; /* zero is fixed(0) */
  CU_ASSERT_EQUAL (ams_dist_sample (&d, r), 0.0);
  CU_ASSERT_TRUE (ams_dist_is_constant (&d));
  ams_dist_set_fixed (&d, 90);
  CU_ASSERT_EQUAL (ams_dist_sample (&d, r), 90.0);
  CU_ASSERT_EQUAL (ams_dist_mean (&d), 90.0);
  CU_ASSERT_EQUAL (ams_dist_sd (&d), 0.0);

  /* sd = 0 and min = max give the value itself, every time. */
  const double normal0[] = { 70, 0 }, lognormal0[] = { 80, 0 }, flat0[] = { 5, 5 };
  set_ok (&d, AMS_DIST_NORMAL, normal0, 2);
  CU_ASSERT_TRUE (ams_dist_is_constant (&d));
  CU_ASSERT_EQUAL (ams_dist_sample (&d, r), 70.0);
  CU_ASSERT_EQUAL (ams_dist_sd (&d), 0.0);
  set_ok (&d, AMS_DIST_LOGNORMAL, lognormal0, 2);
  CU_ASSERT_TRUE (ams_dist_is_constant (&d));
  CU_ASSERT_EQUAL (ams_dist_sample (&d, r), 80.0);
  set_ok (&d, AMS_DIST_UNIFORM, flat0, 2);
  CU_ASSERT_TRUE (ams_dist_is_constant (&d));
  CU_ASSERT_EQUAL (ams_dist_sample (&d, r), 5.0);
  const double same[] = { 3, 3, 3 };
  set_ok (&d, AMS_DIST_EMPIRICAL, same, 3);
  CU_ASSERT_TRUE (ams_dist_is_constant (&d));
  ams_dist_clear (&d);
  const double expo[] = { 1 };
  set_ok (&d, AMS_DIST_EXPONENTIAL, expo, 1);
  CU_ASSERT_FALSE (ams_dist_is_constant (&d));
}

/* ---- theoretical moments against numerical integration --------------- */

typedef struct
{
  const AmsDist *d;
  int power;
} IntegrandCtx;

static double
truncnorm_integrand (double x, void *data)
{
  const IntegrandCtx *c = data;
  double m = c->d->p[0], s = c->d->p[1];
  double density = gsl_ran_gaussian_pdf (x - m, s) / gsl_cdf_gaussian_P (m, s);
  return pow (x, c->power) * density;
}

static double
weibull_integrand (double x, void *data)
{
  const IntegrandCtx *c = data;
  return pow (x, c->power) * gsl_ran_weibull_pdf (x, c->d->p[1], c->d->p[0]);
}

/* Integrates x^power f(x) over [0, hi) (hi = INFINITY for the whole
 * half-line). A finite range suits densities concentrated far from 0,
 * which the half-line transform of QAGIU samples poorly. */
static double
integrate_moment (const AmsDist *d, double (*f) (double, void *), int power, double hi)
{
  gsl_integration_workspace *w = gsl_integration_workspace_alloc (1000);
  IntegrandCtx c = { d, power };
  gsl_function fn = { f, &c };
  double result, abserr;
  if (isinf (hi))
    gsl_integration_qagiu (&fn, 0.0, 0.0, 1e-11, 1000, w, &result, &abserr);
  else
    gsl_integration_qags (&fn, 0.0, hi, 0.0, 1e-11, 1000, w, &result, &abserr);
  gsl_integration_workspace_free (w);
  return result;
}

static void
check_against_integral (const AmsDist *d, double (*f) (double, void *), double hi)
{
  double m1 = integrate_moment (d, f, 1, hi), m2 = integrate_moment (d, f, 2, hi);
  CU_ASSERT_DOUBLE_EQUAL (ams_dist_mean (d), m1, 1e-8 * m1);
  CU_ASSERT_DOUBLE_EQUAL (ams_dist_sd (d), sqrt (m2 - m1 * m1), 1e-6 * m1);
}

static void
test_dist_truncated_normal_formula (void)
{
  AmsDist d = { 0 };
  const double params[][2] = { { 100, 250 }, { 1, 10 }, { 50, 1 }, { 3, 3 } };
  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    {
      set_ok (&d, AMS_DIST_NORMAL, params[i], 2);
      /* Beyond mean + 40 sd the density is below 1e-300. */
      check_against_integral (&d, truncnorm_integrand, params[i][0] + 40 * params[i][1]);
      /* Truncation raises the mean and lowers the sd. */
      CU_ASSERT_TRUE (ams_dist_mean (&d) >= params[i][0]);
      CU_ASSERT_TRUE (ams_dist_sd (&d) <= params[i][1]);
    }
  const double w[] = { 1.5, 600 };
  set_ok (&d, AMS_DIST_WEIBULL, w, 2);
  check_against_integral (&d, weibull_integrand, INFINITY);
}

/* ---- domain errors ------------------------------------------------------- */

static void
test_dist_domain_errors (void)
{
  static const struct
  {
    AmsDistKind kind;
    guint n;
    double p[3];
    const char *message;
  } cases[] = {
    { AMS_DIST_FIXED, 1, { -1 }, "value must be >= 0" },
    { AMS_DIST_FIXED, 1, { NAN }, "value must be finite" },
    { AMS_DIST_FIXED, 0, { 0 }, "fixed takes 1 parameter (value), got 0" },
    { AMS_DIST_UNIFORM, 2, { -1, 2 }, "min must be >= 0" },
    { AMS_DIST_UNIFORM, 2, { 1, -2 }, "max must be >= 0" },
    { AMS_DIST_UNIFORM, 2, { 3, 2 }, "min is greater than max" },
    { AMS_DIST_UNIFORM, 2, { 1, INFINITY }, "max must be finite" },
    { AMS_DIST_UNIFORM, 1, { 1 }, "uniform takes 2 parameters (min, max), got 1" },
    { AMS_DIST_EXPONENTIAL, 1, { 0 }, "mean must be > 0" },
    { AMS_DIST_EXPONENTIAL, 1, { -3 }, "mean must be > 0" },
    { AMS_DIST_EXPONENTIAL, 2, { 1, 2 }, "exponential takes 1 parameter (mean), got 2" },
    { AMS_DIST_NORMAL, 2, { 0, 1 }, "mean must be > 0" },
    { AMS_DIST_NORMAL, 2, { 10, -1 }, "sd must be >= 0" },
    { AMS_DIST_NORMAL, 3, { 1, 2, 3 }, "normal takes 2 parameters (mean, sd), got 3" },
    { AMS_DIST_LOGNORMAL, 2, { -5, 1 }, "mean must be > 0" },
    { AMS_DIST_LOGNORMAL, 2, { 5, -1 }, "sd must be >= 0" },
    { AMS_DIST_LOGNORMAL, 2, { 5, NAN }, "sd must be finite" },
    { AMS_DIST_GAMMA, 2, { 0, 1 }, "mean must be > 0" },
    { AMS_DIST_GAMMA, 2, { 5, 0 }, "sd must be > 0" },
    { AMS_DIST_GAMMA, 2, { 1e300, 1e-300 },
      "mean and sd are too far apart for a gamma distribution" },
    { AMS_DIST_WEIBULL, 2, { 0, 1 }, "shape must be > 0" },
    { AMS_DIST_WEIBULL, 2, { 1, 0 }, "scale must be > 0" },
    { AMS_DIST_WEIBULL, 2, { 1, -INFINITY }, "scale must be finite" },
    { AMS_DIST_EMPIRICAL, 0, { 0 }, "values must list at least one value" },
    { AMS_DIST_EMPIRICAL, 3, { 1, 2, -2 }, "values[2] must be >= 0" },
    { AMS_DIST_EMPIRICAL, 2, { INFINITY, 2 }, "values[0] must be finite" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AmsDist d = { 0 };
      GError *error = NULL;
      gboolean ok = ams_dist_set (&d, cases[i].kind, cases[i].p, cases[i].n, &error);
      CU_ASSERT_FALSE (ok);
      CU_ASSERT_PTR_NOT_NULL_FATAL (error);
      CU_ASSERT_TRUE (g_error_matches (error, AMS_DIST_ERROR, AMS_DIST_ERROR_INVALID));
      CU_ASSERT_STRING_EQUAL (error->message, cases[i].message);
      if (strcmp (error->message, cases[i].message) != 0)
        printf ("\ncase %u: got \"%s\"\n", i, error->message);
      /* Left as fixed(0). */
      CU_ASSERT_EQUAL (d.kind, AMS_DIST_FIXED);
      CU_ASSERT_EQUAL (d.p[0], 0.0);
      CU_ASSERT_PTR_NULL (d.values);
      g_error_free (error);
    }
  /* A NULL error is fine too. */
  AmsDist d = { 0 };
  const double bad[] = { -1 };
  CU_ASSERT_FALSE (ams_dist_set (&d, AMS_DIST_EXPONENTIAL, bad, 1, NULL));
}

/* ---- plumbing ----------------------------------------------------------- */

static void
test_dist_copy_clear (void)
{
  AmsDist a = { 0 }, b = { 0 }, c = { 0 };
  const double v[] = { 9, 1, 5 };
  set_ok (&a, AMS_DIST_EMPIRICAL, v, 3);
  /* Stored sorted, as an owned copy. */
  CU_ASSERT_EQUAL (a.n_values, 3);
  CU_ASSERT_EQUAL (a.values[0], 1.0);
  CU_ASSERT_EQUAL (a.values[2], 9.0);
  CU_ASSERT_PTR_NOT_EQUAL (a.values, v);

  ams_dist_copy (&b, &a);
  CU_ASSERT_PTR_NOT_EQUAL (b.values, a.values);
  CU_ASSERT_EQUAL (b.n_values, 3);
  CU_ASSERT_EQUAL (b.values[1], 5.0);
  ams_dist_clear (&a); /* b survives a */
  CU_ASSERT_EQUAL (b.values[2], 9.0);
  CU_ASSERT_EQUAL (a.kind, AMS_DIST_FIXED);
  CU_ASSERT_PTR_NULL (a.values);
  ams_dist_clear (&a);
  ams_dist_clear (NULL);

  const double ln[] = { 2400, 600 };
  set_ok (&a, AMS_DIST_LOGNORMAL, ln, 2);
  ams_dist_copy (&c, &a);
  CU_ASSERT_EQUAL (c.kind, AMS_DIST_LOGNORMAL);
  CU_ASSERT_EQUAL (c.q[0], a.q[0]);
  CU_ASSERT_EQUAL (c.q[1], a.q[1]);
  CU_ASSERT_PTR_NULL (c.values);
  ams_dist_clear (&a);
  ams_dist_clear (&b);
  ams_dist_clear (&c);
}

/* Each listed value is equally likely, so a value listed twice is drawn
 * twice as often: Pearson's chi-square at the 99.9 % level. */
static void
test_dist_empirical_frequencies (void)
{
  const double v[] = { 5, 2, 2, 1 };
  AmsDist d = { 0 };
  set_ok (&d, AMS_DIST_EMPIRICAL, v, 4);
  g_autoptr (gsl_rng) r = ams_rng_new (3, 0, "test/dist/empirical");
  double count[3] = { 0 };
  const double value[3] = { 1, 2, 5 }, prob[3] = { 0.25, 0.5, 0.25 };
  const int n = 40000;
  for (int i = 0; i < n; i++)
    {
      double x = ams_dist_sample (&d, r);
      gboolean matched = FALSE;
      for (int j = 0; j < 3; j++)
        if (x == value[j])
          {
            count[j]++;
            matched = TRUE;
          }
      CU_ASSERT_TRUE (matched);
    }
  double chi2 = 0;
  for (int j = 0; j < 3; j++)
    chi2 += pow (count[j] - n * prob[j], 2) / (n * prob[j]);
  CU_ASSERT_TRUE (chi2 < gsl_cdf_chisq_Qinv (0.001, 2));
  ams_dist_clear (&d);
}

static void
test_dist_to_string (void)
{
  static const struct
  {
    AmsDistKind kind;
    guint n;
    double p[12];
    const char *text;
  } cases[] = {
    { AMS_DIST_FIXED, 1, { 600 }, "fixed(600s)" },
    { AMS_DIST_UNIFORM, 2, { 1, 2.5 }, "uniform(min=1s, max=2.5s)" },
    { AMS_DIST_EXPONENTIAL, 1, { 60 }, "exponential(mean=60s)" },
    { AMS_DIST_NORMAL, 2, { 10, 2 }, "normal(mean=10s, sd=2s)" },
    { AMS_DIST_LOGNORMAL, 2, { 2400, 600 }, "lognormal(mean=2400s, sd=600s)" },
    { AMS_DIST_GAMMA, 2, { 0.25, 1e-3 }, "gamma(mean=0.25s, sd=0.001s)" },
    { AMS_DIST_WEIBULL, 2, { 1.5, 600 }, "weibull(shape=1.5, scale=600s)" },
    { AMS_DIST_EMPIRICAL, 3, { 3, 1, 2 }, "empirical([1s, 2s, 3s])" },
    { AMS_DIST_EMPIRICAL, 12, { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 },
      "empirical([1s, 2s, 3s, 4s, 5s, 6s, 7s, 8s, 9s, 10s, … (12 values)])" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AmsDist d = { 0 };
      set_ok (&d, cases[i].kind, cases[i].p, cases[i].n);
      g_autofree char *s = ams_dist_to_string (&d);
      CU_ASSERT_STRING_EQUAL (s, cases[i].text);
      ams_dist_clear (&d);
    }
}

static void
test_dist_kind_names (void)
{
  const char *names[] = { "fixed", "uniform", "exponential", "normal",
                          "lognormal", "gamma", "weibull", "empirical" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    CU_ASSERT_STRING_EQUAL (ams_dist_kind_name ((AmsDistKind) i), names[i]);
}

/* Extreme but valid parameters still give finite samples. */
static void
test_dist_samples_finite (void)
{
  g_autoptr (gsl_rng) r = ams_rng_new (4, 0, "test/dist/extreme");
  AmsDist d = { 0 };
  const double w[] = { 0.002, 1e6 };
  set_ok (&d, AMS_DIST_WEIBULL, w, 2);
  guint bad = 0;
  for (int i = 0; i < 1000; i++)
    {
      double x = ams_dist_sample (&d, r);
      bad += !(isfinite (x) && x >= 0.0);
    }
  CU_ASSERT_EQUAL (bad, 0);
  /* Its mean overflows a double: reported as inf, not an abort. */
  CU_ASSERT_TRUE (isinf (ams_dist_mean (&d)));
}

static const AmsTestCase cases[] = {
  { "uniform_sampling", test_dist_uniform_sampling },
  { "exponential_sampling", test_dist_exponential_sampling },
  { "normal_sampling", test_dist_normal_sampling },
  { "lognormal_sampling", test_dist_lognormal_sampling },
  { "gamma_sampling", test_dist_gamma_sampling },
  { "weibull_sampling", test_dist_weibull_sampling },
  { "empirical_sampling", test_dist_empirical_sampling },
  { "fixed_and_degenerate", test_dist_fixed_and_degenerate },
  { "truncated_normal_formula", test_dist_truncated_normal_formula },
  { "domain_errors", test_dist_domain_errors },
  { "copy_clear", test_dist_copy_clear },
  { "empirical_frequencies", test_dist_empirical_frequencies },
  { "to_string", test_dist_to_string },
  { "kind_names", test_dist_kind_names },
  { "samples_finite", test_dist_samples_finite },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("dist", cases);
}
