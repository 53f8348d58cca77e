/* ipv4_hdr.c - RFC 791 header codec. */
#include "sim/net/ipv4_hdr.h"

#include <string.h>

#include "sim/net/checksum.h"
#include "sim/net/wire.h"

/* Everything except the total_len <= len check. */
static gboolean decode_header(const uint8_t *buf, size_t len, SimIpv4Hdr *out, GError **error)
{
    if (len < SIM_IPV4_HLEN) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                    "IPv4: %zu bytes, shorter than the 20-byte header", len);
        return FALSE;
    }
    uint8_t version = buf[0] >> 4, ihl = buf[0] & 0x0f;
    if (version != 4) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED,
                    "IPv4: version field is %u, not 4", version);
        return FALSE;
    }
    if (ihl < 5) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED,
                    "IPv4: header length %u words is below the minimum of 5", ihl);
        return FALSE;
    }
    size_t hdr_len = (size_t)ihl * 4;
    if (len < hdr_len) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                    "IPv4: %zu bytes, shorter than the %zu-byte header with options", len, hdr_len);
        return FALSE;
    }
    uint16_t total_len = sim_wire_get16(buf + 2);
    if (total_len < hdr_len) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED,
                    "IPv4: total length %u is less than the header length %zu", total_len, hdr_len);
        return FALSE;
    }
    uint16_t flags_off = sim_wire_get16(buf + 6);
    memset(out, 0, sizeof *out);
    out->version = version;
    out->ihl = ihl;
    out->tos = buf[1];
    out->total_len = total_len;
    out->id = sim_wire_get16(buf + 4);
    out->rf = (flags_off >> 15) & 1;
    out->df = (flags_off >> 14) & 1;
    out->mf = (flags_off >> 13) & 1;
    out->frag_off = (uint16_t)((flags_off & 0x1fff) * 8);
    out->ttl = buf[8];
    out->proto = buf[9];
    out->checksum = sim_wire_get16(buf + 10);
    out->src = sim_wire_get32(buf + 12);
    out->dst = sim_wire_get32(buf + 16);
    out->hdr_len = hdr_len;
    out->checksum_ok = sim_csum(buf, hdr_len) == 0;
    return TRUE;
}

gboolean sim_ipv4_hdr_decode(const uint8_t *buf, size_t len, SimIpv4Hdr *out, GError **error)
{
    if (!decode_header(buf, len, out, error))
        return FALSE;
    if (out->total_len > len) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                    "IPv4: total length %u exceeds the %zu bytes received", out->total_len, len);
        return FALSE;
    }
    return TRUE;
}

gboolean sim_ipv4_hdr_decode_quoted(const uint8_t *buf, size_t len, SimIpv4Hdr *out, GError **error)
{
    return decode_header(buf, len, out, error);
}

uint8_t *sim_ipv4_hdr_encode(SimPacket *p, const SimIpv4Hdr *h)
{
    g_assert(h->frag_off % 8 == 0 && h->frag_off / 8 <= 0x1fff);
    size_t total = sim_packet_len(p) + SIM_IPV4_HLEN;
    g_assert(total <= SIM_IPV4_MAX_LEN);
    uint8_t *b = sim_packet_push(p, SIM_IPV4_HLEN);
    b[0] = 0x45;
    b[1] = h->tos;
    sim_wire_put16(b + 2, (uint16_t)total);
    sim_wire_put16(b + 4, h->id);
    uint16_t flags_off = (uint16_t)(h->frag_off / 8);
    if (h->df)
        flags_off |= 0x4000;
    if (h->mf)
        flags_off |= 0x2000;
    sim_wire_put16(b + 6, flags_off);
    b[8] = h->ttl;
    b[9] = h->proto;
    sim_wire_put32(b + 12, h->src);
    sim_wire_put32(b + 16, h->dst);
    sim_ipv4_hdr_set_checksum(b);
    return b;
}

uint8_t sim_ipv4_hdr_dec_ttl(uint8_t *hdr)
{
    g_assert(hdr[8] > 0);
    /* TTL shares its 16-bit checksum word with the protocol byte. */
    uint16_t old_word = sim_wire_get16(hdr + 8);
    hdr[8]--;
    uint16_t new_word = sim_wire_get16(hdr + 8);
    sim_wire_put16(hdr + 10, sim_csum_update16(sim_wire_get16(hdr + 10), old_word, new_word));
    return hdr[8];
}

void sim_ipv4_hdr_set_checksum(uint8_t *hdr)
{
    size_t hdr_len = (size_t)(hdr[0] & 0x0f) * 4;
    sim_wire_put16(hdr + 10, 0);
    sim_wire_put16(hdr + 10, sim_csum(hdr, hdr_len));
}
