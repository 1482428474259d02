/* amisim — probability distributions of random quantities.
 *
 * Users give a distribution the way they think of it (mean and sd of the
 * duration itself); the samplers want other parameters (lognormal mu and
 * sigma of the log, gamma shape and scale). The conversion happens once, in
 * ams_dist_set, and is checked there, so that sampling is a switch and one
 * GSL call. Every sample is >= 0 and finite: the simulation turns samples
 * into durations, and a negative or infinite duration has no meaning.
 */
#include "amisim/dist.h"

#include <float.h>
#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

G_DEFINE_QUARK (ams-dist-error-quark, ams_dist_error)

typedef struct
{
  const char *name;
  guint n_params;            /* 0: any number >= 1 (empirical) */
  const char *param[2];
} KindInfo;

static const KindInfo kinds[] = {
  [AMS_DIST_FIXED] = { "fixed", 1, { "value", NULL } },
  [AMS_DIST_UNIFORM] = { "uniform", 2, { "min", "max" } },
  [AMS_DIST_EXPONENTIAL] = { "exponential", 1, { "mean", NULL } },
  [AMS_DIST_NORMAL] = { "normal", 2, { "mean", "sd" } },
  [AMS_DIST_LOGNORMAL] = { "lognormal", 2, { "mean", "sd" } },
  [AMS_DIST_GAMMA] = { "gamma", 2, { "mean", "sd" } },
  [AMS_DIST_WEIBULL] = { "weibull", 2, { "shape", "scale" } },
  [AMS_DIST_EMPIRICAL] = { "empirical", 0, { "values", NULL } },
};

static gboolean
kind_valid (AmsDistKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kinds);
}

const char *
ams_dist_kind_name (AmsDistKind kind)
{
  g_return_val_if_fail (kind_valid (kind), "unknown");
  return kinds[kind].name;
}

static gboolean
fail (GError **error, const char *message)
{
  g_set_error_literal (error, AMS_DIST_ERROR, AMS_DIST_ERROR_INVALID, message);
  return FALSE;
}

/* The rule for a parameter that must be positive (> 0) or non-negative. */
static gboolean
check_param (const char *name, double x, gboolean strictly_positive, GError **error)
{
  if (!isfinite (x))
    {
      g_set_error (error, AMS_DIST_ERROR, AMS_DIST_ERROR_INVALID, "%s must be finite", name);
      return FALSE;
    }
  if (strictly_positive ? !(x > 0.0) : !(x >= 0.0))
    {
      g_set_error (error, AMS_DIST_ERROR, AMS_DIST_ERROR_INVALID, "%s must be %s 0",
                   name, strictly_positive ? ">" : ">=");
      return FALSE;
    }
  return TRUE;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

gboolean
ams_dist_set (AmsDist *d, AmsDistKind kind, const double *params, guint n_params,
              GError **error)
{
  g_return_val_if_fail (d != NULL, FALSE);
  g_return_val_if_fail (kind_valid (kind), FALSE);
  g_return_val_if_fail (params != NULL || n_params == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (d, 0, sizeof *d);
  const KindInfo *info = &kinds[kind];

  if (kind == AMS_DIST_EMPIRICAL)
    {
      if (n_params == 0)
        return fail (error, "values must list at least one value");
      for (guint i = 0; i < n_params; i++)
        {
          char name[32];
          g_snprintf (name, sizeof name, "values[%u]", i);
          if (!check_param (name, params[i], FALSE, error))
            return FALSE;
        }
      d->kind = kind;
      d->values = g_memdup2 (params, n_params * sizeof (double));
      d->n_values = n_params;
      qsort (d->values, n_params, sizeof (double), compare_doubles);
      return TRUE;
    }

  if (n_params != info->n_params)
    {
      g_set_error (error, AMS_DIST_ERROR, AMS_DIST_ERROR_INVALID,
                   "%s takes %u parameter%s (%s%s%s), got %u", info->name, info->n_params,
                   info->n_params == 1 ? "" : "s", info->param[0],
                   info->n_params == 2 ? ", " : "",
                   info->n_params == 2 ? info->param[1] : "", n_params);
      return FALSE;
    }

  double a = params[0], b = n_params > 1 ? params[1] : 0.0;
  switch (kind)
    {
    case AMS_DIST_FIXED:
      if (!check_param ("value", a, FALSE, error))
        return FALSE;
      break;
    case AMS_DIST_UNIFORM:
      if (!check_param ("min", a, FALSE, error) || !check_param ("max", b, FALSE, error))
        return FALSE;
      if (a > b)
        return fail (error, "min is greater than max");
      break;
    case AMS_DIST_EXPONENTIAL:
      if (!check_param ("mean", a, TRUE, error))
        return FALSE;
      break;
    case AMS_DIST_NORMAL:
      /* mean > 0 keeps the acceptance of the truncation >= 1/2. */
      if (!check_param ("mean", a, TRUE, error) || !check_param ("sd", b, FALSE, error))
        return FALSE;
      break;
    case AMS_DIST_LOGNORMAL:
      if (!check_param ("mean", a, TRUE, error) || !check_param ("sd", b, FALSE, error))
        return FALSE;
      {
        /* E[X] = exp(mu + s^2/2), Var[X] = (exp(s^2) - 1) E[X]^2. */
        double cv = b / a;
        double s2 = log1p (cv * cv);
        d->q[0] = log (a) - 0.5 * s2;
        d->q[1] = sqrt (s2);
      }
      break;
    case AMS_DIST_GAMMA:
      if (!check_param ("mean", a, TRUE, error) || !check_param ("sd", b, TRUE, error))
        return FALSE;
      /* E[X] = k theta, Var[X] = k theta^2. */
      d->q[0] = (a / b) * (a / b);
      d->q[1] = (b / a) * b;
      if (!(d->q[0] > 0.0 && isfinite (d->q[0]) && d->q[1] > 0.0 && isfinite (d->q[1])))
        {
          memset (d, 0, sizeof *d);
          return fail (error, "mean and sd are too far apart for a gamma distribution");
        }
      break;
    case AMS_DIST_WEIBULL:
      if (!check_param ("shape", a, TRUE, error) || !check_param ("scale", b, TRUE, error))
        return FALSE;
      break;
    case AMS_DIST_EMPIRICAL:
    default:
      g_assert_not_reached ();
    }
  d->kind = kind;
  d->p[0] = a;
  d->p[1] = b;
  return TRUE;
}

void
ams_dist_set_fixed (AmsDist *d, double value)
{
  g_return_if_fail (d != NULL);
  g_return_if_fail (isfinite (value) && value >= 0.0);
  memset (d, 0, sizeof *d);
  d->kind = AMS_DIST_FIXED;
  d->p[0] = value;
}

void
ams_dist_clear (AmsDist *d)
{
  if (d == NULL)
    return;
  g_free (d->values);
  memset (d, 0, sizeof *d);
}

void
ams_dist_copy (AmsDist *dst, const AmsDist *src)
{
  g_return_if_fail (dst != NULL && src != NULL);
  if (dst == src)
    return;
  *dst = *src;
  if (src->values != NULL)
    dst->values = g_memdup2 (src->values, src->n_values * sizeof (double));
}

/* The normal truncated at 0, by rejection: with mean > 0 at least half of
 * the draws are accepted, so the loop runs fewer than two times on average.
 * Rejection keeps the exact shape of the truncated density, where clamping
 * negatives to 0 would put an atom at 0. */
static double
sample_truncated_normal (double mean, double sd, gsl_rng *r)
{
  if (sd == 0.0)
    return mean;
  double x;
  do
    x = mean + gsl_ran_gaussian_ziggurat (r, sd);
  while (x < 0.0);
  return x;
}

/* gsl_ran_exponential's own formula, -mean log1p(-u), written as
 * -mean log(1 - u): 1 - u is exact for the u a generator returns, so the
 * value is the same, and glibc's log is about twice as fast as log1p.
 * Exponential draws are the hottest line of most models. */
static inline double
sample_exponential (double mean, gsl_rng *r)
{
  return -mean * log (1.0 - gsl_rng_uniform (r));
}

/* Extreme but valid parameters (a Weibull shape of 0.001, a lognormal sd
 * of 1e6 times its mean) can overflow; a huge finite duration saturates
 * the clock later, an infinite one would poison every statistic. */
static inline double
clamp_draw (double x)
{
  if (G_UNLIKELY (!(x <= DBL_MAX)))
    x = DBL_MAX;
  if (G_UNLIKELY (!(x >= 0.0)))
    x = 0.0;
  return x;
}

double
ams_dist_sample (const AmsDist *d, gsl_rng *r)
{
  g_return_val_if_fail (d != NULL, 0.0);
  double x;
  /* Poisson arrivals and copy durations, the two draws of most copies:
   * found by one compare rather than the switch's jump through a table */
  if (G_LIKELY (d->kind == AMS_DIST_EXPONENTIAL))
    return clamp_draw (sample_exponential (d->p[0], r));
  switch (d->kind) /* every other kind */
    {
    case AMS_DIST_FIXED:
      return d->p[0];
    case AMS_DIST_UNIFORM:
      x = gsl_ran_flat (r, d->p[0], d->p[1]);
      break;
    case AMS_DIST_NORMAL:
      x = sample_truncated_normal (d->p[0], d->p[1], r);
      break;
    case AMS_DIST_LOGNORMAL:
      if (d->p[1] == 0.0)
        return d->p[0];
      x = gsl_ran_lognormal (r, d->q[0], d->q[1]);
      break;
    case AMS_DIST_GAMMA:
      x = gsl_ran_gamma (r, d->q[0], d->q[1]);
      break;
    case AMS_DIST_WEIBULL:
      x = gsl_ran_weibull (r, d->p[1], d->p[0]);
      break;
    case AMS_DIST_EMPIRICAL:
      return d->values[gsl_rng_uniform_int (r, d->n_values)];
    default:
      g_return_val_if_reached (0.0);
    }
  return clamp_draw (x);
}

/* Moments of the normal(m, s) truncated to [0, inf): with alpha = -m/s,
 * Z = 1 - Phi(alpha) = Phi(m/s) and lambda = phi(alpha)/Z,
 *   mean = m + s lambda,   var = s^2 (1 + alpha lambda - lambda^2). */
static void
truncated_normal_moments (double m, double s, double *mean, double *var)
{
  if (s == 0.0)
    {
      *mean = m;
      *var = 0.0;
      return;
    }
  double alpha = -m / s;
  double z = gsl_cdf_ugaussian_P (m / s);
  double lambda = gsl_ran_ugaussian_pdf (alpha) / z;
  *mean = m + s * lambda;
  *var = s * s * (1.0 + alpha * lambda - lambda * lambda);
  if (*var < 0.0)
    *var = 0.0;
}

/* Gamma function through its logarithm so that an extreme Weibull shape
 * gives inf rather than a GSL overflow error (which aborts by default). */
static double
gamma_fn (double x)
{
  return exp (gsl_sf_lngamma (x));
}

double
ams_dist_mean (const AmsDist *d)
{
  g_return_val_if_fail (d != NULL, 0.0);
  double mean, var;
  switch (d->kind)
    {
    case AMS_DIST_FIXED:
    case AMS_DIST_EXPONENTIAL:
    case AMS_DIST_LOGNORMAL:
    case AMS_DIST_GAMMA:
      return d->p[0];
    case AMS_DIST_UNIFORM:
      return 0.5 * (d->p[0] + d->p[1]);
    case AMS_DIST_NORMAL:
      truncated_normal_moments (d->p[0], d->p[1], &mean, &var);
      return mean;
    case AMS_DIST_WEIBULL:
      return d->p[1] * gamma_fn (1.0 + 1.0 / d->p[0]);
    case AMS_DIST_EMPIRICAL:
      mean = 0.0;
      for (guint i = 0; i < d->n_values; i++)
        mean += (d->values[i] - mean) / (double) (i + 1);
      return mean;
    default:
      g_return_val_if_reached (0.0);
    }
}

double
ams_dist_sd (const AmsDist *d)
{
  g_return_val_if_fail (d != NULL, 0.0);
  double mean, var;
  switch (d->kind)
    {
    case AMS_DIST_FIXED:
      return 0.0;
    case AMS_DIST_UNIFORM:
      return (d->p[1] - d->p[0]) / sqrt (12.0);
    case AMS_DIST_EXPONENTIAL:
      return d->p[0];
    case AMS_DIST_NORMAL:
      truncated_normal_moments (d->p[0], d->p[1], &mean, &var);
      return sqrt (var);
    case AMS_DIST_LOGNORMAL:
    case AMS_DIST_GAMMA:
      return d->p[1];
    case AMS_DIST_WEIBULL:
      {
        double g1 = gamma_fn (1.0 + 1.0 / d->p[0]);
        double g2 = gamma_fn (1.0 + 2.0 / d->p[0]);
        var = g2 - g1 * g1;
        return d->p[1] * sqrt (var > 0.0 ? var : 0.0);
      }
    case AMS_DIST_EMPIRICAL:
      {
        /* Resampling draws each listed value with probability 1/n: the
         * population variance (divisor n), not the sample variance. */
        mean = ams_dist_mean (d);
        var = 0.0;
        for (guint i = 0; i < d->n_values; i++)
          var += (d->values[i] - mean) * (d->values[i] - mean);
        return sqrt (var / (double) d->n_values);
      }
    default:
      g_return_val_if_reached (0.0);
    }
}

gboolean
ams_dist_is_constant (const AmsDist *d)
{
  g_return_val_if_fail (d != NULL, TRUE);
  switch (d->kind)
    {
    case AMS_DIST_FIXED:
      return TRUE;
    case AMS_DIST_UNIFORM:
      return d->p[0] == d->p[1];
    case AMS_DIST_NORMAL:
    case AMS_DIST_LOGNORMAL:
      return d->p[1] == 0.0;
    case AMS_DIST_EMPIRICAL:
      return d->values[0] == d->values[d->n_values - 1];
    case AMS_DIST_EXPONENTIAL:
    case AMS_DIST_GAMMA:
    case AMS_DIST_WEIBULL:
    default:
      return FALSE;
    }
}

/* %g, but independent of the locale's decimal separator. */
static void
append_number (GString *s, double x, const char *unit)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%g", x));
  g_string_append (s, unit);
}

/* Empirical lists longer than this are shown by their first values. */
#define TO_STRING_MAX_VALUES 10

char *
ams_dist_to_string (const AmsDist *d)
{
  g_return_val_if_fail (d != NULL, NULL);
  g_return_val_if_fail (kind_valid (d->kind), NULL);
  const KindInfo *info = &kinds[d->kind];
  GString *s = g_string_new (info->name);
  g_string_append_c (s, '(');
  switch (d->kind)
    {
    case AMS_DIST_FIXED:
      append_number (s, d->p[0], "s");
      break;
    case AMS_DIST_EMPIRICAL:
      g_string_append_c (s, '[');
      for (guint i = 0; i < d->n_values && i < TO_STRING_MAX_VALUES; i++)
        {
          if (i > 0)
            g_string_append (s, ", ");
          append_number (s, d->values[i], "s");
        }
      if (d->n_values > TO_STRING_MAX_VALUES)
        g_string_append_printf (s, ", … (%u values)", d->n_values);
      g_string_append_c (s, ']');
      break;
    default:
      for (guint i = 0; i < info->n_params; i++)
        {
          if (i > 0)
            g_string_append (s, ", ");
          g_string_append_printf (s, "%s=", info->param[i]);
          /* The Weibull shape is a pure number; everything else is seconds. */
          gboolean unitless = d->kind == AMS_DIST_WEIBULL && i == 0;
          append_number (s, d->p[i], unitless ? "" : "s");
        }
      break;
    }
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}
