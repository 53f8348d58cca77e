/* eth.c - Ethernet II / 802.1Q codec. */
#include "sim/net/eth.h"

#include <string.h>

#include "sim/net/wire.h"

gboolean sim_eth_decode(const uint8_t *buf, size_t len, SimEthHdr *out, GError **error)
{
    if (len < SIM_ETH_HLEN) {
        g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                    "Ethernet: frame of %zu bytes is shorter than the 14-byte header", len);
        return FALSE;
    }
    memset(out, 0, sizeof *out);
    memcpy(out->dst.b, buf, 6);
    memcpy(out->src.b, buf + 6, 6);
    uint16_t type = sim_wire_get16(buf + 12);
    out->hdr_len = SIM_ETH_HLEN;
    if (type == SIM_ETHERTYPE_VLAN) {
        if (len < SIM_ETH_VLAN_HLEN) {
            g_set_error(error, SIM_WIRE_ERROR, SIM_WIRE_ERROR_TRUNCATED,
                        "802.1Q: frame of %zu bytes is shorter than the 18-byte tagged header",
                        len);
            return FALSE;
        }
        uint16_t tci = sim_wire_get16(buf + 14);
        out->tagged = TRUE;
        out->pcp = (uint8_t)(tci >> 13);
        out->dei = (tci >> 12) & 1;
        out->vid = tci & 0x0fff;
        type = sim_wire_get16(buf + 16);
        out->hdr_len = SIM_ETH_VLAN_HLEN;
    }
    out->ethertype = type;
    return TRUE;
}

uint8_t *sim_eth_encode(SimPacket *p, const SimEthHdr *h)
{
    size_t hlen = h->tagged ? SIM_ETH_VLAN_HLEN : SIM_ETH_HLEN;
    uint8_t *b = sim_packet_push(p, hlen);
    memcpy(b, h->dst.b, 6);
    memcpy(b + 6, h->src.b, 6);
    if (h->tagged) {
        g_assert(h->pcp <= 7 && h->vid <= 0x0fff);
        sim_wire_put16(b + 12, SIM_ETHERTYPE_VLAN);
        sim_wire_put16(b + 14, (uint16_t)(h->pcp << 13 | (h->dei ? 1u << 12 : 0) | h->vid));
        sim_wire_put16(b + 16, h->ethertype);
    } else {
        sim_wire_put16(b + 12, h->ethertype);
    }
    return b;
}

void sim_eth_pad(SimPacket *p)
{
    size_t len = sim_packet_len(p);
    if (len < SIM_ETH_MIN_FRAME)
        sim_packet_put(p, SIM_ETH_MIN_FRAME - len);
}

void sim_eth_vlan_insert(SimPacket *p, uint16_t vid, uint8_t pcp)
{
    g_assert(sim_packet_len(p) >= SIM_ETH_HLEN);
    g_assert(vid <= 0x0fff && pcp <= 7);
    uint8_t *b = sim_packet_push(p, SIM_ETH_VLAN_TAGLEN);
    memmove(b, b + SIM_ETH_VLAN_TAGLEN, 12);
    /* b+16 already holds the original ethertype, now the inner one. */
    sim_wire_put16(b + 12, SIM_ETHERTYPE_VLAN);
    sim_wire_put16(b + 14, (uint16_t)(pcp << 13 | vid));
}

gboolean sim_eth_vlan_strip(SimPacket *p)
{
    const uint8_t *b = sim_packet_cdata(p);
    if (sim_packet_len(p) < SIM_ETH_VLAN_HLEN || sim_wire_get16(b + 12) != SIM_ETHERTYPE_VLAN)
        return FALSE;
    uint8_t *w = sim_packet_data(p);
    memmove(w + SIM_ETH_VLAN_TAGLEN, w, 12);
    sim_packet_pull(p, SIM_ETH_VLAN_TAGLEN);
    sim_eth_pad(p);
    return TRUE;
}

SimPacket *sim_eth_vlan_tag(SimPacketPool *pool, SimPacket *p, uint16_t vid, uint8_t pcp)
{
    if (sim_packet_headroom(p) < SIM_ETH_VLAN_TAGLEN) {
        size_t len = sim_packet_len(p);
        SimPacket *c = sim_packet_new(pool, SIM_PACKET_HEADROOM, len);
        memcpy(sim_packet_data(c), sim_packet_cdata(p), len);
        sim_packet_set_uid(c, sim_packet_uid(p));
        sim_packet_unref(p);
        p = c;
    } else {
        p = sim_packet_make_writable(p);
    }
    sim_eth_vlan_insert(p, vid, pcp);
    return p;
}

SimPacket *sim_eth_vlan_untag(SimPacket *p)
{
    const uint8_t *b = sim_packet_cdata(p);
    if (sim_packet_len(p) < SIM_ETH_VLAN_HLEN || sim_wire_get16(b + 12) != SIM_ETHERTYPE_VLAN)
        return p;
    p = sim_packet_make_writable(p);
    sim_eth_vlan_strip(p);
    return p;
}
