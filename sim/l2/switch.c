/* switch.c - the learning switch; see switch.h. */
#include "sim/l2/switch.h"

#include "sim/link/iface.h"
#include "sim/link/node.h"
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
} Switch;

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
}

static Switch *sw_of(const SimNode *node)
{
    if (!node || sim_node_kind(node) != SIM_NODE_SWITCH)
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

static void learn(Switch *sw, guint port, const SimMac *src)
{
    SimWorld *w = sw->world;
    SimTime now = sim_world_now(w);
    guint old = 0;
    char mac[SIM_MAC_STRLEN];
    switch (sim_fdb_learn(sw->fdb, src, SIM_SWITCH_DEFAULT_VLAN, port, now, &old)) {
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

static void drop(Switch *sw, guint port, SimPacket *pkt, const char *why, const SimMac *mac)
{
    char buf[SIM_MAC_STRLEN];
    sw->stats.dropped++;
    sim_bridge_port_stats(sw->bridge, port)->dropped++;
    sim_iface_count_drop(sim_bridge_port(sw->bridge, port), SIM_DROP_MALFORMED);
    SIM_TRACE(sw->world, SIM_TR_DROP, SIM_DROP_MALFORMED, sim_node_name(sw->node),
              port_name(sw, port), pkt, "%s%s", why, mac ? sim_mac_format(mac, buf) : "");
    sim_packet_unref(pkt);
}

/* A port the spanning tree keeps from learning or forwarding. */
static void stp_drop(Switch *sw, guint in, guint port, SimPacket *pkt)
{
    sw->stats.dropped++;
    sim_bridge_port_stats(sw->bridge, in)->dropped++;
    sim_iface_count_drop(sim_bridge_port(sw->bridge, in), SIM_DROP_STP_BLOCKING);
    SIM_TRACE(sw->world, SIM_TR_DROP, SIM_DROP_STP_BLOCKING, sim_node_name(sw->node),
              port_name(sw, in), pkt, "%s is %s (spanning tree)%s", label(sw, port),
              sim_stp_state_name(sim_stp_mode(sw->stp), sim_stp_port_state(sw->stp, port)),
              port == in ? ": not learned, not forwarded" : ": not sent there");
    sim_packet_unref(pkt);
}

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
    learn(sw, port, &src);
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
    sw->node = sim_node_new(w, name, SIM_NODE_SWITCH, &switch_ops, sw);
    sw->bridge = sim_bridge_new(sw->node, ports, cfg->storm_threshold, cfg->storm_window);
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
