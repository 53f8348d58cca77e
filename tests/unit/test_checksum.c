/* test_checksum.c - RFC 1071 sums and RFC 1624 incremental updates. */
#include <criterion/criterion.h>
#include <glib.h>
#include <string.h>

#include "sim/net/checksum.h"

/* RFC 1071 section 3, the worked example. */
Test(checksum, rfc1071_example)
{
    const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    uint32_t sum = sim_csum_partial(b, sizeof b, 0);
    cr_assert_eq(sim_csum_fold(sum), 0xddf2);
    cr_assert_eq(sim_csum_finish(sum), 0x220d);
    cr_assert_eq(sim_csum(b, sizeof b), 0x220d);
}

/* A captured IPv4 header whose checksum field holds 0xb861. */
static const uint8_t captured[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                     0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};

Test(checksum, captured_ipv4_header)
{
    uint8_t h[20];
    memcpy(h, captured, 20);
    cr_assert_eq(sim_csum(h, 20), 0, "a valid header sums to zero");
    h[10] = h[11] = 0;
    cr_assert_eq(sim_csum(h, 20), 0xb861);
}

Test(checksum, partial_sums_compose)
{
    /* Even-length chunks summed piecewise equal the whole. */
    uint32_t s = sim_csum_partial(captured, 8, 0);
    s = sim_csum_partial(captured + 8, 12, s);
    cr_assert_eq(sim_csum_finish(s), sim_csum(captured, 20));
}

Test(checksum, odd_length_pads_with_zero)
{
    const uint8_t odd[3] = {0x12, 0x34, 0x56};
    const uint8_t even[4] = {0x12, 0x34, 0x56, 0x00};
    cr_assert_eq(sim_csum(odd, 3), sim_csum(even, 4));
    cr_assert_eq(sim_csum(odd, 3), (uint16_t) ~(0x1234 + 0x5600));
}

Test(checksum, long_buffer_carries)
{
    /* 64 KiB of 0xff: every add carries; one's complement sum stays 0xffff. */
    static uint8_t b[65536];
    memset(b, 0xff, sizeof b);
    cr_assert_eq(sim_csum_fold(sim_csum_partial(b, sizeof b, 0)), 0xffff);
    cr_assert_eq(sim_csum(b, sizeof b), 0x0000);
}

Test(checksum, pseudo_header_matches_bytes)
{
    const uint8_t ph[12] = {192, 168, 0, 1, 10, 0, 0, 2, 0, 17, 0x00, 0x1c};
    uint32_t a = sim_csum_pseudo_ipv4(0xc0a80001, 0x0a000002, 17, 28, 0);
    cr_assert_eq(sim_csum_fold(a), sim_csum_fold(sim_csum_partial(ph, 12, 0)));
}

/* RFC 1624 section 4 example: HC 0xdd2f, m 0x5555 -> m' 0x3285 gives 0x0000. */
Test(checksum, rfc1624_example)
{
    cr_assert_eq(sim_csum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
}

static uint32_t rng_state = 12345;
static uint32_t xorshift(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

Test(checksum, incremental_equals_full_recompute_10k)
{
    for (int n = 0; n < 10000; n++) {
        uint8_t h[20];
        for (int i = 0; i < 20; i++)
            h[i] = (uint8_t)xorshift();
        /* Sometimes all-zero data around the field, to hit the -0 corner. */
        if (n % 100 == 0)
            memset(h, 0, 20);
        h[10] = h[11] = 0;
        uint16_t hc = sim_csum(h, 20);
        int w = (int)(xorshift() % 10);
        if (w == 5)
            w = 4; /* not the checksum word itself */
        uint16_t old = (uint16_t)(h[2 * w] << 8 | h[2 * w + 1]);
        uint16_t nw = (uint16_t)xorshift();
        if (n % 7 == 0)
            nw = (uint16_t)(old - 0x0100); /* a TTL decrement */
        h[2 * w] = (uint8_t)(nw >> 8);
        h[2 * w + 1] = (uint8_t)nw;
        uint16_t full = sim_csum(h, 20);
        uint16_t inc = sim_csum_update16(hc, old, nw);
        cr_assert_eq(inc, full, "n=%d word %d %04x->%04x: incremental %04x full %04x", n, w, old,
                     nw, inc, full);
    }
}

Test(checksum, update32_equals_recompute)
{
    for (int n = 0; n < 1000; n++) {
        uint8_t h[20];
        for (int i = 0; i < 20; i++)
            h[i] = (uint8_t)xorshift();
        h[10] = h[11] = 0;
        uint16_t hc = sim_csum(h, 20);
        uint32_t old = (uint32_t)h[12] << 24 | (uint32_t)h[13] << 16 | h[14] << 8 | h[15];
        uint32_t nv = xorshift();
        h[12] = (uint8_t)(nv >> 24);
        h[13] = (uint8_t)(nv >> 16);
        h[14] = (uint8_t)(nv >> 8);
        h[15] = (uint8_t)nv;
        cr_assert_eq(sim_csum_update32(hc, old, nv), sim_csum(h, 20));
    }
}

/* The word-parallel sum folds to what RFC 1071's plain big-endian 16-bit
 * word loop gives, for every length (each tail path), alignment and
 * incoming partial sum, and in pieces of even length. */
static uint16_t reference_fold(const uint8_t *p, size_t len, uint32_t sum)
{
    uint64_t acc = sum;
    for (; len >= 2; p += 2, len -= 2)
        acc += (uint32_t)((p[0] << 8) | p[1]);
    if (len)
        acc += (uint32_t)p[0] << 8;
    while (acc >> 16)
        acc = (acc & 0xffffu) + (acc >> 16);
    return (uint16_t)acc;
}

Test(checksum, wide_sum_matches_word_loop)
{
    uint8_t buf[300];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (uint8_t)(x >> 16);
    }
    const uint32_t sums[] = {0, 1, 0xffff, 0x1fffe, 0xfffffff0u};
    for (size_t off = 0; off < 8; off++) {
        for (size_t len = 0; len + off <= sizeof buf && len <= 260; len++) {
            for (size_t k = 0; k < G_N_ELEMENTS(sums); k++) {
                uint16_t want = reference_fold(buf + off, len, sums[k]);
                uint16_t got = sim_csum_fold(sim_csum_partial(buf + off, len, sums[k]));
                cr_assert_eq(got, want, "off %zu len %zu sum %#x: %#x, want %#x", off, len, sums[k],
                             got, want);
            }
            if (len >= 2) { /* two pieces, the first of even length */
                size_t cut = (len / 2) & ~(size_t)1;
                uint32_t s = sim_csum_partial(buf + off, cut, 0);
                s = sim_csum_partial(buf + off + cut, len - cut, s);
                cr_assert_eq(sim_csum_fold(s), reference_fold(buf + off, len, 0));
            }
        }
    }
}
