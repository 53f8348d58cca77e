/* stp_show.c - `show SW spanning-tree`, laid out as Cisco IOS's
 * `show spanning-tree` (one instance, so no VLAN header; MACs in colon
 * form; port names are netsim's). Only ports with a link that is up are
 * listed, as IOS lists only the ports that are up. */
#include "sim/l2/stp_priv.h"

#include "sim/net/bpdu.h"

static const char *role_abbrev(SimStpRole r)
{
    static const char *const names[] = {"Disa", "Root", "Desg", "Altn", "Back"};
    return names[r];
}

static const char *state_abbrev(SimStpState st)
{
    static const char *const names[] = {"DIS", "BLK", "LIS", "LRN", "FWD"};
    return names[st];
}

static void id_block(GString *out, const char *title, uint64_t id)
{
    SimMac m = sim_mac_from_u64(id & 0xffffffffffffULL);
    char mac[SIM_MAC_STRLEN];
    g_string_append_printf(out, "  %-10s Priority    %u\n", title, (unsigned)(id >> 48));
    g_string_append_printf(out, "             Address     %s\n", sim_mac_format(&m, mac));
}

static void times_line(GString *out, const StpTimes *t)
{
    g_string_append_printf(out,
                           "             Hello Time   %2u sec  Max Age %2u sec  Forward Delay %2u "
                           "sec\n",
                           t->hello / 256, t->max_age / 256, t->fwd_delay / 256);
}

void sim_stp_show(const SimStp *s, GString *out)
{
    g_string_append_printf(out, "  Spanning tree enabled protocol %s\n",
                           sim_stp_mode_name(s->cfg.mode));
    id_block(out, "Root ID", s->root.root);
    if (s->root_port < 0) {
        g_string_append(out, "             This bridge is the root\n");
    } else {
        const StpPort *rp = &s->ports[s->root_port];
        g_string_append_printf(out, "             Cost        %u\n", s->root.cost);
        g_string_append_printf(out, "             Port        %u (%s)\n", rp->idx + 1,
                               sim_bridge_label(s->bridge, rp->idx));
    }
    times_line(out, &s->times);
    g_string_append_c(out, '\n');
    id_block(out, "Bridge ID", s->id);
    StpTimes own = {sim_bpdu_units(s->cfg.max_age), sim_bpdu_units(s->cfg.hello),
                    sim_bpdu_units(s->cfg.forward_delay)};
    times_line(out, &own);
    g_string_append_c(out, '\n');
    g_string_append(out, "Interface        Role Sts Cost      Prio.Nbr Type\n");
    g_string_append(out, "---------------- ---- --- --------- -------- --------------------\n");
    for (guint i = 0; i < s->n; i++) {
        const StpPort *p = &s->ports[i];
        if (!p->enabled)
            continue;
        char pid[SIM_PORT_ID_STRLEN];
        const char *type = !p->p2p        ? (p->oper_edge ? "Shr Edge" : "Shr")
                           : p->oper_edge ? "P2p Edge"
                           : p->send_stp  ? "P2p Peer(STP)"
                                          : "P2p";
        g_string_append_printf(out, "%-16s %s %s %-9u %-8s %s\n", sim_bridge_label(s->bridge, i),
                               role_abbrev(p->role), state_abbrev(p->state), p->cost,
                               sim_port_id_format(p->id, pid), type);
    }
}
