/* port_table.c - the ports table of `show SWITCH interfaces`; see
 * port_table.h. Reads counters only: O(ports), no state of its own. */
#include "sim/l2/port_table.h"

#include "sim/link/iface.h"
#include "sim/link/link.h"
#include "sim/link/node.h"

#include <string.h>

/* "100Mbps", "1Gbps", "1500kbps": the units topology files accept. */
static void format_rate(uint64_t bps, char *buf, size_t n)
{
    static const struct {
        uint64_t unit;
        const char *name;
    } units[] = {{1000000000ULL, "Gbps"}, {1000000ULL, "Mbps"}, {1000ULL, "kbps"}};
    for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
        if (bps >= units[i].unit && bps % units[i].unit == 0) {
            g_snprintf(buf, n, "%" G_GUINT64_FORMAT "%s", bps / units[i].unit, units[i].name);
            return;
        }
    }
    g_snprintf(buf, n, "%" G_GUINT64_FORMAT "bps", bps);
}

/* Switch and hub ports are numbered; show them as "p3", as traces do. */
static void port_label(const SimIface *x, char *buf, size_t n)
{
    const char *name = sim_iface_name(x);
    bool numeric = *name && strspn(name, "0123456789") == strlen(name);
    g_snprintf(buf, n, "%s%s", numeric ? "p" : "", name);
}

void sim_port_table_format(const SimNode *node, GString *out)
{
    g_string_append_printf(out, "%-6s %-16s %-11s %7s %10s %10s %10s %10s %6s %9s\n", "Port",
                           "Peer", "State", "Rate", "RX-frames", "RX-bytes", "TX-frames",
                           "TX-bytes", "Drops", "Queue");
    for (guint i = 0; i < sim_node_n_ifaces(node); i++) {
        SimIface *x = sim_node_iface(node, i);
        char label[24];
        port_label(x, label, sizeof label);
        SimLink *l = sim_iface_link(x);
        if (!l) {
            g_string_append_printf(out, "%-6s %-16s %s\n", label, "-", "unconnected");
            continue;
        }
        SimIface *peer = sim_link_peer(l, x);
        g_autofree char *peer_name =
            g_strdup_printf("%s.%s", sim_node_name(sim_iface_node(peer)), sim_iface_name(peer));
        char rate[24], queue[24];
        format_rate(sim_link_params(l)->rate_bps, rate, sizeof rate);
        const SimLinkDirStats *tx = sim_link_stats(l, x);
        g_snprintf(queue, sizeof queue, "%u/%u", tx->queue_len, tx->queue_max);
        const SimIfaceCounters *c = sim_iface_counters(x);
        uint64_t drops = 0;
        for (int r = 0; r < SIM_DROP_N_REASONS; r++)
            drops += c->drops[r];
        g_string_append_printf(out,
                               "%-6s %-16s %-11s %7s %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
                               " %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
                               " %6" G_GUINT64_FORMAT " %9s\n",
                               label, peer_name, sim_link_is_up(l) ? "up" : "down", rate,
                               c->rx_frames, c->rx_bytes, c->tx_frames, c->tx_bytes, drops, queue);
    }
}
