/* rng.h - the world's seeded random generators, one stream per entity.
 *
 * Design: xoshiro256** (Blackman & Vigna), seeded through splitmix64 so that
 * any 64-bit seed, including 0, gives a well-mixed state. It is fast, has a
 * 2^256 period and, unlike rand(), is identical on every platform, which the
 * byte-identical trace promise needs. Each entity (a node) draws from its
 * own stream in the order of its own events, so the draws are
 * deterministic, and the same in a run split across processes. One world
 * generator drawn in global event order (before #20) would give a node
 * different numbers whenever another process's events interleave
 * differently; a stream per process (rank) would make the numbers depend
 * on the partition. Rejected: both.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _SimRng SimRng;

SimRng *sim_rng_new(uint64_t seed);
/* Stream `stream` of a run seeded with `seed`: the two are mixed through
 * splitmix64 separately, so streams of one seed, and one stream under
 * different seeds, start from unrelated states. The world keeps one per
 * entity (world.h). */
SimRng *sim_rng_new_stream(uint64_t seed, uint64_t stream);
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
