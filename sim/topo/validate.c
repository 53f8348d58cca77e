/* validate.c - node, address and link checks; endpoint and MAC assignment.
 *
 * Duplicate IPs and MACs are found with one hash table each (O(n) over all
 * interfaces). Overlap checks are pairwise per node, O(k^2) for k interfaces
 * of one node, which stays small. Endpoint resolution claims explicit
 * endpoints in a first pass and fills automatic ones in a second, each O(1)
 * per endpoint except the free-port scan (O(ports)).
 */
#include "sim/topo/validate.h"
#include "sim/topo/validate_priv.h"

#include <string.h>

static void report(SimValidate *v, SimDiagKind kind, SimTopoPos pos, const char *fmt, va_list ap)
    G_GNUC_PRINTF(4, 0);
static void report(SimValidate *v, SimDiagKind kind, SimTopoPos pos, const char *fmt, va_list ap)
{
    sim_diag_reportv(v->diag, kind, pos.file ? pos.file : v->topo->file, pos.line, pos.col, fmt,
                     ap);
}

void sim_validate_error(SimValidate *v, SimTopoPos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(v, SIM_DIAG_ERROR, pos, fmt, ap);
    va_end(ap);
}

void sim_validate_warning(SimValidate *v, SimTopoPos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(v, SIM_DIAG_WARNING, pos, fmt, ap);
    va_end(ap);
}

void sim_validate_note(SimValidate *v, SimTopoPos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(v, SIM_DIAG_NOTE, pos, fmt, ap);
    va_end(ap);
}

#define KIND(n) sim_topo_node_kind_name((n)->kind)

static SimTopoNode *node_at(const SimValidate *v, int i)
{
    return g_ptr_array_index(v->topo->nodes, i);
}

static SimTopoIface *iface_at(const SimTopoNode *n, int i)
{
    return g_ptr_array_index(n->ifaces, i);
}

/* ---- names ------------------------------------------------------------- */

int sim_validate_node(SimValidate *v, const char *name, SimTopoPos pos)
{
    int i = sim_topo_node_index(v->topo, name);
    if (i >= 0 || g_hash_table_contains(v->topo->poisoned, name))
        return i;
    const char *s = sim_diag_suggest_array(name, v->names);
    if (s != NULL)
        sim_validate_error(v, pos, "unknown node '%s' (did you mean '%s'?)", name, s);
    else
        sim_validate_error(v, pos, "unknown node '%s'", name);
    return -1;
}

static void check_names(SimValidate *v)
{
    for (guint i = 0; i < v->topo->nodes->len; i++) {
        SimTopoNode *n = node_at(v, (int)i);
        int first = sim_topo_node_index(v->topo, n->name);
        if (first == (int)i) {
            g_ptr_array_add(v->names, n->name);
            continue;
        }
        SimTopoNode *f = node_at(v, first);
        sim_validate_error(v, n->pos, "duplicate node name '%s'", n->name);
        sim_validate_note(v, f->pos, "'%s' is first declared here as a %s", f->name, KIND(f));
        n->bad = true; /* its links and commands resolve to the first one */
    }
}

/* ---- addresses ------------------------------------------------------------ */

/* Why `ip` cannot be an interface address, or NULL if it can. */
static char *unusable(const SimPrefix *ip)
{
    char a[SIM_IPV4_STRLEN], net[SIM_PREFIX_STRLEN];
    SimPrefix n = {sim_prefix_network(ip), ip->len};
    sim_ipv4_format(ip->addr, a);
    sim_prefix_format(&n, net);
    guint8 top = (guint8)(ip->addr >> 24);
    if (ip->len == 0)
        return g_strdup_printf("address %s/0 has no subnet (use a prefix length of 1 to 32)", a);
    if (top == 0)
        return g_strdup_printf("address %s is in 0.0.0.0/8, which hosts cannot use", a);
    if (top == 127)
        return g_strdup_printf("address %s is a loopback address", a);
    if (top >= 224 && top < 240)
        return g_strdup_printf("address %s is a multicast address", a);
    if (top >= 240)
        return g_strdup_printf("address %s is reserved (240.0.0.0/4)", a);
    if (ip->len <= 30 && ip->addr == sim_prefix_network(ip))
        return g_strdup_printf("address %s is the network address of %s", a, net);
    if (ip->len <= 30 && ip->addr == sim_prefix_broadcast(ip))
        return g_strdup_printf("address %s is the broadcast address of %s", a, net);
    return NULL;
}

static void check_iface(SimValidate *v, SimTopoNode *n, SimTopoIface *f)
{
    char buf[SIM_MAC_STRLEN];
    if (f->has_ip) {
        g_autofree char *why = unusable(&f->ip);
        if (why != NULL)
            sim_validate_error(v, f->ip_pos, "%s", why);
    }
    if (f->has_mac && sim_mac_is_multicast(&f->mac))
        sim_validate_error(v, f->mac_pos, "MAC %s is a %s address; an interface needs unicast",
                           sim_mac_format(&f->mac, buf),
                           sim_mac_is_broadcast(&f->mac) ? "broadcast" : "multicast");
    else if (f->has_mac && sim_mac_equal(&f->mac, &SIM_MAC_ZERO))
        sim_validate_error(v, f->mac_pos, "MAC 00:00:00:00:00:00 is not a valid interface MAC");
}

int sim_validate_subnet_of(const SimTopoNode *n, SimIpv4 a)
{
    for (guint i = 0; i < n->ifaces->len; i++) {
        SimTopoIface *f = iface_at(n, (int)i);
        if (f->has_ip && f->ip.len > 0 && sim_prefix_contains(&f->ip, a))
            return (int)i;
    }
    return -1;
}

/* Index of the interface of n that has address a, or -1. */
static int own_address(const SimTopoNode *n, SimIpv4 a)
{
    for (guint i = 0; i < n->ifaces->len; i++) {
        SimTopoIface *f = iface_at(n, (int)i);
        if (f->has_ip && f->ip.addr == a)
            return (int)i;
    }
    return -1;
}

gboolean sim_validate_has_address(const SimTopoNode *n)
{
    for (guint i = 0; i < n->ifaces->len; i++) {
        if (iface_at(n, (int)i)->has_ip || iface_at(n, (int)i)->dhcp)
            return TRUE; /* a DHCP interface will have one */
    }
    return FALSE;
}

static void check_gateway(SimValidate *v, SimTopoNode *n)
{
    char gw[SIM_IPV4_STRLEN], net[SIM_PREFIX_STRLEN];
    sim_ipv4_format(n->gateway, gw);
    if (!sim_validate_has_address(n)) {
        sim_validate_error(v, n->gateway_pos, "gateway %s, but host '%s' has no IP address", gw,
                           n->name);
        return;
    }
    int i = sim_validate_subnet_of(n, n->gateway);
    if (i < 0) {
        SimTopoIface *f = NULL;
        guint nip = 0;
        for (guint k = 0; k < n->ifaces->len; k++) {
            SimTopoIface *g = iface_at(n, (int)k);
            if (g->has_ip && nip++ == 0)
                f = g;
        }
        SimPrefix p = {sim_prefix_network(&f->ip), f->ip.len};
        if (nip > 1)
            sim_validate_error(v, n->gateway_pos, "gateway %s is outside every subnet of '%s'", gw,
                               n->name);
        else
            sim_validate_error(v, n->gateway_pos, "gateway %s is outside the subnet of '%s' (%s)",
                               gw, n->name, sim_prefix_format(&p, net));
        return;
    }
    SimTopoIface *f = iface_at(n, i);
    if (f->ip.addr == n->gateway)
        sim_validate_error(v, n->gateway_pos, "gateway %s is the host's own address", gw);
    else if (f->ip.len <= 30 && (n->gateway == sim_prefix_network(&f->ip) ||
                                 n->gateway == sim_prefix_broadcast(&f->ip)))
        sim_validate_error(v, n->gateway_pos, "gateway %s is the %s address of its subnet", gw,
                           n->gateway == sim_prefix_network(&f->ip) ? "network" : "broadcast");
}

static void check_route(SimValidate *v, SimTopoNode *n, SimTopoRoute *r)
{
    char via[SIM_IPV4_STRLEN], net[SIM_PREFIX_STRLEN];
    if (r->dev != NULL) {
        r->dev_index = sim_topo_node_iface_index(n, r->dev);
        if (r->dev_index < 0) {
            const char *s = NULL;
            g_autoptr(GPtrArray) names = g_ptr_array_new();
            for (guint i = 0; i < n->ifaces->len; i++)
                g_ptr_array_add(names, iface_at(n, (int)i)->name);
            s = sim_diag_suggest_array(r->dev, names);
            if (s)
                sim_validate_error(v, r->dev_pos,
                                   "unknown interface '%s' on '%s' (did you mean '%s'?)", r->dev,
                                   n->name, s);
            else
                sim_validate_error(v, r->dev_pos, "unknown interface '%s' on '%s'", r->dev,
                                   n->name);
            return;
        }
    }
    if (!r->has_via)
        return;
    sim_ipv4_format(r->via, via);
    if (own_address(n, r->via) >= 0) {
        sim_validate_error(v, r->via_pos, "next hop %s is an address of '%s' itself", via, n->name);
        return;
    }
    if (r->dev_index >= 0) {
        SimTopoIface *f = iface_at(n, r->dev_index);
        if (f->has_ip && !sim_prefix_contains(&f->ip, r->via)) {
            SimPrefix p = {sim_prefix_network(&f->ip), f->ip.len};
            sim_validate_error(v, r->via_pos, "next hop %s is not on the subnet of %s.%s (%s)", via,
                               n->name, f->name, sim_prefix_format(&p, net));
        }
        return; /* an unnumbered dev: the next hop is on-link by declaration */
    }
    if (sim_validate_subnet_of(n, r->via) < 0)
        sim_validate_error(v, r->via_pos, "next hop %s is not on a connected subnet of '%s'", via,
                           n->name);
}

static void check_routes(SimValidate *v, SimTopoNode *n)
{
    char dst[SIM_PREFIX_STRLEN];
    for (guint i = 0; i < n->routes->len; i++) {
        SimTopoRoute *r = g_ptr_array_index(n->routes, i);
        check_route(v, n, r);
        for (guint j = 0; j < i; j++) {
            SimTopoRoute *o = g_ptr_array_index(n->routes, j);
            if (o->dst.addr == r->dst.addr && o->dst.len == r->dst.len && o->metric == r->metric) {
                sim_validate_error(v, r->pos, "duplicate route to %s with metric %u on '%s'",
                                   sim_prefix_format(&r->dst, dst), r->metric, n->name);
                sim_validate_note(v, o->pos, "the first route is here");
                break;
            }
        }
    }
}

static void check_overlaps(SimValidate *v, SimTopoNode *n)
{
    char a[SIM_PREFIX_STRLEN], b[SIM_PREFIX_STRLEN];
    for (guint i = 0; i < n->ifaces->len; i++) {
        SimTopoIface *f = iface_at(n, (int)i);
        for (guint j = 0; f->has_ip && j < i; j++) {
            SimTopoIface *g = iface_at(n, (int)j);
            if (!g->has_ip || !sim_prefix_overlaps(&f->ip, &g->ip))
                continue;
            SimPrefix pf = {sim_prefix_network(&f->ip), f->ip.len};
            SimPrefix pg = {sim_prefix_network(&g->ip), g->ip.len};
            sim_validate_error(v, f->ip_pos, "subnet %s of %s.%s overlaps %s of %s.%s",
                               sim_prefix_format(&pf, a), n->name, f->name,
                               sim_prefix_format(&pg, b), n->name, g->name);
            break;
        }
    }
}

static void check_nodes(SimValidate *v)
{
    for (guint i = 0; i < v->topo->nodes->len; i++) {
        SimTopoNode *n = node_at(v, (int)i);
        for (guint k = 0; k < n->ifaces->len; k++)
            check_iface(v, n, iface_at(n, (int)k));
        if (n->bad)
            continue;
        if (n->has_gateway)
            check_gateway(v, n);
        check_routes(v, n);
        check_overlaps(v, n);
        sim_validate_nat(v, n);
        sim_validate_dns(v, n);
    }
}

/* Duplicate IPs and written MACs across the whole file. */
static void check_unique(SimValidate *v, GHashTable *macs)
{
    g_autoptr(GHashTable) ips = g_hash_table_new(g_direct_hash, g_direct_equal);
    char buf[SIM_MAC_STRLEN];
    for (guint i = 0; i < v->topo->nodes->len; i++) {
        SimTopoNode *n = node_at(v, (int)i);
        for (guint k = 0; k < n->ifaces->len; k++) {
            SimTopoIface *f = iface_at(n, (int)k);
            /* Keys are stored as address + 1 so that 0.0.0.0 is not NULL. */
            gpointer key = GSIZE_TO_POINTER((gsize)f->ip.addr + 1);
            SimTopoIface *o = f->has_ip ? g_hash_table_lookup(ips, key) : NULL;
            if (o != NULL) {
                sim_validate_error(v, f->ip_pos, "duplicate IP address %s",
                                   sim_ipv4_format(f->ip.addr, buf));
                sim_validate_note(v, o->ip_pos, "also used here");
            } else if (f->has_ip) {
                g_hash_table_insert(ips, key, f);
            }
            if (!f->has_mac)
                continue;
            guint64 *mk = g_new(guint64, 1);
            *mk = sim_mac_to_u64(&f->mac);
            o = g_hash_table_lookup(macs, mk);
            if (o != NULL) {
                sim_validate_error(v, f->mac_pos, "duplicate MAC %s", sim_mac_format(&f->mac, buf));
                sim_validate_note(v, o->mac_pos, "also used here");
                g_free(mk);
            } else {
                g_hash_table_insert(macs, mk, f);
            }
        }
    }
}

/* Deterministic MACs for interfaces without one, skipping written MACs. */
static void assign_macs(SimValidate *v, GHashTable *macs)
{
    guint32 next = 0;
    for (guint i = 0; i < v->topo->nodes->len; i++) {
        SimTopoNode *n = node_at(v, (int)i);
        for (guint k = 0; k < n->ifaces->len; k++) {
            SimTopoIface *f = iface_at(n, (int)k);
            if (f->has_mac || f->parent >= 0) /* a sub-interface: its parent's */
                continue;
            guint64 key;
            do {
                f->mac = sim_mac_local(next++);
                key = sim_mac_to_u64(&f->mac);
            } while (g_hash_table_contains(macs, &key));
            f->has_mac = true;
            f->mac_auto = true;
        }
    }
}

/* ---- links ---------------------------------------------------------------- */

gboolean sim_validate_is_l2(const SimTopoNode *n)
{
    return n->kind == SIM_TOPO_SWITCH || n->kind == SIM_TOPO_HUB;
}

gboolean sim_validate_sub(SimValidate *v, SimTopoEndpoint *ep, gboolean rep)
{
    SimTopoNode *n = node_at(v, ep->node_index);
    rep = rep && !n->bad;
    if (sim_validate_is_l2(n)) {
        const char *s = ep->sub;
        if (s[0] == 'p' && g_ascii_isdigit(s[1])) /* "swA.p3", as traces print it */
            s++;
        if (strspn(s, "0123456789") != strlen(s)) {
            if (rep)
                sim_validate_error(v, ep->sub_pos,
                                   "'%s' is not a port of %s '%s' (ports are numbered 1-%u)",
                                   ep->sub, KIND(n), n->name, n->ports);
            return FALSE;
        }
        guint64 p = g_ascii_strtoull(s, NULL, 10);
        if (p < 1 || p > n->ports) {
            if (rep)
                sim_validate_error(v, ep->sub_pos, "port %s out of range on %s '%s' (ports 1-%u)",
                                   s, KIND(n), n->name, n->ports);
            return FALSE;
        }
        ep->port = (uint32_t)p;
        return TRUE;
    }
    int i = sim_topo_node_iface_index(n, ep->sub);
    if (i >= 0 && iface_at(n, i)->vid != 0) {
        if (rep)
            sim_validate_error(
                v, ep->sub_pos, "%s.%s is a VLAN sub-interface and cannot be linked; link %s.%s",
                n->name, ep->sub, n->name, iface_at(n, iface_at(n, i)->parent)->name);
        return FALSE;
    }
    if (i >= 0) {
        ep->iface_index = i;
        return TRUE;
    }
    if (!rep)
        return FALSE;
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (guint k = 0; k < n->ifaces->len; k++)
        g_ptr_array_add(names, iface_at(n, (int)k)->name);
    const char *s = sim_diag_suggest_array(ep->sub, names);
    if (s == NULL && g_ascii_isdigit(ep->sub[0])) {
        g_autofree char *eth = g_strconcat("eth", ep->sub, NULL);
        s = sim_diag_suggest_array(eth, names);
    }
    if (s != NULL)
        sim_validate_error(v, ep->sub_pos, "unknown interface '%s' on %s '%s' (did you mean '%s'?)",
                           ep->sub, KIND(n), n->name, s);
    else
        sim_validate_error(v, ep->sub_pos, "unknown interface '%s' on %s '%s'", ep->sub, KIND(n),
                           n->name);
    return FALSE;
}

/* Claims ep's interface or port for link li; reports a second use. */
static gboolean claim(SimValidate *v, guint li, SimTopoEndpoint *ep)
{
    SimTopoNode *n = node_at(v, ep->node_index);
    int *slot =
        sim_validate_is_l2(n) ? &n->port_link[ep->port] : &iface_at(n, ep->iface_index)->link;
    if (*slot < 0) {
        *slot = (int)li;
        return TRUE;
    }
    SimTopoLink *other = g_ptr_array_index(v->topo->links, *slot);
    if (sim_validate_is_l2(n))
        sim_validate_error(v, ep->sub_pos,
                           "port %u of %s '%s' is already used by the link on line %u", ep->port,
                           KIND(n), n->name, other->pos.line);
    else
        sim_validate_error(v, ep->sub_pos, "interface %s.%s is already linked on line %u", n->name,
                           iface_at(n, ep->iface_index)->name, other->pos.line);
    return FALSE;
}

static void unclaim(SimValidate *v, SimTopoEndpoint *ep)
{
    SimTopoNode *n = node_at(v, ep->node_index);
    if (sim_validate_is_l2(n))
        n->port_link[ep->port] = -1;
    else
        iface_at(n, ep->iface_index)->link = -1;
}

static gboolean auto_endpoint(SimValidate *v, guint li, SimTopoEndpoint *ep)
{
    SimTopoNode *n = node_at(v, ep->node_index);
    ep->auto_assigned = true;
    if (sim_validate_is_l2(n)) {
        for (guint32 p = 1; p <= n->ports; p++) {
            if (n->port_link[p] < 0) {
                ep->port = p;
                n->port_link[p] = (int)li;
                return TRUE;
            }
        }
        sim_validate_error(v, ep->pos, "no free port on %s '%s': all %u are in use (raise 'ports')",
                           KIND(n), n->name, n->ports);
        return FALSE;
    }
    for (guint k = 0; k < n->ifaces->len; k++) {
        SimTopoIface *f = iface_at(n, (int)k);
        if (f->link < 0 && f->vid == 0) {
            ep->iface_index = (int)k;
            f->link = (int)li;
            return TRUE;
        }
    }
    if (n->ifaces->len == 0)
        sim_validate_error(v, ep->pos,
                           "router '%s' has no interfaces (declare them on indented "
                           "'interface' lines)",
                           n->name);
    else
        sim_validate_error(v, ep->pos, "no free interface on %s '%s': all %u are linked", KIND(n),
                           n->name, n->ifaces->len);
    return FALSE;
}

static void reset_endpoint(SimTopoEndpoint *ep)
{
    ep->node_index = -1;
    ep->iface_index = -1;
    ep->port = 0;
    ep->auto_assigned = false;
}

/* Forgets what an earlier validation resolved, so validating twice gives
 * the same result as once. */
static void reset(SimValidate *v)
{
    SimTopo *t = v->topo;
    for (guint i = 0; i < t->nodes->len; i++) {
        SimTopoNode *n = node_at(v, (int)i);
        g_clear_pointer(&n->port_link, g_free);
        for (guint k = 0; k < n->ifaces->len; k++) {
            SimTopoIface *f = iface_at(n, (int)k);
            f->link = -1;
            if (f->mac_auto)
                f->has_mac = f->mac_auto = false;
        }
    }
    for (guint li = 0; li < t->links->len; li++) {
        SimTopoLink *l = g_ptr_array_index(t->links, li);
        reset_endpoint(&l->a);
        reset_endpoint(&l->b);
    }
    for (guint ci = 0; ci < t->cmds->len; ci++) {
        SimTopoCmd *c = g_ptr_array_index(t->cmds, ci);
        reset_endpoint(&c->a);
        reset_endpoint(&c->b);
        c->node_index = c->link_index = -1;
    }
}

static void resolve_links(SimValidate *v)
{
    SimTopo *t = v->topo;
    for (guint i = 0; i < t->nodes->len; i++) {
        SimTopoNode *n = node_at(v, (int)i);
        if (!sim_validate_is_l2(n))
            continue;
        n->port_link = g_new(int, n->ports + 1);
        for (guint32 p = 0; p <= n->ports; p++)
            n->port_link[p] = -1;
    }
    /* Pass 1: nodes, written interfaces and ports. */
    for (guint li = 0; li < t->links->len; li++) {
        SimTopoLink *l = g_ptr_array_index(t->links, li);
        SimTopoEndpoint *ep[2] = {&l->a, &l->b};
        gboolean ok = TRUE;
        for (int k = 0; k < 2; k++) {
            ep[k]->node_index = sim_validate_node(v, ep[k]->node, ep[k]->pos);
            ok = ok && ep[k]->node_index >= 0;
        }
        if (ok && l->a.node_index == l->b.node_index) {
            sim_validate_error(v, l->b.pos, "link from '%s' to itself", l->a.node);
            ok = FALSE;
        }
        for (int k = 0; ok && k < 2; k++) {
            if (ep[k]->sub != NULL)
                ok = sim_validate_sub(v, ep[k], TRUE);
        }
        /* Claim only once both ends resolved, and give the first end back
         * if the second is taken: a broken link holding a port made a later
         * correct use of it the error, pointing at the wrong line. */
        if (ok && l->a.sub != NULL)
            ok = claim(v, li, &l->a);
        if (ok && l->b.sub != NULL && !claim(v, li, &l->b)) {
            ok = FALSE;
            if (l->a.sub != NULL)
                unclaim(v, &l->a);
        }
        v->link_ok[li] = ok;
    }
    /* Pass 2: the next free interface or port, in file order. */
    for (guint li = 0; li < t->links->len; li++) {
        SimTopoLink *l = g_ptr_array_index(t->links, li);
        if (l->a.sub == NULL && v->link_ok[li])
            v->link_ok[li] = auto_endpoint(v, li, &l->a);
        if (l->b.sub == NULL && v->link_ok[li])
            v->link_ok[li] = auto_endpoint(v, li, &l->b);
    }
}

static void apply_link_defaults(SimValidate *v)
{
    const SimTopoLinkParams *d = &v->topo->defaults;
    for (guint li = 0; li < v->topo->links->len; li++) {
        SimTopoLinkParams *p = &((SimTopoLink *)g_ptr_array_index(v->topo->links, li))->params;
        guint from_defaults = d->set & ~p->set;
        if (from_defaults & SIM_TOPO_LP_RATE)
            p->rate_bps = d->rate_bps;
        if (from_defaults & SIM_TOPO_LP_DELAY)
            p->delay = d->delay;
        if (from_defaults & SIM_TOPO_LP_LOSS)
            p->loss = d->loss;
        if (from_defaults & SIM_TOPO_LP_QUEUE)
            p->queue = d->queue;
        if (from_defaults & SIM_TOPO_LP_MTU)
            p->mtu = d->mtu;
    }
}

gboolean sim_topo_validate(SimTopo *topo, SimDiag *diag)
{
    topo->validated = FALSE;
    if (sim_diag_full(diag))
        return FALSE; /* nothing more could be shown */
    SimValidate v = {.topo = topo, .diag = diag, .names = g_ptr_array_new()};
    v.link_ok = g_new0(gboolean, topo->links->len + 1);
    g_autoptr(GHashTable) macs = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    reset(&v);
    check_names(&v);
    check_nodes(&v);
    sim_validate_vlans(&v);
    check_unique(&v, macs);
    assign_macs(&v, macs);
    sim_validate_subif_macs(&v);
    resolve_links(&v);
    apply_link_defaults(&v);
    sim_validate_commands(&v);
    sim_validate_horizon(&v);
    sim_validate_warnings(&v);
    g_free(v.link_ok);
    g_ptr_array_unref(v.names);
    sim_diag_sort(diag);
    topo->validated = !sim_diag_has_errors(diag);
    return topo->validated;
}
