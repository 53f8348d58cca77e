/* icmp_hdr.c - RFC 792 codec. */
#include "sim/net/icmp_hdr.h"

#include "sim/net/checksum.h"
#include "sim/net/wire.h"

gboolean sim_icmp_is_error(uint8_t type)
{
    /* 4 source quench, 5 redirect, 12 parameter problem quote too. */
    return type == SIM_ICMP_DEST_UNREACH || type == 4 || type == 5 ||
           type == SIM_ICMP_TIME_EXCEEDED || type == 12;
}

static gboolean is_echo(uint8_t type)
{
    return type == SIM_ICMP_ECHO_REQUEST || type == SIM_ICMP_ECHO_REPLY;
}

gboolean sim_icmp_hdr_decode(const uint8_t *buf, size_t len, SimIcmpHdr *out, GError **error)
{
    if (len < SIM_ICMP_HLEN) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                    "ICMP: %zu bytes, shorter than the 8-byte header", len);
        return FALSE;
    }
    out->type = buf[0];
    out->code = buf[1];
    out->checksum = sim_wire_get16(buf + 2);
    out->rest = sim_wire_get32(buf + 4);
    out->id = sim_wire_get16(buf + 4);
    out->seq = sim_wire_get16(buf + 6);
    out->mtu = sim_wire_get16(buf + 6);
    out->checksum_ok = sim_csum(buf, len) == 0;
    return TRUE;
}

uint8_t *sim_icmp_hdr_encode(SimPacket *p, const SimIcmpHdr *h)
{
    uint8_t *b = sim_packet_push(p, SIM_ICMP_HLEN);
    b[0] = h->type;
    b[1] = h->code;
    if (is_echo(h->type)) {
        sim_wire_put16(b + 4, h->id);
        sim_wire_put16(b + 6, h->seq);
    } else if (h->type == SIM_ICMP_DEST_UNREACH && h->code == SIM_ICMP_UNREACH_FRAG_NEEDED) {
        sim_wire_put16(b + 6, h->mtu);
    } else {
        sim_wire_put32(b + 4, h->rest);
    }
    sim_wire_put16(b + 2, sim_csum(b, sim_packet_len(p)));
    return b;
}
