/* validate_nat.c - checks of a router's nat and forward lines: both
 * interfaces exist, differ and have an address; a pool does not overlap the
 * inside subnet; a forward targets a host of the inside subnet.
 */
#include "sim/topo/validate_priv.h"

static int nat_iface(SimValidate *v, SimTopoNode *n, const char *name, SimTopoPos pos)
{
    int k = sim_topo_node_iface_index(n, name);
    if (k < 0) {
        sim_validate_error(v, pos, "'%s' has no interface '%s'", n->name, name);
        return -1;
    }
    const SimTopoIface *f = g_ptr_array_index(n->ifaces, k);
    if (!f->has_ip) {
        sim_validate_error(v, pos, "nat interface %s.%s has no address", n->name, name);
        return -1;
    }
    return k;
}

void sim_validate_nat(SimValidate *v, SimTopoNode *n)
{
    SimTopoNat *nat = n->nat;
    if (!nat)
        return;
    if (!nat->pos.line) {
        const SimTopoForward *f = &g_array_index(nat->forwards, SimTopoForward, 0);
        sim_validate_error(v, f->pos, "'forward' on '%s' needs a 'nat' line", n->name);
        return;
    }
    /* A nat line the parser refused (an unknown option before `inside` or
     * `outside`) leaves a name unset; that error is already reported. */
    if (!nat->inside || !nat->outside)
        return;
    nat->inside_index = nat_iface(v, n, nat->inside, nat->inside_pos);
    nat->outside_index = nat_iface(v, n, nat->outside, nat->outside_pos);
    if (nat->inside_index < 0 || nat->outside_index < 0)
        return;
    if (nat->inside_index == nat->outside_index) {
        sim_validate_error(v, nat->outside_pos, "'%s' cannot be both inside and outside",
                           nat->outside);
        return;
    }
    const SimTopoIface *in = g_ptr_array_index(n->ifaces, nat->inside_index);
    char a[SIM_PREFIX_STRLEN], b[SIM_IPV4_STRLEN];
    if (nat->has_pool && sim_prefix_overlaps(&nat->pool, &in->ip)) {
        SimPrefix net = {sim_prefix_network(&in->ip), in->ip.len};
        sim_validate_error(v, nat->pool_pos, "NAT pool overlaps the inside subnet %s",
                           sim_prefix_format(&net, a));
    }
    for (guint i = 0; i < nat->forwards->len; i++) {
        const SimTopoForward *f = &g_array_index(nat->forwards, SimTopoForward, i);
        if (!sim_prefix_contains(&in->ip, f->addr) || f->addr == in->ip.addr)
            sim_validate_error(v, f->addr_pos,
                               "forward target %s is not a host of the inside "
                               "subnet of %s.%s",
                               sim_ipv4_format(f->addr, b), n->name, nat->inside);
        for (guint j = 0; j < i; j++) {
            const SimTopoForward *g = &g_array_index(nat->forwards, SimTopoForward, j);
            if (g->proto == f->proto && g->outside_port == f->outside_port) {
                sim_validate_error(v, f->pos, "port %u is already forwarded", f->outside_port);
                sim_validate_note(v, g->pos, "the first forward is here");
            }
        }
    }
}
