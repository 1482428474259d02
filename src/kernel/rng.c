/* amisim — random streams: xoshiro256++ as a GSL generator, seeded by name.
 *
 * GSL's samplers take any gsl_rng, so the generator is written as a
 * gsl_rng_type and every gsl_ran_* function works on amisim's streams
 * unchanged. xoshiro256++ rather than GSL's mt19937: 32 bytes of state
 * instead of 2.5 KB (a model may hold thousands of streams), a faster step,
 * and a seeding procedure (splitmix64) that is simple to reproduce from the
 * documentation in rng.h, which is what makes per-entity streams derived
 * from (master, replication, name) practical.
 */
#include "amisim/rng.h"

#include <string.h>

typedef struct
{
  uint64_t s[4];
} Xoshiro;

static inline uint64_t
rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

/* The reference algorithm (Blackman & Vigna, xoshiro256plusplus.c). */
static inline uint64_t
xoshiro_next (Xoshiro *x)
{
  uint64_t *s = x->s;
  uint64_t result = rotl (s[0] + s[3], 23) + s[0];
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

uint64_t
ams_splitmix64 (uint64_t *state)
{
  uint64_t z = (*state += UINT64_C (0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

uint64_t
ams_hash_name (const char *name)
{
  g_return_val_if_fail (name != NULL, 0);
  uint64_t h = UINT64_C (0xCBF29CE484222325);
  for (const unsigned char *p = (const unsigned char *) name; *p != '\0'; p++)
    {
      h ^= *p;
      h *= UINT64_C (0x100000001B3);
    }
  return h;
}

/* Fills the state with four successive splitmix64 outputs from x. The
 * all-zero state is the one xoshiro cannot leave; should splitmix64 ever
 * produce it, word i becomes splitmix64 of the state i + 1 (i = 0..3). */
static void
seed_state (Xoshiro *x, uint64_t seed)
{
  for (int i = 0; i < 4; i++)
    x->s[i] = ams_splitmix64 (&seed);
  if ((x->s[0] | x->s[1] | x->s[2] | x->s[3]) == 0)
    for (int i = 0; i < 4; i++)
      {
        uint64_t one = (uint64_t) i + 1;
        x->s[i] = ams_splitmix64 (&one);
      }
}

/* gsl_rng_set (r, seed): the same splitmix64 expansion of the plain seed. */
static void
xoshiro_set (void *state, unsigned long seed)
{
  seed_state (state, (uint64_t) seed);
}

/* GSL generators return unsigned long in [min, max]. The top 32 bits are
 * the strongest of xoshiro256++'s output, and a 32-bit max behaves the same
 * whether unsigned long is 32 or 64 bits wide (gsl_rng_uniform_int, the
 * samplers that build integers from get(), code written for mt19937). */
static unsigned long
xoshiro_get (void *state)
{
  return (unsigned long) (xoshiro_next (state) >> 32);
}

/* 53 random bits scaled into [0, 1): every double of the form k * 2^-53. */
static double
xoshiro_get_double (void *state)
{
  return (double) (xoshiro_next (state) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
  "xoshiro256++",
  0xFFFFFFFFUL,
  0,
  sizeof (Xoshiro),
  xoshiro_set,
  xoshiro_get,
  xoshiro_get_double,
};

const gsl_rng_type *ams_rng_xoshiro256pp = &xoshiro_type;

void
ams_rng_seed_stream (gsl_rng *r, uint64_t master, uint64_t replication, const char *name)
{
  g_return_if_fail (r != NULL);
  g_return_if_fail (r->type == &xoshiro_type);
  g_return_if_fail (name != NULL);
  uint64_t x = master ^ rotl (replication * UINT64_C (0x9E3779B97F4A7C15), 17)
               ^ ams_hash_name (name);
  seed_state (r->state, x);
}

gsl_rng *
ams_rng_new (uint64_t master, uint64_t replication, const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  gsl_rng *r = gsl_rng_alloc (&xoshiro_type);
  if (r == NULL)
    g_error ("ams_rng_new: out of memory");
  ams_rng_seed_stream (r, master, replication, name);
  return r;
}

G_STATIC_ASSERT (sizeof (((AmsRngInline *) NULL)->state) == sizeof (Xoshiro));

void
ams_rng_init (AmsRngInline *s, uint64_t master, uint64_t replication, const char *name)
{
  g_return_if_fail (s != NULL && name != NULL);
  s->r.type = &xoshiro_type;
  s->r.state = s->state;
  ams_rng_seed_stream (&s->r, master, replication, name);
}

double
ams_rng_uniform_pos (gsl_rng *r)
{
  g_return_val_if_fail (r != NULL, 0.5);
  /* get_double is in [0, 1) for every GSL generator, so only 0 needs
   * redrawing (for xoshiro256++ with probability 2^-53). */
  double u;
  do
    u = gsl_rng_uniform (r);
  while (u == 0.0);
  return u;
}
