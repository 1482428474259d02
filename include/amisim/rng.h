/* amisim — random streams.
 *
 * Every entity of a model draws from its own stream, named by a string
 * ("pipeline/golden/build", "copy/222222222222/us-east-1"). A stream is a GSL
 * generator (gsl_rng *) whose seed is derived from three things only: the
 * master seed, the replication number and the stream's name. Changing one
 * entity, or adding another, leaves every other stream untouched, which gives
 * common random numbers across what-if runs.
 *
 * Derivation (documented so that outputs can be reproduced elsewhere):
 *   h    = FNV-1a 64 of the name's bytes
 *   x    = master ^ rotl64(replication * 0x9E3779B97F4A7C15, 17) ^ h
 *   the generator's 256-bit state = four successive splitmix64(x) outputs
 *   (an all-zero state, probability 2^-256, is replaced by splitmix64(1..4)).
 * The generator is xoshiro256++ (Blackman & Vigna 2019), wrapped as a
 * gsl_rng_type ("xoshiro256++") so that every gsl_ran_* sampler works on it:
 * 32 bytes of state per stream, period 2^256 - 1, 64-bit output of which GSL
 * sees the top 32 bits through get() and 53 bits through get_double().
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

/* The xoshiro256++ generator as a GSL generator type. */
extern const gsl_rng_type *ams_rng_xoshiro256pp;

/* splitmix64 step: advances *state and returns the next output. */
uint64_t ams_splitmix64 (uint64_t *state);

/* FNV-1a 64-bit hash of a NUL-terminated string. */
uint64_t ams_hash_name (const char *name);

/* Seeds an existing generator of type ams_rng_xoshiro256pp with the stream
 * (master, replication, name), as described above. */
void ams_rng_seed_stream (gsl_rng *r, uint64_t master, uint64_t replication,
                          const char *name);

/* A new generator seeded for stream (master, replication, name). Free with
 * gsl_rng_free. Never NULL (aborts on out of memory, as GLib does). */
gsl_rng *ams_rng_new (uint64_t master, uint64_t replication, const char *name);

/* A stream kept inside its owner's record rather than allocated: the
 * generator (use &s->r as the gsl_rng *) and its state, 48 bytes in all.
 * Set up by ams_rng_init; nothing to free. Not to be copied: r points
 * into it. */
typedef struct
{
  gsl_rng r;
  uint64_t state[4];
} AmsRngInline;

void ams_rng_init (AmsRngInline *s, uint64_t master, uint64_t replication, const char *name);

/* Uniform double in (0, 1): never exactly 0 or 1. */
double ams_rng_uniform_pos (gsl_rng *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (gsl_rng, gsl_rng_free)

G_END_DECLS
