/* bpdu.c - BPDU codec; see bpdu.h. */
#include "sim/net/bpdu.h"

#include <stdio.h>
#include <string.h>

#include "sim/net/eth.h"
#include "sim/net/wire.h"

const SimMac SIM_MAC_STP = {{0x01, 0x80, 0xc2, 0x00, 0x00, 0x00}};

static void put64(uint8_t *p, uint64_t v)
{
    sim_wire_put32(p, (uint32_t)(v >> 32));
    sim_wire_put32(p + 4, (uint32_t)v);
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)sim_wire_get32(p) << 32 | sim_wire_get32(p + 4);
}

const char *sim_bridge_id_format(uint64_t id, char *buf)
{
    SimMac m = sim_mac_from_u64(id & 0xffffffffffffULL);
    char mac[SIM_MAC_STRLEN];
    g_snprintf(buf, SIM_BRIDGE_ID_STRLEN, "%u.%s", (unsigned)(id >> 48), sim_mac_format(&m, mac));
    return buf;
}

const char *sim_port_id_format(uint16_t id, char *buf)
{
    g_snprintf(buf, SIM_PORT_ID_STRLEN, "%u.%u", id >> 8, id & 0xffu);
    return buf;
}

bool sim_bpdu_is_group_frame(const uint8_t *buf, size_t len)
{
    return len >= 6 && memcmp(buf, SIM_MAC_STP.b, 6) == 0;
}

static gboolean fail(GError **error, SimWireError code, const char *what)
{
    g_set_error(error, SIM_WIRE_ERROR, code, "BPDU: %s", what);
    return FALSE;
}

gboolean sim_bpdu_parse(const uint8_t *buf, size_t len, SimBpdu *out, GError **error)
{
    if (len < SIM_ETH_HLEN + SIM_LLC_LEN + SIM_BPDU_TCN_LEN)
        return fail(error, SIM_WIRE_ERROR_TRUNCATED, "frame too short");
    if (!sim_bpdu_is_group_frame(buf, len))
        return fail(error, SIM_WIRE_ERROR_UNSUPPORTED, "not to the bridge group address");
    size_t l8023 = sim_wire_get16(buf + 12);
    if (l8023 > SIM_ETH_MAX_8023_LEN || l8023 < SIM_LLC_LEN + SIM_BPDU_TCN_LEN ||
        SIM_ETH_HLEN + l8023 > len)
        return fail(error, SIM_WIRE_ERROR_MALFORMED, "bad 802.3 length");
    const uint8_t *llc = buf + SIM_ETH_HLEN;
    if (llc[0] != 0x42 || llc[1] != 0x42 || llc[2] != 0x03)
        return fail(error, SIM_WIRE_ERROR_UNSUPPORTED, "not LLC 42/42/03");
    const uint8_t *p = llc + SIM_LLC_LEN;
    size_t n = l8023 - SIM_LLC_LEN;
    if (sim_wire_get16(p) != 0)
        return fail(error, SIM_WIRE_ERROR_UNSUPPORTED, "protocol identifier is not 0");
    memset(out, 0, sizeof *out);
    out->version = p[2];
    out->type = p[3];
    if (out->type == SIM_BPDU_TYPE_TCN)
        return TRUE;
    if (out->type != SIM_BPDU_TYPE_CONFIG && out->type != SIM_BPDU_TYPE_RST)
        return fail(error, SIM_WIRE_ERROR_UNSUPPORTED, "unknown BPDU type");
    size_t need = out->type == SIM_BPDU_TYPE_RST ? SIM_BPDU_RST_LEN : SIM_BPDU_CONFIG_LEN;
    if (n < need)
        return fail(error, SIM_WIRE_ERROR_TRUNCATED, "BPDU shorter than its type");
    out->flags = p[4];
    out->root_id = get64(p + 5);
    out->root_cost = sim_wire_get32(p + 13);
    out->bridge_id = get64(p + 17);
    out->port_id = sim_wire_get16(p + 25);
    out->message_age = sim_wire_get16(p + 27);
    out->max_age = sim_wire_get16(p + 29);
    out->hello_time = sim_wire_get16(p + 31);
    out->forward_delay = sim_wire_get16(p + 33);
    if (out->type == SIM_BPDU_TYPE_CONFIG)
        out->flags &= SIM_BPDU_F_TC | SIM_BPDU_F_TCA; /* 802.1D-2004 9.3.4 */
    return TRUE;
}

SimPacket *sim_bpdu_emit(SimPacketPool *pool, const SimMac *src, const SimBpdu *b)
{
    size_t n = b->type == SIM_BPDU_TYPE_TCN   ? SIM_BPDU_TCN_LEN
               : b->type == SIM_BPDU_TYPE_RST ? SIM_BPDU_RST_LEN
                                              : SIM_BPDU_CONFIG_LEN;
    SimPacket *pkt = sim_packet_new(pool, SIM_PACKET_HEADROOM, SIM_LLC_LEN + n);
    uint8_t *llc = sim_packet_data(pkt);
    llc[0] = 0x42;
    llc[1] = 0x42;
    llc[2] = 0x03;
    uint8_t *p = llc + SIM_LLC_LEN;
    sim_wire_put16(p, 0);
    p[2] = b->version;
    p[3] = b->type;
    if (b->type != SIM_BPDU_TYPE_TCN) {
        p[4] = b->flags;
        put64(p + 5, b->root_id);
        sim_wire_put32(p + 13, b->root_cost);
        put64(p + 17, b->bridge_id);
        sim_wire_put16(p + 25, b->port_id);
        sim_wire_put16(p + 27, b->message_age);
        sim_wire_put16(p + 29, b->max_age);
        sim_wire_put16(p + 31, b->hello_time);
        sim_wire_put16(p + 33, b->forward_delay);
        if (b->type == SIM_BPDU_TYPE_RST)
            p[35] = 0; /* Version 1 Length */
    }
    /* 802.3: the type/length field carries the length of the LLC payload. */
    SimEthHdr h = {.dst = SIM_MAC_STP, .src = *src, .ethertype = (uint16_t)(SIM_LLC_LEN + n)};
    sim_eth_encode(pkt, &h);
    sim_eth_pad(pkt);
    return pkt;
}

size_t sim_bpdu_summary(const SimBpdu *b, char *buf, size_t size)
{
    if (b->type == SIM_BPDU_TYPE_TCN)
        return (size_t)g_snprintf(buf, size, "Topology Change Notification");
    SimMac root = sim_mac_from_u64(b->root_id & 0xffffffffffffULL);
    char mac[SIM_MAC_STRLEN];
    unsigned prio = (unsigned)(b->root_id >> 48);
    int n = g_snprintf(buf, size, "%s Root = %u/%u/%s  Cost = %u  Port = 0x%04x%s%s%s",
                       b->type == SIM_BPDU_TYPE_RST ? "RST." : "Conf.", prio & 0xf000u,
                       prio & 0x0fffu, sim_mac_format(&root, mac), b->root_cost, b->port_id,
                       b->flags & SIM_BPDU_F_TC ? " TC" : "",
                       b->flags & SIM_BPDU_F_PROPOSAL ? " proposal" : "",
                       b->flags & SIM_BPDU_F_AGREEMENT ? " agreement" : "");
    return n < 0 ? 0 : (size_t)n;
}
