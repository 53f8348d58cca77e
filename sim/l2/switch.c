/* switch.c - the learning switch; see switch.h. */
#include "sim/l2/switch.h"

#include "sim/l2/vlan.h"
#include "sim/link/iface.h"
#include "sim/link/node.h"
#include "sim/net/eth.h"
#include "sim/net/packet.h"

#include <string.h>

#define ETH_HLEN 14

typedef struct {
    SimNode *node;
    SimWorld *world;
    SimBridge *bridge;
    SimFdb *fdb;
    SimSwitchStats stats;
    bool full_reported; /* the current full episode has been traced */
    bool sweep_pending;
    SimTime sweep_at;
    SimEventId sweep_ev;
    GArray *scratch; /* SimFdbEntry, reused by sweeps and flushes */
    SimTime aging;   /* as configured (a topology change shortens it) */
    SimStp *stp;     /* NULL: no spanning tree */
    SimVlanPorts *vlan;
    const bool *vlan_trivial; /* sim_vlan_ports_trivial_flag(vlan) */
    /* An L3 switch's routed side (sim/l3/l3switch.c): SVIs and the stack
     * frames for them go up to. */
    GPtrArray *svis; /* Svi*, owned; NULL until the first SVI */
    SimSwitchUpperInput upper_input;
    void *upper;
    GDestroyNotify upper_free;
} Switch;

typedef struct {
    Switch *sw;
    uint16_t vid;
    SimIface *iface;
} Svi;

/* clang-format would put spaces into the quark's name. */
// clang-format off
G_DEFINE_QUARK(sim-switch-error-quark, sim_switch_error)
// clang-format on

void sim_switch_config_default(SimSwitchConfig *cfg)
{
    cfg->aging = SIM_FDB_DEFAULT_AGING;
    cfg->table_capacity = SIM_FDB_DEFAULT_CAPACITY;
    cfg->storm_threshold = SIM_STORM_DEFAULT_THRESHOLD;
    cfg->storm_window = SIM_STORM_DEFAULT_WINDOW;
    cfg->l3 = false;
}

static Switch *sw_of(const SimNode *node)
{
    if (!node ||
        (sim_node_kind(node) != SIM_NODE_SWITCH && sim_node_kind(node) != SIM_NODE_L3SWITCH))
        return NULL;
    return sim_node_priv(node);
}

static const char *label(const Switch *sw, guint port)
{
    return sim_bridge_label(sw->bridge, port);
}

static const char *port_name(const Switch *sw, guint port)
{
    return sim_iface_name(sim_bridge_port(sw->bridge, port));
}

/* ---- aging ------------------------------------------------------------- */

static void sweep(void *ctx, void *arg);

/* Makes sure a sweep runs no later than `at`. */
static void ensure_sweep(Switch *sw, SimTime at)
{
    if (!sim_fdb_aging(sw->fdb) || at == SIM_TIME_MAX)
        return;
    if (sw->sweep_pending) {
        if (sw->sweep_at <= at)
            return;
        sim_world_cancel(sw->world, sw->sweep_ev);
    }
    sw->sweep_pending = true;
    sw->sweep_at = at;
    sw->sweep_ev = sim_world_schedule_at(sw->world, at, sweep, sw, NULL);
}

/* Entries leave the table: trace them (in port, MAC order) and reopen the
 * table-full report. */
static void trace_removed(Switch *sw, const char *why)
{
    if (sim_fdb_count(sw->fdb) < sim_fdb_capacity(sw->fdb))
        sw->full_reported = false;
    if (!sw->scratch->len)
        return;
    sim_fdb_sort(sw->scratch);
    for (guint i = 0; i < sw->scratch->len; i++) {
        const SimFdbEntry *e = &g_array_index(sw->scratch, SimFdbEntry, i);
        char mac[SIM_MAC_STRLEN];
        sim_world_tracef(sw->world, SIM_TR_AGE, SIM_DROP_NONE, sim_node_name(sw->node),
                         port_name(sw, e->port), NULL, "%s on %s %s", sim_mac_format(&e->mac, mac),
                         label(sw, e->port), why);
    }
}

static void sweep(void *ctx, void *arg)
{
    Switch *sw = ctx;
    SimTime now = sim_world_now(sw->world);
    sw->sweep_pending = false;
    sw->stats.sweeps++;
    bool tracing = sim_trace_wants(sim_world_trace(sw->world), SIM_TR_AGE);
    g_array_set_size(sw->scratch, 0);
    SimTime next;
    sw->stats.aged += sim_fdb_expire(sw->fdb, now, tracing ? sw->scratch : NULL, &next);
    char idle[SIM_TIME_STRLEN], why[SIM_TIME_STRLEN + 32];
    g_snprintf(why, sizeof why, "aged out (%s without a frame)",
               sim_time_format(sim_fdb_aging(sw->fdb), idle));
    trace_removed(sw, why);
    ensure_sweep(sw, next);
}

/* ---- learning ---------------------------------------------------------- */

static void learn(Switch *sw, guint port, const SimMac *src, uint16_t vid)
{
    SimWorld *w = sw->world;
    SimTime now = sim_world_now(w);
    guint old = 0;
    char mac[SIM_MAC_STRLEN];
    switch (sim_fdb_learn(sw->fdb, src, vid, port, now, &old)) {
    case SIM_FDB_NEW: {
        sw->stats.learned++;
        SimTime expiry;
        if (sim_time_add(now, sim_fdb_aging(sw->fdb), &expiry))
            ensure_sweep(sw, expiry);
        SIM_TRACE(w, SIM_TR_LEARN, SIM_DROP_NONE, sim_node_name(sw->node), port_name(sw, port),
                  NULL, "%s on %s", sim_mac_format(src, mac), label(sw, port));
        break;
    }
    case SIM_FDB_MOVED:
        sw->stats.moved++;
        SIM_TRACE(w, SIM_TR_LEARN, SIM_DROP_NONE, sim_node_name(sw->node), port_name(sw, port),
                  NULL, "%s moved from %s to %s", sim_mac_format(src, mac), label(sw, old),
                  label(sw, port));
        break;
    case SIM_FDB_FULL:
        sw->stats.learn_full++;
        sim_bridge_port_stats(sw->bridge, port)->learn_full++;
        if (!sw->full_reported) {
            sw->full_reported = true;
            SIM_TRACE(w, SIM_TR_LEARN, SIM_DROP_NONE, sim_node_name(sw->node), port_name(sw, port),
                      NULL,
                      "%s on %s not learned: MAC table full (%u entries); frames to unknown "
                      "stations will be flooded",
                      sim_mac_format(src, mac), label(sw, port), sim_fdb_capacity(sw->fdb));
        }
        break;
    case SIM_FDB_REFRESHED:
    case SIM_FDB_STATIC:
        break;
    }
}

/* ---- forwarding -------------------------------------------------------- */

static void drop_for(Switch *sw, guint port, SimPacket *pkt, SimDropReason reason, const char *why,
                     const SimMac *mac)
{
    char buf[SIM_MAC_STRLEN];
    sw->stats.dropped++;
    sim_bridge_port_stats(sw->bridge, port)->dropped++;
    sim_iface_count_drop(sim_bridge_port(sw->bridge, port), reason);
    SIM_TRACE(sw->world, SIM_TR_DROP, reason, sim_node_name(sw->node), port_name(sw, port), pkt,
              "%s%s", why, mac ? sim_mac_format(mac, buf) : "");
    sim_packet_unref(pkt);
}

/* A port the spanning tree keeps from learning or forwarding. in: the
 * ingress port, or the port count for a frame from the switch's own SVI
 * (then counted on `port`). On ingress the words follow the state: a
 * discarding, blocking or listening port neither learns nor forwards, a
 * learning port has learned the source (switch_input) but forwards
 * nothing (802.1D-2004 7.4). */
static void stp_drop(Switch *sw, guint in, guint port, SimPacket *pkt)
{
    guint at = in < sim_bridge_n_ports(sw->bridge) ? in : port;
    const char *what = port != in                           ? ": not sent there"
                       : sim_stp_port_learns(sw->stp, port) ? ": learned, not forwarded"
                                                            : ": not learned, not forwarded";
    sw->stats.dropped++;
    sim_bridge_port_stats(sw->bridge, at)->dropped++;
    sim_iface_count_drop(sim_bridge_port(sw->bridge, at), SIM_DROP_STP_BLOCKING);
    SIM_TRACE(sw->world, SIM_TR_DROP, SIM_DROP_STP_BLOCKING, sim_node_name(sw->node),
              port_name(sw, at), pkt, "%s is %s (spanning tree)%s", label(sw, port),
              sim_stp_state_name(sim_stp_mode(sw->stp), sim_stp_port_state(sw->stp, port)), what);
    sim_packet_unref(pkt);
}

static void drop(Switch *sw, guint port, SimPacket *pkt, const char *why, const SimMac *mac)
{
    drop_for(sw, port, pkt, SIM_DROP_MALFORMED, why, mac);
}

static void vlan_input(Switch *sw, guint port, SimPacket *pkt, const SimMac *dst,
                       const SimMac *src);

static void switch_input(SimNode *node, SimIface *in, SimPacket *pkt)
{
    Switch *sw = sim_node_priv(node);
    guint port = sim_iface_index(in);
    sim_bridge_count_rx(sw->bridge, port, pkt);
    if (sim_packet_len(pkt) < ETH_HLEN) {
        drop(sw, port, pkt, "runt frame", NULL);
        return;
    }
    if (sw->stp && sim_stp_input(sw->stp, port, pkt))
        return;
    if (sw->stp && !sim_stp_port_learns(sw->stp, port)) {
        stp_drop(sw, port, port, pkt);
        return;
    }
    const uint8_t *f = sim_packet_cdata(pkt);
    SimMac dst, src;
    memcpy(dst.b, f, 6);
    memcpy(src.b, f + 6, 6);
    if (sim_mac_is_multicast(&src) || sim_mac_equal(&src, &SIM_MAC_ZERO)) {
        drop(sw, port, pkt, "invalid source MAC ", &src);
        return;
    }
    /* Every port in VLAN 1 and an untagged frame: the plain bridge. */
    if (!*sw->vlan_trivial || sw->svis ||
        (f[12] == SIM_ETHERTYPE_VLAN >> 8 && f[13] == (SIM_ETHERTYPE_VLAN & 0xff))) {
        vlan_input(sw, port, pkt, &dst, &src);
        return;
    }
    learn(sw, port, &src, SIM_SWITCH_DEFAULT_VLAN);
    if (sw->stp && !sim_stp_port_forwards(sw->stp, port)) {
        stp_drop(sw, port, port, pkt);
        return;
    }

    guint out;
    if (sim_mac_is_multicast(&dst) ||
        !sim_fdb_lookup(sw->fdb, &dst, SIM_SWITCH_DEFAULT_VLAN, sim_world_now(sw->world), &out)) {
        sw->stats.flooded++;
        sim_bridge_flood(sw->bridge, port, pkt);
        return;
    }
    char mac[SIM_MAC_STRLEN];
    if (out == port) {
        sw->stats.filtered++;
        sim_bridge_port_stats(sw->bridge, port)->filtered++;
        SIM_TRACE(sw->world, SIM_TR_FILTER, SIM_DROP_NONE, sim_node_name(node), sim_iface_name(in),
                  pkt, "destination %s is on ingress port %s", sim_mac_format(&dst, mac),
                  label(sw, port));
        sim_packet_unref(pkt);
        return;
    }
    if (sw->stp && !sim_stp_port_forwards(sw->stp, out)) {
        stp_drop(sw, port, out, pkt);
        return;
    }
    sw->stats.forwarded++;
    sim_bridge_port_stats(sw->bridge, port)->forwarded++;
    SIM_TRACE(sw->world, SIM_TR_FORWARD, SIM_DROP_NONE, sim_node_name(node), sim_iface_name(in),
              pkt, "→ %s (%s known on %s)", label(sw, out), sim_mac_format(&dst, mac),
              label(sw, out));
    sim_bridge_send(sw->bridge, out, pkt);
}

/* ---- 802.1Q forwarding ----------------------------------------------------
 * The general path: any switch with a VLAN configured, an SVI, or a tagged
 * frame. The frame is classified at ingress (vlan.h), learned in its VLAN,
 * and carried untagged inside the switch; each egress port gets either the
 * untagged bytes or one shared tagged copy, made on first use. The spanning
 * tree's "may forward" check sits beside sim_vlan_ingress at ingress and
 * beside eg_member at egress (the flood skips blocked ports in bridge.c). */

typedef struct {
    Switch *sw;
    uint16_t vid;
    uint8_t pcp;
    bool arrived_tagged;
    SimIface *from;      /* ingress port, or the SVI */
    SimPacket *untagged; /* owned */
    SimPacket *tagged;   /* owned; NULL until a trunk needs it */
} Egress;

static SimPacket *egress_tagged(Egress *e)
{
    if (!e->tagged)
        e->tagged = sim_eth_vlan_tag(sim_world_pool(e->sw->world), sim_packet_ref(e->untagged),
                                     e->vid, e->pcp);
    return e->tagged;
}

static bool eg_member(void *ctx, guint port)
{
    Egress *e = ctx;
    return sim_vlan_egress(e->sw->vlan, port, e->vid) != SIM_VLAN_EGRESS_NONE;
}

static SimPacket *eg_frame(void *ctx, guint port)
{
    Egress *e = ctx;
    if (sim_vlan_egress(e->sw->vlan, port, e->vid) == SIM_VLAN_EGRESS_TAGGED)
        return sim_packet_ref(egress_tagged(e));
    return sim_packet_ref(e->untagged);
}

static void egress_done(Egress *e)
{
    sim_packet_unref(e->untagged);
    sim_packet_unref(e->tagged);
}

/* A `tag` record for the ports a frame that arrived untagged leaves tagged
 * by, or an `untag` record for the ports a tagged one leaves untagged by
 * (only = one port, or -1: the flood set). Traced before the copies go. */
static void trace_tagging(Egress *e, guint in_port, int only)
{
    Switch *sw = e->sw;
    SimTraceKind kind = e->arrived_tagged ? SIM_TR_UNTAG : SIM_TR_TAG;
    if (!sim_trace_wants(sim_world_trace(sw->world), kind))
        return;
    SimVlanEgress want = e->arrived_tagged ? SIM_VLAN_EGRESS_UNTAGGED : SIM_VLAN_EGRESS_TAGGED;
    g_autoptr(GString) l = g_string_new(NULL);
    guint n = sim_bridge_n_ports(sw->bridge);
    for (guint p = only >= 0 ? (guint)only : 0; p < (only >= 0 ? (guint)only + 1 : n); p++) {
        if (p == in_port || !sim_iface_is_up(sim_bridge_port(sw->bridge, p)) ||
            sim_bridge_blocked(sw->bridge, p) || sim_vlan_egress(sw->vlan, p, e->vid) != want)
            continue;
        g_string_append_printf(l, l->len ? ",%s" : "%s", label(sw, p));
    }
    if (!l->len)
        return;
    if (kind == SIM_TR_TAG)
        sim_world_tracef(sw->world, kind, SIM_DROP_NONE, sim_node_name(sw->node),
                         sim_iface_name(e->from), egress_tagged(e), "vlan %u (pcp %u) tagged → %s",
                         e->vid, e->pcp, l->str);
    else
        sim_world_tracef(sw->world, kind, SIM_DROP_NONE, sim_node_name(sw->node),
                         sim_iface_name(e->from), e->untagged, "vlan %u tag removed → %s", e->vid,
                         l->str);
}

static const Svi *svi_of(const Switch *sw, uint16_t vid)
{
    for (guint i = 0; sw->svis && i < sw->svis->len; i++) {
        const Svi *v = g_ptr_array_index(sw->svis, i);
        if (v->vid == vid)
            return v;
    }
    return NULL;
}

/* Switches e's frame within its VLAN: up to the SVI when it is addressed
 * to it (a copy when it is a group frame), else out of its known port or
 * flooded to the VLAN's ports. port: the ingress port, or the port count
 * for a frame the switch's own SVI sent. Consumes e's packets. */
static void switch_vlan(Switch *sw, guint port, const SimMac *dst, Egress *e)
{
    guint n = sim_bridge_n_ports(sw->bridge);
    const Svi *svi = port < n ? svi_of(sw, e->vid) : NULL;
    bool group = sim_mac_is_multicast(dst);
    char mac[SIM_MAC_STRLEN];
    if (svi && !group && sim_mac_equal(dst, sim_iface_mac(svi->iface))) {
        sw->upper_input(sw->upper, svi->iface, g_steal_pointer(&e->untagged));
        egress_done(e);
        return;
    }
    guint out;
    if (group || !sim_fdb_lookup(sw->fdb, dst, e->vid, sim_world_now(sw->world), &out)) {
        sw->stats.flooded++;
        trace_tagging(e, port, -1);
        SimBridgeEgress eg = {eg_member, eg_frame, e};
        sim_bridge_flood_egress(sw->bridge, port, e->from, e->untagged, &eg);
        if (svi)
            sw->upper_input(sw->upper, svi->iface, sim_packet_ref(e->untagged));
        egress_done(e);
        return;
    }
    if (out == port) {
        sw->stats.filtered++;
        sim_bridge_port_stats(sw->bridge, port)->filtered++;
        SIM_TRACE(sw->world, SIM_TR_FILTER, SIM_DROP_NONE, sim_node_name(sw->node),
                  sim_iface_name(e->from), e->untagged, "destination %s is on ingress port %s",
                  sim_mac_format(dst, mac), label(sw, port));
        egress_done(e);
        return;
    }
    if (!eg_member(e, out)) { /* a static entry on a port outside the VLAN */
        char why[64];
        g_snprintf(why, sizeof why, "vlan %u not allowed on %s", e->vid, label(sw, out));
        drop_for(sw, port < n ? port : out, g_steal_pointer(&e->untagged), SIM_DROP_VLAN_MISMATCH,
                 why, NULL);
        egress_done(e);
        return;
    }
    if (sw->stp && !sim_stp_port_forwards(sw->stp, out)) {
        stp_drop(sw, port, out, g_steal_pointer(&e->untagged));
        egress_done(e);
        return;
    }
    sw->stats.forwarded++;
    if (port < n)
        sim_bridge_port_stats(sw->bridge, port)->forwarded++;
    SIM_TRACE(sw->world, SIM_TR_FORWARD, SIM_DROP_NONE, sim_node_name(sw->node),
              sim_iface_name(e->from), e->untagged, "→ %s (%s known on %s in vlan %u)",
              label(sw, out), sim_mac_format(dst, mac), label(sw, out), e->vid);
    trace_tagging(e, port, (int)out);
    sim_bridge_send(sw->bridge, out, eg_frame(e, out));
    egress_done(e);
}

static void vlan_input(Switch *sw, guint port, SimPacket *pkt, const SimMac *dst, const SimMac *src)
{
    SimEthHdr eh;
    if (!sim_eth_decode(sim_packet_cdata(pkt), sim_packet_len(pkt), &eh, NULL)) {
        drop(sw, port, pkt, "runt 802.1Q frame", NULL);
        return;
    }
    uint16_t vid;
    char why[96];
    if (!sim_vlan_ingress(sw->vlan, port, label(sw, port), &eh, &vid, why, sizeof why)) {
        drop_for(sw, port, pkt, SIM_DROP_VLAN_MISMATCH, why, NULL);
        return;
    }
    learn(sw, port, src, vid);
    if (sw->stp && !sim_stp_port_forwards(sw->stp, port)) {
        stp_drop(sw, port, port, pkt);
        return;
    }
    Egress e = {
        .sw = sw,
        .vid = vid,
        .pcp = eh.tagged ? eh.pcp : 0,
        .arrived_tagged = eh.tagged,
        .from = sim_bridge_port(sw->bridge, port),
        .untagged = sim_eth_vlan_untag(pkt),
    };
    switch_vlan(sw, port, dst, &e);
}

/* An SVI's frame (from the IP stack) enters its VLAN from inside. */
static void svi_xmit(SimIface *i, SimPacket *pkt, void *ctx)
{
    const Svi *svi = ctx;
    SimMac dst;
    memcpy(dst.b, sim_packet_cdata(pkt), 6);
    Egress e = {.sw = svi->sw, .vid = svi->vid, .from = i, .untagged = pkt};
    switch_vlan(svi->sw, sim_bridge_n_ports(svi->sw->bridge), &dst, &e);
}

/* A disabled port's stations may be anywhere now (802.1D 8.7.2 / Linux
 * br_stp_disable_port): forget them rather than black-hole their frames
 * for up to the aging time. */
static void switch_link_changed(SimNode *node, SimIface *iface, bool up)
{
    Switch *sw = sim_node_priv(node);
    if (sw->stp)
        sim_stp_link_changed(sw->stp, sim_iface_index(iface), up);
    if (up)
        return;
    bool tracing = sim_trace_wants(sim_world_trace(sw->world), SIM_TR_AGE);
    g_array_set_size(sw->scratch, 0);
    guint port = sim_iface_index(iface);
    sw->stats.flushed += sim_fdb_flush(sw->fdb, (int)port, false, tracing ? sw->scratch : NULL);
    char why[48];
    g_snprintf(why, sizeof why, "flushed (%s went down)", label(sw, port));
    trace_removed(sw, why);
}

static void switch_free(void *priv)
{
    Switch *sw = priv;
    if (sw->upper_free)
        sw->upper_free(sw->upper);
    if (sw->svis)
        g_ptr_array_unref(sw->svis);
    sim_vlan_ports_free(sw->vlan);
    /* A pending sweep dies with the event queue (freed before nodes). */
    sim_stp_free(sw->stp);
    sim_bridge_free(sw->bridge);
    sim_fdb_free(sw->fdb);
    g_array_unref(sw->scratch);
    g_free(sw);
}

static const SimNodeOps switch_ops = {
    .input = switch_input,
    .link_changed = switch_link_changed,
    .free_priv = switch_free,
};

SimNode *sim_switch_new(SimWorld *w, const char *name, guint ports, const SimSwitchConfig *cfg)
{
    SimSwitchConfig def;
    if (!cfg) {
        sim_switch_config_default(&def);
        cfg = &def;
    }
    Switch *sw = g_new0(Switch, 1);
    sw->world = w;
    sw->fdb = sim_fdb_new(cfg->table_capacity ? cfg->table_capacity : SIM_FDB_DEFAULT_CAPACITY,
                          cfg->aging);
    sw->scratch = g_array_new(FALSE, FALSE, sizeof(SimFdbEntry));
    sw->aging = cfg->aging;
    sw->node =
        sim_node_new(w, name, cfg->l3 ? SIM_NODE_L3SWITCH : SIM_NODE_SWITCH, &switch_ops, sw);
    sw->bridge = sim_bridge_new(sw->node, ports, cfg->storm_threshold, cfg->storm_window);
    sw->vlan = sim_vlan_ports_new(ports);
    sw->vlan_trivial = sim_vlan_ports_trivial_flag(sw->vlan);
    return sw->node;
}

/* ---- accessors --------------------------------------------------------- */

SimFdb *sim_switch_fdb(const SimNode *node)
{
    Switch *sw = sw_of(node);
    return sw ? sw->fdb : NULL;
}

SimBridge *sim_switch_bridge(const SimNode *node)
{
    Switch *sw = sw_of(node);
    return sw ? sw->bridge : NULL;
}

const SimSwitchStats *sim_switch_stats(const SimNode *node)
{
    Switch *sw = sw_of(node);
    return sw ? &sw->stats : NULL;
}

const SimBridgePortStats *sim_switch_port_stats(const SimNode *node, guint port)
{
    Switch *sw = sw_of(node);
    if (!sw || port >= sim_bridge_n_ports(sw->bridge))
        return NULL;
    return sim_bridge_port_stats(sw->bridge, port);
}

gboolean sim_switch_add_static(SimNode *node, const SimMac *mac, uint16_t vlan, guint port,
                               GError **error)
{
    Switch *sw = sw_of(node);
    g_return_val_if_fail(sw, FALSE);
    char buf[SIM_MAC_STRLEN];
    if (port >= sim_bridge_n_ports(sw->bridge)) {
        g_set_error(error, SIM_SWITCH_ERROR, SIM_SWITCH_ERROR_INVALID,
                    "%s has no port %u (it has %u)", sim_node_name(node), port + 1,
                    sim_bridge_n_ports(sw->bridge));
        return FALSE;
    }
    if (sim_mac_is_multicast(mac) || vlan < 1 || vlan > 4094) {
        g_set_error(error, SIM_SWITCH_ERROR, SIM_SWITCH_ERROR_INVALID,
                    "cannot add a static entry for %s in VLAN %u", sim_mac_format(mac, buf), vlan);
        return FALSE;
    }
    if (!sim_fdb_add_static(sw->fdb, mac, vlan, port, sim_world_now(sw->world))) {
        g_set_error(error, SIM_SWITCH_ERROR, SIM_SWITCH_ERROR_FULL,
                    "MAC table of %s is full (%u entries)", sim_node_name(node),
                    sim_fdb_capacity(sw->fdb));
        return FALSE;
    }
    return TRUE;
}

bool sim_switch_lookup(const SimNode *node, const SimMac *mac, uint16_t vlan, guint *port)
{
    Switch *sw = sw_of(node);
    return sw && sim_fdb_lookup(sw->fdb, mac, vlan, sim_world_now(sw->world), port);
}

GArray *sim_switch_mac_entries(const SimNode *node)
{
    Switch *sw = sw_of(node);
    g_return_val_if_fail(sw, NULL);
    return sim_fdb_entries(sw->fdb, sim_world_now(sw->world));
}

guint sim_switch_mac_count(const SimNode *node)
{
    Switch *sw = sw_of(node);
    if (!sw)
        return 0;
    g_autoptr(GArray) e = sim_fdb_entries(sw->fdb, sim_world_now(sw->world));
    return e->len;
}

char *sim_switch_format_mac_table(const SimNode *node)
{
    Switch *sw = sw_of(node);
    g_return_val_if_fail(sw, NULL);
    SimTime now = sim_world_now(sw->world);
    g_autoptr(GArray) entries = sim_fdb_entries(sw->fdb, now);
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "MAC address table of %s (%u entr%s)\n", sim_node_name(node),
                           entries->len, entries->len == 1 ? "y" : "ies");
    g_string_append(s, "VLAN  MAC address        Type     Port   Age\n");
    for (guint i = 0; i < entries->len; i++) {
        const SimFdbEntry *e = &g_array_index(entries, SimFdbEntry, i);
        char mac[SIM_MAC_STRLEN];
        g_string_append_printf(s, "%4u  %-17s  %-7s  %-5s  ", e->vlan, sim_mac_format(&e->mac, mac),
                               e->is_static ? "static" : "dynamic", label(sw, e->port));
        if (e->is_static) {
            g_string_append(s, "-\n");
        } else {
            SimTime age = now - e->last_seen;
            g_string_append_printf(s, "%" G_GUINT64_FORMAT ".%02" G_GUINT64_FORMAT "s\n",
                                   age / SIM_SEC, age % SIM_SEC / (SIM_SEC / 100));
        }
    }
    return g_string_free(s, FALSE);
}

guint sim_switch_clear_mac(SimNode *node, bool include_static)
{
    Switch *sw = sw_of(node);
    g_return_val_if_fail(sw, 0);
    guint n = sim_fdb_flush(sw->fdb, -1, include_static, NULL);
    sw->stats.flushed += n;
    g_array_set_size(sw->scratch, 0);
    trace_removed(sw, ""); /* only reopens the full report */
    return n;
}

/* ---- spanning tree ops ------------------------------------------------- */

static void stp_flush(void *owner, int except, const char *why)
{
    Switch *sw = owner;
    bool tracing = sim_trace_wants(sim_world_trace(sw->world), SIM_TR_AGE);
    g_array_set_size(sw->scratch, 0);
    for (guint p = 0; p < sim_bridge_n_ports(sw->bridge); p++)
        if ((int)p != except)
            sw->stats.flushed +=
                sim_fdb_flush(sw->fdb, (int)p, false, tracing ? sw->scratch : NULL);
    g_autofree char *reason = g_strdup_printf("flushed (topology change: %s)", why);
    trace_removed(sw, reason);
}

static void stp_set_aging(void *owner, SimTime aging)
{
    Switch *sw = owner;
    sim_fdb_set_aging(sw->fdb, aging ? aging : sw->aging);
    if (sw->sweep_pending)
        sim_world_cancel(sw->world, sw->sweep_ev);
    sw->sweep_pending = false;
    sweep(sw, NULL);
}

static const SimStpOps stp_ops = {.flush = stp_flush, .set_aging = stp_set_aging};

SimStp *sim_switch_enable_stp(SimNode *node, const SimStpConfig *cfg)
{
    Switch *sw = sw_of(node);
    g_return_val_if_fail(sw && !sw->stp && cfg->mode != SIM_STP_OFF, NULL);
    sw->stp = sim_stp_new(sw->bridge, cfg, &stp_ops, sw);
    return sw->stp;
}

SimStp *sim_switch_stp(const SimNode *node)
{
    Switch *sw = sw_of(node);
    return sw ? sw->stp : NULL;
}

bool sim_switch_storm_detected(const SimNode *node)
{
    Switch *sw = sw_of(node);
    return sw && sim_storm_detected(sim_bridge_storm(sw->bridge));
}

const char *sim_switch_storm_loop(const SimNode *node)
{
    Switch *sw = sw_of(node);
    return sw ? sim_storm_loop(sim_bridge_storm(sw->bridge)) : NULL;
}

/* ---- VLANs and SVIs ------------------------------------------------------ */

SimVlanPorts *sim_switch_vlan(const SimNode *node)
{
    Switch *sw = sw_of(node);
    return sw ? sw->vlan : NULL;
}

char *sim_switch_format_vlan(const SimNode *node)
{
    Switch *sw = sw_of(node);
    g_return_val_if_fail(sw, NULL);
    guint n = sim_bridge_n_ports(sw->bridge);
    g_autofree char **labels = g_new0(char *, n + 1);
    for (guint i = 0; i < n; i++)
        labels[i] = (char *)label(sw, i);
    GString *s = g_string_new(NULL);
    sim_vlan_format_brief(sw->vlan, labels, s);
    for (guint i = 0; sw->svis && i < sw->svis->len; i++) {
        const Svi *v = g_ptr_array_index(sw->svis, i);
        char mac[SIM_MAC_STRLEN];
        g_string_append_printf(s, i ? "%-8s %s\n" : "\nSVI      MAC address\n%-8s %s\n",
                               sim_iface_name(v->iface),
                               sim_mac_format(sim_iface_mac(v->iface), mac));
    }
    return g_string_free(s, FALSE);
}

void sim_switch_set_upper(SimNode *node, void *upper, SimSwitchUpperInput input,
                          GDestroyNotify free_fn)
{
    Switch *sw = sw_of(node);
    g_return_if_fail(sw && !sw->upper);
    sw->upper = upper;
    sw->upper_input = input;
    sw->upper_free = free_fn;
}

void *sim_switch_upper(const SimNode *node)
{
    Switch *sw = sw_of(node);
    return sw ? sw->upper : NULL;
}

gboolean sim_switch_add_svi(SimNode *node, uint16_t vid, SimIface *iface, GError **error)
{
    Switch *sw = sw_of(node);
    g_return_val_if_fail(sw && sw->upper_input && sim_iface_node(iface) == node, FALSE);
    if (vid < 1 || vid > SIM_VLAN_VID_MAX || svi_of(sw, vid)) {
        g_set_error(error, SIM_SWITCH_ERROR, SIM_SWITCH_ERROR_INVALID,
                    "%s: VLAN %u cannot have a (second) SVI", sim_node_name(node), vid);
        return FALSE;
    }
    if (!sw->svis)
        sw->svis = g_ptr_array_new_with_free_func(g_free);
    Svi *v = g_new(Svi, 1);
    *v = (Svi){sw, vid, iface};
    g_ptr_array_add(sw->svis, v);
    sim_iface_set_xmit(iface, svi_xmit, v);
    return TRUE;
}
