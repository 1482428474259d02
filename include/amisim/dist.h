/* amisim — probability distributions of random quantities.
 *
 * The distributions a scenario can name (SCENARIO.md §1): fixed, uniform,
 * exponential, normal (truncated at 0), lognormal, gamma, weibull, empirical.
 * Parameters are given as the user thinks of them (mean and sd of the
 * variable itself for normal, lognormal and gamma) and converted once, at
 * set-up, to the parameters of the GSL samplers. Values are unit-free
 * doubles; the scenario uses seconds for durations.
 */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

typedef enum
{
  AMS_DIST_FIXED,       /* value                                   */
  AMS_DIST_UNIFORM,     /* min, max (min <= max)                   */
  AMS_DIST_EXPONENTIAL, /* mean > 0                                */
  AMS_DIST_NORMAL,      /* mean > 0, sd >= 0; truncated at 0 by rejection */
  AMS_DIST_LOGNORMAL,   /* mean > 0, sd >= 0 (of the variable)     */
  AMS_DIST_GAMMA,       /* mean > 0, sd > 0 (of the variable)      */
  AMS_DIST_WEIBULL,     /* shape > 0, scale > 0                    */
  AMS_DIST_EMPIRICAL,   /* n >= 1 values >= 0, each equally likely */
} AmsDistKind;

/* A distribution ready to sample. Plain data: copy with ams_dist_copy,
 * release with ams_dist_clear. A zero-initialised AmsDist is fixed(0). */
typedef struct
{
  AmsDistKind kind;
  double p[2];     /* the parameters as given (see AmsDistKind)          */
  double q[2];     /* derived sampler parameters (lognormal mu, sigma;
                      gamma shape k, scale theta)                        */
  double *values;  /* AMS_DIST_EMPIRICAL only: owned copy, sorted        */
  guint n_values;
} AmsDist;

#define AMS_DIST_ERROR (ams_dist_error_quark ())
GQuark ams_dist_error_quark (void);
typedef enum
{
  AMS_DIST_ERROR_INVALID, /* parameters outside their domain */
} AmsDistError;

/* Sets *d to a distribution of `kind` with `params` (p[0], p[1] as listed in
 * AmsDistKind; for EMPIRICAL, params are the n values). Checks the domain
 * and on failure returns FALSE with a message naming the parameter and the
 * rule ("sd must be >= 0", "min is greater than max"), leaving *d fixed(0).
 * *d must be cleared (or zero) before. */
gboolean ams_dist_set (AmsDist *d, AmsDistKind kind, const double *params,
                       guint n_params, GError **error);

/* Shorthand for a fixed value (>= 0). */
void ams_dist_set_fixed (AmsDist *d, double value);

/* Releases what *d owns and makes it fixed(0). Accepts NULL. */
void ams_dist_clear (AmsDist *d);

/* Deep copy of src into *dst (which must be cleared or zero). */
void ams_dist_copy (AmsDist *dst, const AmsDist *src);

/* One sample, always >= 0 and finite. */
double ams_dist_sample (const AmsDist *d, gsl_rng *r);

/* Theoretical mean and standard deviation of what ams_dist_sample returns
 * (for the truncated normal: of the truncated variable). */
double ams_dist_mean (const AmsDist *d);
double ams_dist_sd (const AmsDist *d);

/* TRUE if the distribution always returns the same value. */
gboolean ams_dist_is_constant (const AmsDist *d);

/* The kind's name as written in scenarios ("lognormal"). */
const char *ams_dist_kind_name (AmsDistKind kind);

/* A readable form with values in seconds, e.g. "lognormal(mean=2400s, sd=600s)".
 * Free with g_free. */
char *ams_dist_to_string (const AmsDist *d);

G_END_DECLS
