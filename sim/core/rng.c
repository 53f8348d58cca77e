/* rng.c - xoshiro256** seeded by splitmix64; see rng.h. */
#include "sim/core/rng.h"

#include <string.h>

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

/* Natural log of x in (0, 1], here rather than libm's log() for two
 * reasons. Determinism: glibc picks log's code by CPU at load time (an FMA
 * variant on CPUs that have it), and results are only promised within an
 * ulp, so one seed could draw different delays on two machines; this one is
 * plain IEEE double arithmetic (+ - * /, no FMA: the build does not target
 * FMA), the same bits everywhere. (It was also netsim's last use of libm;
 * glib maps libm anyway, so that saves no memory.)
 * Method: x = m 2^e with m in [sqrt(1/2), sqrt(2)); with s = (m-1)/(m+1),
 * ln m = 2 atanh s = 2 (s + s^3/3 + s^5/5 + ...), |s| < 0.172, so 12
 * terms leave a remainder under 2^-60; e ln 2 is added in two parts
 * (ln2_hi has trailing zero bits, so e ln2_hi is exact). Within 2 ulp of
 * the true log; tests/unit/test_world.c compares it with libm's. Cost:
 * about 25 flops, like libm's. */
static double ln_unit(double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    /* x >= 2^-53 (1 - u with u a multiple of 2^-53): never subnormal. */
    int e = (int)((bits >> 52) & 0x7ff) - 1023;
    bits = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1023) << 52);
    double m;
    memcpy(&m, &bits, sizeof m);
    if (m > 1.4142135623730951) {
        m *= 0.5;
        e++;
    }
    double s = (m - 1.0) / (m + 1.0), s2 = s * s;
    double sum = 1.0 / 25;
    for (int k = 11; k >= 0; k--)
        sum = 1.0 / (2 * k + 1) + s2 * sum;
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    return e * ln2_hi + (e * ln2_lo + 2.0 * s * sum);
}

double sim_rng_exp(SimRng *r, double mean)
{
    /* 1 - u is in (0, 1], so the log is finite. */
    return -mean * ln_unit(1.0 - sim_rng_double(r));
}
