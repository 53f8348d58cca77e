/* arp_hdr.c - RFC 826 codec for Ethernet/IPv4. */
#include "sim/net/arp_hdr.h"

#include <string.h>

#include "sim/net/eth.h"
#include "sim/net/wire.h"

gboolean sim_arp_hdr_decode(const uint8_t *buf, size_t len, SimArpHdr *out, GError **error)
{
    if (len < SIM_ARP_LEN) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                    "ARP: %zu bytes, need 28 for Ethernet/IPv4", len);
        return FALSE;
    }
    uint16_t htype = sim_wire_get16(buf), ptype = sim_wire_get16(buf + 2);
    if (htype != SIM_ARP_HTYPE_ETHERNET || ptype != SIM_ETHERTYPE_IPV4 || buf[4] != 6 ||
        buf[5] != 4) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_UNSUPPORTED,
                    "ARP: htype %u ptype 0x%04x hlen %u plen %u is not Ethernet/IPv4", htype, ptype,
                    buf[4], buf[5]);
        return FALSE;
    }
    uint16_t oper = sim_wire_get16(buf + 6);
    if (oper != SIM_ARP_REQUEST && oper != SIM_ARP_REPLY) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_UNSUPPORTED,
                    "ARP: opcode %u is neither request (1) nor reply (2)", oper);
        return FALSE;
    }
    out->oper = oper;
    memcpy(out->sha.b, buf + 8, 6);
    out->spa = sim_wire_get32(buf + 14);
    memcpy(out->tha.b, buf + 18, 6);
    out->tpa = sim_wire_get32(buf + 24);
    return TRUE;
}

uint8_t *sim_arp_hdr_encode(SimPacket *p, const SimArpHdr *h)
{
    uint8_t *b = sim_packet_push(p, SIM_ARP_LEN);
    sim_wire_put16(b, SIM_ARP_HTYPE_ETHERNET);
    sim_wire_put16(b + 2, SIM_ETHERTYPE_IPV4);
    b[4] = 6;
    b[5] = 4;
    sim_wire_put16(b + 6, h->oper);
    memcpy(b + 8, h->sha.b, 6);
    sim_wire_put32(b + 14, h->spa);
    memcpy(b + 18, h->tha.b, 6);
    sim_wire_put32(b + 24, h->tpa);
    return b;
}
