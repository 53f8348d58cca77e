/* checksum.c - RFC 1071 sum and RFC 1624 update. */
#include "sim/net/checksum.h"

uint32_t sim_csum_partial(const void *data, size_t len, uint32_t sum)
{
    const uint8_t *p = data;
    /* 64-bit accumulator: no carry can be lost for any realistic length. */
    uint64_t acc = sum;
    while (len >= 2) {
        acc += (uint32_t)((p[0] << 8) | p[1]);
        p += 2;
        len -= 2;
    }
    if (len)
        acc += (uint32_t)p[0] << 8;
    while (acc >> 32)
        acc = (acc & 0xffffffffu) + (acc >> 32);
    return (uint32_t)acc;
}

uint16_t sim_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)sum;
}

uint16_t sim_csum_finish(uint32_t sum)
{
    return (uint16_t)~sim_csum_fold(sum);
}

uint16_t sim_csum(const void *data, size_t len)
{
    return sim_csum_finish(sim_csum_partial(data, len, 0));
}

uint32_t sim_csum_pseudo_ipv4(SimIpv4 src, SimIpv4 dst, uint8_t proto, uint16_t l4_len,
                              uint32_t sum)
{
    uint64_t acc = sum;
    acc += (src >> 16) + (src & 0xffffu);
    acc += (dst >> 16) + (dst & 0xffffu);
    acc += proto;
    acc += l4_len;
    while (acc >> 32)
        acc = (acc & 0xffffffffu) + (acc >> 32);
    return (uint32_t)acc;
}

uint16_t sim_csum_update16(uint16_t hc, uint16_t old_word, uint16_t new_word)
{
    uint32_t sum = (uint16_t)~hc;
    sum += (uint16_t)~old_word;
    sum += new_word;
    return (uint16_t)~sim_csum_fold(sum);
}

uint16_t sim_csum_update32(uint16_t hc, uint32_t old_val, uint32_t new_val)
{
    hc = sim_csum_update16(hc, (uint16_t)(old_val >> 16), (uint16_t)(new_val >> 16));
    return sim_csum_update16(hc, (uint16_t)old_val, (uint16_t)new_val);
}
