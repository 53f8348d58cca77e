/* rng.h - the world's one seeded random generator.
 *
 * Design: xoshiro256** (Blackman & Vigna), seeded through splitmix64 so that
 * any 64-bit seed, including 0, gives a well-mixed state. It is fast, has a
 * 2^256 period and, unlike rand(), is identical on every platform, which the
 * byte-identical trace promise needs. All model randomness draws from the
 * world's generator in event order, so the draws are deterministic too.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimRng SimRng;

SimRng *sim_rng_new(uint64_t seed);
void sim_rng_free(SimRng *r);
void sim_rng_seed(SimRng *r, uint64_t seed);
uint64_t sim_rng_u64(SimRng *r);
/* Uniform in [0, 1) with 53 bits. */
double sim_rng_double(SimRng *r);
/* Uniform in [0, n), unbiased (Lemire's method); n > 0. */
uint64_t sim_rng_below(SimRng *r, uint64_t n);
/* True with probability p (p <= 0: never, p >= 1: always). */
bool sim_rng_chance(SimRng *r, double p);
/* Exponential with the given mean. */
double sim_rng_exp(SimRng *r, double mean);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimRng, sim_rng_free)
