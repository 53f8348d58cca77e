/* rng.c - xoshiro256** seeded by splitmix64; see rng.h. */
#include "sim/core/rng.h"

#include <math.h>

struct _SimRng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void sim_rng_seed(SimRng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

SimRng *sim_rng_new(uint64_t seed)
{
    SimRng *r = g_aligned_alloc(1, sizeof(SimRng), 64); /* a line of its own */
    sim_rng_seed(r, seed);
    return r;
}

SimRng *sim_rng_new_stream(uint64_t seed, uint64_t stream)
{
    uint64_t a = seed, b = stream ^ 0x5851f42d4c957f2dULL;
    uint64_t mixed = splitmix64(&a) ^ rotl(splitmix64(&b), 23);
    return sim_rng_new(mixed);
}

void sim_rng_free(SimRng *r)
{
    g_aligned_free(r);
}

uint64_t sim_rng_u64(SimRng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double sim_rng_double(SimRng *r)
{
    return (double)(sim_rng_u64(r) >> 11) * 0x1.0p-53;
}

uint64_t sim_rng_below(SimRng *r, uint64_t n)
{
    g_assert(n > 0);
    /* Lemire's nearly divisionless method with 128-bit multiply. */
    unsigned __int128 m = (unsigned __int128)sim_rng_u64(r) * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = -n % n;
        while (low < threshold) {
            m = (unsigned __int128)sim_rng_u64(r) * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

bool sim_rng_chance(SimRng *r, double p)
{
    if (p <= 0.0)
        return false;
    if (p >= 1.0)
        return true;
    return sim_rng_double(r) < p;
}

double sim_rng_exp(SimRng *r, double mean)
{
    /* 1 - u is in (0, 1], so the log is finite. */
    return -mean * log(1.0 - sim_rng_double(r));
}
