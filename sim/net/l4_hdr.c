/* l4_hdr.c - UDP and TCP codecs. */
#include "sim/net/l4_hdr.h"

#include <string.h>

#include "sim/net/checksum.h"
#include "sim/net/ipv4_hdr.h"
#include "sim/net/wire.h"

static uint16_t l4_csum(const uint8_t *buf, size_t len, SimIpv4 src, SimIpv4 dst, uint8_t proto)
{
    uint32_t sum = sim_csum_pseudo_ipv4(src, dst, proto, (uint16_t)len, 0);
    return sim_csum_finish(sim_csum_partial(buf, len, sum));
}

gboolean sim_udp_hdr_decode(const uint8_t *buf, size_t len, SimIpv4 src, SimIpv4 dst,
                            SimUdpHdr *out, GError **error)
{
    if (len < SIM_UDP_HLEN) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                    "UDP: %zu bytes, shorter than the 8-byte header", len);
        return FALSE;
    }
    uint16_t length = sim_wire_get16(buf + 4);
    if (length < SIM_UDP_HLEN) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED,
                    "UDP: length field %u is less than the 8-byte header", length);
        return FALSE;
    }
    if (length > len) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                    "UDP: length field %u exceeds the %zu bytes of IP payload", length, len);
        return FALSE;
    }
    out->sport = sim_wire_get16(buf);
    out->dport = sim_wire_get16(buf + 2);
    out->length = length;
    out->checksum = sim_wire_get16(buf + 6);
    out->checksum_ok = out->checksum == 0 || l4_csum(buf, length, src, dst, SIM_IPPROTO_UDP) == 0;
    return TRUE;
}

uint8_t *sim_udp_hdr_encode(SimPacket *p, SimIpv4 src, SimIpv4 dst, const SimUdpHdr *h)
{
    size_t length = sim_packet_len(p) + SIM_UDP_HLEN;
    g_assert(length <= 0xffff);
    uint8_t *b = sim_packet_push(p, SIM_UDP_HLEN);
    sim_wire_put16(b, h->sport);
    sim_wire_put16(b + 2, h->dport);
    sim_wire_put16(b + 4, (uint16_t)length);
    uint16_t c = l4_csum(b, length, src, dst, SIM_IPPROTO_UDP);
    sim_wire_put16(b + 6, c == 0 ? 0xffff : c);
    return b;
}

/* RFC 9293 3.1: kinds 0 and 1 are single bytes; every other option carries
 * a length that includes kind and length and must stay inside the header. */
static gboolean walk_options(const uint8_t *o, size_t n, SimTcpHdr *out, GError **error)
{
    size_t i = 0;
    while (i < n) {
        uint8_t kind = o[i];
        if (kind == 0)
            break;
        if (kind == 1) {
            i++;
            continue;
        }
        if (i + 1 >= n || o[i + 1] < 2 || o[i + 1] > n - i) {
            g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED,
                        "TCP: option kind %u at offset %zu has a bad length", kind,
                        SIM_TCP_HLEN + i);
            return FALSE;
        }
        uint8_t olen = o[i + 1];
        if (kind == 2) {
            if (olen != 4) {
                g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED,
                            "TCP: MSS option length %u, expected 4", olen);
                return FALSE;
            }
            out->mss = sim_wire_get16(o + i + 2);
        } else if (kind == 3) {
            if (olen != 3) {
                g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED,
                            "TCP: window scale option length %u, expected 3", olen);
                return FALSE;
            }
            out->has_wscale = true;
            out->wscale = o[i + 2];
        }
        i += olen;
    }
    return TRUE;
}

gboolean sim_tcp_hdr_decode(const uint8_t *buf, size_t len, SimIpv4 src, SimIpv4 dst,
                            SimTcpHdr *out, GError **error)
{
    if (len < SIM_TCP_HLEN) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                    "TCP: %zu bytes, shorter than the 20-byte header", len);
        return FALSE;
    }
    size_t hdr_len = (size_t)(buf[12] >> 4) * 4;
    if (hdr_len < SIM_TCP_HLEN) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_MALFORMED,
                    "TCP: data offset %zu bytes is below the 20-byte minimum", hdr_len);
        return FALSE;
    }
    if (hdr_len > len) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                    "TCP: data offset %zu bytes exceeds the %zu bytes of IP payload", hdr_len, len);
        return FALSE;
    }
    memset(out, 0, sizeof *out);
    if (!walk_options(buf + SIM_TCP_HLEN, hdr_len - SIM_TCP_HLEN, out, error))
        return FALSE;
    out->sport = sim_wire_get16(buf);
    out->dport = sim_wire_get16(buf + 2);
    out->seq = sim_wire_get32(buf + 4);
    out->ack = sim_wire_get32(buf + 8);
    out->flags = buf[13];
    out->window = sim_wire_get16(buf + 14);
    out->checksum = sim_wire_get16(buf + 16);
    out->urgent = sim_wire_get16(buf + 18);
    out->hdr_len = hdr_len;
    out->checksum_ok = l4_csum(buf, len, src, dst, SIM_IPPROTO_TCP) == 0;
    return TRUE;
}

uint8_t *sim_tcp_hdr_encode(SimPacket *p, SimIpv4 src, SimIpv4 dst, const SimTcpHdr *h)
{
    size_t hdr_len = SIM_TCP_HLEN + (h->mss ? 4 : 0) + (h->has_wscale ? 4 : 0);
    size_t seg_len = sim_packet_len(p) + hdr_len;
    g_assert(seg_len <= 0xffff);
    uint8_t *b = sim_packet_push(p, hdr_len);
    sim_wire_put16(b, h->sport);
    sim_wire_put16(b + 2, h->dport);
    sim_wire_put32(b + 4, h->seq);
    sim_wire_put32(b + 8, h->ack);
    b[12] = (uint8_t)(hdr_len / 4) << 4;
    b[13] = h->flags;
    sim_wire_put16(b + 14, h->window);
    sim_wire_put16(b + 18, h->urgent);
    uint8_t *o = b + SIM_TCP_HLEN;
    if (h->mss) {
        o[0] = 2;
        o[1] = 4;
        sim_wire_put16(o + 2, h->mss);
        o += 4;
    }
    if (h->has_wscale) { /* NOP, then kind 3 length 3: Linux's layout */
        o[0] = 1;
        o[1] = 3;
        o[2] = 3;
        o[3] = h->wscale;
    }
    /* Unlike UDP, a zero TCP checksum is sent as 0 (0xffff draws a warning
     * from Wireshark, citing RFC 1624). */
    sim_wire_put16(b + 16, l4_csum(b, seg_len, src, dst, SIM_IPPROTO_TCP));
    return b;
}

char *sim_tcp_flags_format(uint8_t flags, char *buf)
{
    static const char *const names[8] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    buf[0] = '\0';
    /* Bit order, as Wireshark's Info column lists them. */
    for (int bit = 0; bit < 8; bit++) {
        if (flags & (1u << bit)) {
            if (buf[0])
                g_strlcat(buf, ", ", SIM_TCP_FLAGS_STRLEN);
            g_strlcat(buf, names[bit], SIM_TCP_FLAGS_STRLEN);
        }
    }
    if (!buf[0])
        g_strlcpy(buf, "<None>", SIM_TCP_FLAGS_STRLEN);
    return buf;
}
