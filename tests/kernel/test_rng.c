/* Tests of the random streams: the seed derivation documented in rng.h,
 * reproduced here independently so that the documentation cannot drift;
 * xoshiro256++ against the reference algorithm; reproducibility and
 * separation of streams; and statistical checks of uniformity and of
 * independence between streams at the 99.9 % level. */
#include "ams_test.h"

#include <amisim/rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

/* ---- independent implementations of the documented pieces ------------- */

static uint64_t
ref_rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

/* FNV-1a 64, as specified by Fowler, Noll and Vo. */
static uint64_t
ref_fnv1a (const char *s)
{
  uint64_t h = 14695981039346656037ULL;
  for (; *s; s++)
    {
      h ^= (unsigned char) *s;
      h *= 1099511628211ULL;
    }
  return h;
}

/* splitmix64, Vigna's splitmix64.c. */
static uint64_t
ref_splitmix (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* xoshiro256++, Blackman & Vigna's xoshiro256plusplus.c. */
static uint64_t
ref_xoshiro (uint64_t s[4])
{
  const uint64_t result = ref_rotl (s[0] + s[3], 23) + s[0];
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = ref_rotl (s[3], 45);
  return result;
}

static void
ref_stream_state (uint64_t master, uint64_t repl, const char *name, uint64_t s[4])
{
  uint64_t x = master ^ ref_rotl (repl * 0x9E3779B97F4A7C15ULL, 17) ^ ref_fnv1a (name);
  for (int i = 0; i < 4; i++)
    s[i] = ref_splitmix (&x);
}

/* ---- the pieces -------------------------------------------------------- */

static void
test_rng_fnv1a_known_vectors (void)
{
  /* Published FNV-1a 64 test vectors. */
  CU_ASSERT_EQUAL (ams_hash_name (""), 0xcbf29ce484222325ULL);
  CU_ASSERT_EQUAL (ams_hash_name ("a"), 0xaf63dc4c8601ec8cULL);
  CU_ASSERT_EQUAL (ams_hash_name ("foobar"), 0x85944171f73967e8ULL);
  const char *name = "copy/222222222222/us-east-1";
  CU_ASSERT_EQUAL (ams_hash_name (name), ref_fnv1a (name));
}

static void
test_rng_splitmix64_known_values (void)
{
  uint64_t a = 0, b = 0;
  /* First output from state 0, as published with splitmix64.c. */
  CU_ASSERT_EQUAL (ams_splitmix64 (&a), 0xe220a8397b1dcdafULL);
  CU_ASSERT_EQUAL (a, 0x9e3779b97f4a7c15ULL);
  ref_splitmix (&b);
  for (int i = 0; i < 100; i++)
    CU_ASSERT_EQUAL (ams_splitmix64 (&a), ref_splitmix (&b));
}

static void
test_rng_type_properties (void)
{
  g_autoptr (gsl_rng) r = ams_rng_new (1, 2, "x");
  CU_ASSERT_PTR_EQUAL (r->type, ams_rng_xoshiro256pp);
  CU_ASSERT_STRING_EQUAL (gsl_rng_name (r), "xoshiro256++");
  CU_ASSERT_EQUAL (gsl_rng_max (r), 0xffffffffUL);
  CU_ASSERT_EQUAL (gsl_rng_min (r), 0);
  CU_ASSERT_EQUAL (gsl_rng_size (r), 32);
}

/* The state {1, 2, 3, 4}: outputs of the published algorithm, through
 * get() (top 32 bits) and get_double() (top 53 bits). */
static void
test_rng_xoshiro_matches_reference (void)
{
  g_autoptr (gsl_rng) r = gsl_rng_alloc (ams_rng_xoshiro256pp);
  uint64_t init[4] = { 1, 2, 3, 4 }, s[4];
  memcpy (s, init, sizeof s);
  CU_ASSERT_EQUAL (ref_xoshiro (s), 41943041); /* rotl(5, 23) + 1 */
  memcpy (s, init, sizeof s);
  memcpy (r->state, init, sizeof init);
  for (int i = 0; i < 1000; i++)
    {
      uint64_t x = ref_xoshiro (s);
      if (i % 2 == 0)
        {
          CU_ASSERT_EQUAL (gsl_rng_get (r), (unsigned long) (x >> 32));
        }
      else
        {
          CU_ASSERT_EQUAL (gsl_rng_uniform (r), (double) (x >> 11) * 0x1.0p-53);
        }
    }
}

/* The derivation of rng.h, step by step, for one name. */
static void
test_rng_documented_derivation (void)
{
  const char *name = "pipeline/golden/build";
  uint64_t master = 42, repl = 3, s[4];
  ref_stream_state (master, repl, name, s);
  g_autoptr (gsl_rng) r = ams_rng_new (master, repl, name);
  for (int i = 0; i < 100; i++)
    CU_ASSERT_EQUAL (gsl_rng_get (r), (unsigned long) (ref_xoshiro (s) >> 32));

  /* Re-seeding an existing generator gives the same stream. */
  ams_rng_seed_stream (r, master, repl, name);
  ref_stream_state (master, repl, name, s);
  for (int i = 0; i < 100; i++)
    CU_ASSERT_EQUAL (gsl_rng_uniform (r), (double) (ref_xoshiro (s) >> 11) * 0x1.0p-53);
}

/* gsl_rng_set (r, seed) seeds through splitmix64 of the seed. */
static void
test_rng_gsl_set (void)
{
  g_autoptr (gsl_rng) r = gsl_rng_alloc (ams_rng_xoshiro256pp);
  gsl_rng_set (r, 12345);
  uint64_t x = 12345, s[4];
  for (int i = 0; i < 4; i++)
    s[i] = ref_splitmix (&x);
  for (int i = 0; i < 50; i++)
    CU_ASSERT_EQUAL (gsl_rng_get (r), (unsigned long) (ref_xoshiro (s) >> 32));
}

/* ---- streams ------------------------------------------------------------ */

static void
test_rng_same_stream_identical (void)
{
  g_autoptr (gsl_rng) a = ams_rng_new (7, 1, "copy/222222222222/us-east-1");
  g_autoptr (gsl_rng) b = ams_rng_new (7, 1, "copy/222222222222/us-east-1");
  guint differ = 0;
  for (int i = 0; i < 10000; i++)
    differ += gsl_rng_get (a) != gsl_rng_get (b);
  CU_ASSERT_EQUAL (differ, 0);
}

/* A stream inside its owner's record draws what the allocated one of the
 * same name draws; another name, something else. */
static void
test_rng_inline_same_as_allocated (void)
{
  const char *name = "copy/222222222222/us-east-1";
  g_autoptr (gsl_rng) a = ams_rng_new (7, 1, name);
  struct
  {
    char before;
    AmsRngInline s;
    char after;
  } in, other;
  in.before = in.after = 'x';
  ams_rng_init (&in.s, 7, 1, name);
  ams_rng_init (&other.s, 7, 1, "copy/222222222222/us-east-2");
  CU_ASSERT_STRING_EQUAL (gsl_rng_name (&in.s.r), "xoshiro256++");
  guint differ = 0, same_other = 0;
  for (int i = 0; i < 10000; i++)
    {
      double x = gsl_ran_exponential (a, 60.0);
      differ += x != gsl_ran_exponential (&in.s.r, 60.0);
      same_other += x == gsl_ran_exponential (&other.s.r, 60.0);
    }
  CU_ASSERT_EQUAL (differ, 0);
  CU_ASSERT_TRUE (same_other < 4);
  CU_ASSERT_EQUAL (in.before, 'x');
  CU_ASSERT_EQUAL (in.after, 'x');
}

static gboolean
streams_differ (uint64_t m1, uint64_t r1, const char *n1, uint64_t m2, uint64_t r2,
                const char *n2)
{
  g_autoptr (gsl_rng) a = ams_rng_new (m1, r1, n1);
  g_autoptr (gsl_rng) b = ams_rng_new (m2, r2, n2);
  guint same = 0;
  for (int i = 0; i < 64; i++)
    same += gsl_rng_get (a) == gsl_rng_get (b);
  return same < 4; /* equal 32-bit words by chance: about 64 / 2^32 */
}

static void
test_rng_different_streams_differ (void)
{
  CU_ASSERT_TRUE (streams_differ (7, 0, "a", 7, 0, "b"));
  CU_ASSERT_TRUE (streams_differ (7, 0, "copy/1", 7, 0, "copy/2"));
  CU_ASSERT_TRUE (streams_differ (7, 0, "a", 7, 1, "a"));
  CU_ASSERT_TRUE (streams_differ (7, 0, "a", 8, 0, "a"));
  CU_ASSERT_TRUE (streams_differ (0, 0, "", 0, 1, ""));
}

static void
test_rng_uniform_pos_never_0_or_1 (void)
{
  g_autoptr (gsl_rng) r = ams_rng_new (5, 0, "test/pos");
  double lo = 1.0, hi = 0.0;
  for (int i = 0; i < 100000; i++)
    {
      double u = ams_rng_uniform_pos (r);
      lo = MIN (lo, u);
      hi = MAX (hi, u);
    }
  CU_ASSERT_TRUE (lo > 0.0);
  CU_ASSERT_TRUE (hi < 1.0);

  /* A state whose next output is 0 (s[0] = s[3] = 0): get_double gives
   * exactly 0 once, and uniform_pos must draw again. */
  uint64_t zero_next[4] = { 0, 0x1234, 0x5678, 0 };
  memcpy (r->state, zero_next, sizeof zero_next);
  CU_ASSERT_EQUAL (gsl_rng_uniform (r), 0.0);
  memcpy (r->state, zero_next, sizeof zero_next);
  double u = ams_rng_uniform_pos (r);
  CU_ASSERT_TRUE (u > 0.0 && u < 1.0);
}

/* ---- statistics --------------------------------------------------------- */

#define N_DRAWS 100000
#define Z_999 3.2905267314918945 /* two-sided 99.9 % normal quantile */

/* Pearson correlation of paired uniforms. Under independence
 * r sqrt(n) is asymptotically standard normal. */
static double
correlation (gsl_rng *a, gsl_rng *b, int n)
{
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (int i = 0; i < n; i++)
    {
      double x = gsl_rng_uniform (a) - 0.5, y = gsl_rng_uniform (b) - 0.5;
      sa += x;
      sb += y;
      saa += x * x;
      sbb += y * y;
      sab += x * y;
    }
  double cov = sab - sa * sb / n;
  return cov / sqrt ((saa - sa * sa / n) * (sbb - sb * sb / n));
}

static void
test_rng_stream_independence (void)
{
  struct { uint64_t m1, r1; const char *n1; uint64_t m2, r2; const char *n2; } pairs[] = {
    { 42, 0, "copy/222222222222/us-east-1", 42, 0, "copy/222222222222/us-east-2" },
    { 42, 0, "a", 42, 0, "b" },
    { 42, 0, "pipeline/x", 42, 1, "pipeline/x" },
    { 42, 0, "pipeline/x", 43, 0, "pipeline/x" },
  };
  double bound = Z_999 / sqrt (N_DRAWS);
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr (gsl_rng) a = ams_rng_new (pairs[i].m1, pairs[i].r1, pairs[i].n1);
      g_autoptr (gsl_rng) b = ams_rng_new (pairs[i].m2, pairs[i].r2, pairs[i].n2);
      double r = correlation (a, b, N_DRAWS);
      CU_ASSERT_TRUE (fabs (r) < bound);
    }
}

/* Pearson's chi-square over 100 equal bins against the 99.9 % critical
 * value with 99 degrees of freedom; for doubles and for get()'s integers. */
static void
test_rng_chisq_uniformity (void)
{
  enum { BINS = 100 };
  const char *names[] = { "a", "b", "copy/222222222222/us-east-1", "" };
  double critical = gsl_cdf_chisq_Qinv (0.001, BINS - 1);
  double expected = (double) N_DRAWS / BINS;
  for (guint s = 0; s < G_N_ELEMENTS (names); s++)
    for (int use_get = 0; use_get < 2; use_get++)
      {
        g_autoptr (gsl_rng) r = ams_rng_new (99, s, names[s]);
        guint count[BINS] = { 0 };
        for (int i = 0; i < N_DRAWS; i++)
          {
            guint bin = use_get ? (guint) ((uint64_t) gsl_rng_get (r) * BINS >> 32)
                                : (guint) (gsl_rng_uniform (r) * BINS);
            count[bin]++;
          }
        double chi2 = 0;
        for (int b = 0; b < BINS; b++)
          chi2 += (count[b] - expected) * (count[b] - expected) / expected;
        CU_ASSERT_TRUE (chi2 < critical);
      }
}

static const AmsTestCase cases[] = {
  { "fnv1a_known_vectors", test_rng_fnv1a_known_vectors },
  { "splitmix64_known_values", test_rng_splitmix64_known_values },
  { "type_properties", test_rng_type_properties },
  { "xoshiro_matches_reference", test_rng_xoshiro_matches_reference },
  { "documented_derivation", test_rng_documented_derivation },
  { "gsl_set", test_rng_gsl_set },
  { "same_stream_identical", test_rng_same_stream_identical },
  { "inline_same_as_allocated", test_rng_inline_same_as_allocated },
  { "different_streams_differ", test_rng_different_streams_differ },
  { "uniform_pos_never_0_or_1", test_rng_uniform_pos_never_0_or_1 },
  { "stream_independence", test_rng_stream_independence },
  { "chisq_uniformity", test_rng_chisq_uniformity },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("rng", cases);
}
