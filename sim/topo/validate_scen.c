/* validate_scen.c - scenario command checks and the warnings of
 * `netsim check`.
 *
 * Loops and segments use union-find over nodes and interfaces (near O(1)
 * per link). A loop warning names the devices on the loop: the path between
 * the two ends in the spanning forest built so far, found by BFS, so each
 * loop-closing link costs O(V + E) (there are few of them).
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include "sim/apps/chatbot.h"
#include "sim/topo/validate.h"
#include "sim/topo/validate_priv.h"

#include <string.h>

#define KIND(n) sim_topo_node_kind_name((n)->kind)

static SimTopoNode *node_at(const SimValidate *v, int i)
{
    return g_ptr_array_index(v->topo->nodes, i);
}

static SimTopoIface *iface_at(const SimTopoNode *n, int i)
{
    return g_ptr_array_index(n->ifaces, i);
}

static SimTopoIface *first_address(const SimTopoNode *n)
{
    for (guint i = 0; i < n->ifaces->len; i++) {
        if (iface_at(n, (int)i)->has_ip)
            return iface_at(n, (int)i);
    }
    return NULL;
}

/* ---- commands -------------------------------------------------------------- */

/* Whether n has any way to send to a: connected, a route, or a gateway. */
static gboolean can_route(const SimTopoNode *n, SimIpv4 a)
{
    if (sim_validate_subnet_of(n, a) >= 0 || n->has_gateway)
        return TRUE;
    for (guint i = 0; i < n->ifaces->len; i++)
        if (((SimTopoIface *)g_ptr_array_index(n->ifaces, i))->dhcp)
            return TRUE; /* DHCP may give it a gateway */
    for (guint i = 0; i < n->routes->len; i++) {
        SimTopoRoute *r = g_ptr_array_index(n->routes, i);
        if (sim_prefix_contains(&r->dst, a))
            return TRUE;
    }
    return FALSE;
}

static void check_probe(SimValidate *v, SimTopoCmd *c, SimTopoNode *n, const char *what)
{
    char ip[SIM_IPV4_STRLEN];
    if (!sim_topo_node_has_ifaces(n->kind) && !n->l3) {
        sim_validate_error(v, c->node_pos,
                           "%s '%s' cannot %s: only hosts, routers and L3 switches have an IP "
                           "stack",
                           KIND(n), n->name, what);
        return;
    }
    if (c->resolve) {
        sim_validate_dns_target(v, c, n, what);
        return; /* the address, and so the route, is known only at run time */
    }
    if (c->target_name != NULL) {
        int ti = sim_validate_node(v, c->target_name, c->target_pos);
        if (ti < 0)
            return;
        SimTopoIface *f = first_address(node_at(v, ti));
        if (f == NULL) {
            SimTopoNode *t = node_at(v, ti);
            sim_validate_error(v, c->target_pos, "%s '%s' has no IP address to %s", KIND(t),
                               t->name, what);
            return;
        }
        c->target = f->ip.addr;
    }
    if (n->bad)
        return;
    sim_ipv4_format(c->target, ip);
    if (!sim_validate_has_address(n))
        sim_validate_warning(v, c->node_pos, "%s '%s' has no IP address: the %s will fail", KIND(n),
                             n->name, what);
    else if (!can_route(n, c->target) && n->kind == SIM_TOPO_HOST)
        sim_validate_warning(v, c->target_pos,
                             "host '%s' has no gateway and %s is off its subnet: the %s will fail",
                             n->name, ip, what);
    else if (!can_route(n, c->target))
        sim_validate_warning(v, c->target_pos, "%s '%s' has no route to %s: the %s will fail",
                             KIND(n), n->name, ip, what);
}

static void check_table(SimValidate *v, SimTopoCmd *c, SimTopoNode *n)
{
    const char *verb = c->kind == SIM_TOPO_CMD_SHOW ? "show" : "clear";
    gboolean ok = TRUE;
    const char *what = NULL;
    switch (c->table) {
    case SIM_TOPO_TABLE_MAC:
        ok = n->kind == SIM_TOPO_SWITCH;
        what = "MAC table";
        break;
    case SIM_TOPO_TABLE_ARP:
        ok = sim_topo_node_has_ifaces(n->kind) || n->l3;
        what = "ARP table";
        break;
    case SIM_TOPO_TABLE_ROUTE:
    case SIM_TOPO_TABLE_ROUTE_CACHE:
        ok = sim_topo_node_has_ifaces(n->kind) || n->l3;
        what = "routing table";
        break;
    case SIM_TOPO_TABLE_INTERFACES:
        break;
    case SIM_TOPO_TABLE_VLAN:
        ok = n->kind == SIM_TOPO_SWITCH;
        what = "VLAN table";
        break;
    case SIM_TOPO_TABLE_SOCKETS:
    case SIM_TOPO_TABLE_DHCP:
        ok = sim_topo_node_has_ifaces(n->kind);
        what = "IP stack";
        break;
    case SIM_TOPO_TABLE_NAT:
        ok = n->nat && n->nat->pos.line;
        what = "nat line";
        break;
    case SIM_TOPO_TABLE_DNS_CACHE:
        ok = sim_topo_node_has_ifaces(n->kind);
        what = "IP stack";
        break;
    case SIM_TOPO_TABLE_ZONE:
        ok = n->dns && n->dns->zone_files;
        what = "dns-zone line";
        break;
    case SIM_TOPO_TABLE_STP:
        ok = n->kind == SIM_TOPO_SWITCH && n->stp != SIM_TOPO_STP_OFF;
        what = n->kind == SIM_TOPO_SWITCH ? "spanning tree (add 'stp on' or 'stp rstp')"
                                          : "spanning tree";
        break;
    }
    if (!ok)
        sim_validate_error(v, c->node_pos, "cannot %s %s: %s '%s' has no %s", verb,
                           sim_topo_table_name(c->table), KIND(n), n->name, what);
}

/* service chatbot: the rules file, relative to the topology's directory,
 * must read and parse now, not fail in the middle of the run. */
static void resolve_file(SimTopoCmd *c)
{
    if (!g_path_is_absolute(c->text)) {
        g_autofree char *dir = g_path_get_dirname(c->pos.file);
        char *full = g_build_filename(dir, c->text, NULL);
        g_free(c->text);
        c->text = full;
    }
}

/* upload: a regular file of at most SIM_TOPO_UPLOAD_MAX bytes, and a name
 * the server will accept. */
static void check_upload_file(SimValidate *v, SimTopoCmd *c)
{
    resolve_file(c);
    GStatBuf st;
    if (g_stat(c->text, &st) != 0) {
        sim_validate_error(v, c->text_pos, "cannot upload '%s': %s", c->text, g_strerror(errno));
        return;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > SIM_TOPO_UPLOAD_MAX) {
        sim_validate_error(v, c->text_pos, "cannot upload '%s': %s", c->text,
                           S_ISREG(st.st_mode) ? "larger than 256 MiB" : "not a regular file");
        return;
    }
}

static void check_rules(SimValidate *v, SimTopoCmd *c)
{
    resolve_file(c);
    g_autoptr(GError) err = NULL;
    g_autoptr(SimChatRules) r = sim_chat_rules_load(c->text, &err);
    if (!r)
        sim_validate_error(v, c->text_pos, "bad rules file: %s", err->message);
}

/* tcp-send, udp-send, service: an IP node with an address; a transfer's
 * target resolves like a ping's. */
static void check_dhcp(SimValidate *v, SimTopoCmd *c, SimTopoNode *n)
{
    for (guint i = 0; sim_topo_node_has_ifaces(n->kind) && i < n->ifaces->len; i++)
        if (((SimTopoIface *)g_ptr_array_index(n->ifaces, i))->dhcp)
            return;
    if (c->dhcp_reboot)
        sim_validate_error(v, c->node_pos, "%s '%s' has no dhcp interface to reboot", KIND(n),
                           n->name);
    else
        sim_validate_error(v, c->node_pos, "%s '%s' has no dhcp interface to release", KIND(n),
                           n->name);
}

static void check_xfer(SimValidate *v, SimTopoCmd *c, SimTopoNode *n)
{
    const char *what = c->kind == SIM_TOPO_CMD_TCP_SEND   ? "tcp-send"
                       : c->kind == SIM_TOPO_CMD_UDP_SEND ? "udp-send"
                       : c->kind == SIM_TOPO_CMD_SEND     ? "send"
                       : c->kind == SIM_TOPO_CMD_CHAT     ? "chat"
                       : c->kind == SIM_TOPO_CMD_UPLOAD   ? "upload"
                                                          : "run a service";
    if (!sim_topo_node_has_ifaces(n->kind)) {
        sim_validate_error(v, c->node_pos,
                           "%s '%s' cannot %s: only hosts and routers have an IP stack", KIND(n),
                           n->name, what);
        return;
    }
    if (!n->bad && !sim_validate_has_address(n)) {
        sim_validate_error(v, c->node_pos, "%s '%s' has no IP address to %s", KIND(n), n->name,
                           c->kind == SIM_TOPO_CMD_SERVICE ? "run a service on" : "send from");
        return;
    }
    if (c->kind != SIM_TOPO_CMD_SERVICE)
        check_probe(v, c, n, what);
    if (c->kind == SIM_TOPO_CMD_UPLOAD)
        check_upload_file(v, c);
    else if (c->service == SIM_TOPO_SVC_CHATBOT)
        check_rules(v, c);
}

static gboolean same_end(const SimTopoEndpoint *l, const SimTopoEndpoint *c, const SimTopoNode *n)
{
    if (l->node_index != c->node_index)
        return FALSE;
    if (c->sub == NULL)
        return TRUE;
    return sim_validate_is_l2(n) ? l->port == c->port : l->iface_index == c->iface_index;
}

static void check_link_cmd(SimValidate *v, SimTopoCmd *c)
{
    SimTopoEndpoint *ep[2] = {&c->a, &c->b};
    for (int k = 0; k < 2; k++) {
        ep[k]->node_index = sim_validate_node(v, ep[k]->node, ep[k]->pos);
        if (ep[k]->node_index < 0)
            return;
    }
    for (int k = 0; k < 2; k++) {
        if (ep[k]->sub != NULL && !sim_validate_sub(v, ep[k], TRUE))
            return;
    }
    SimTopoNode *na = node_at(v, c->a.node_index), *nb = node_at(v, c->b.node_index);
    guint found = 0;
    for (guint li = 0; li < v->topo->links->len; li++) {
        SimTopoLink *l = g_ptr_array_index(v->topo->links, li);
        if (!v->link_ok[li])
            continue;
        if ((same_end(&l->a, &c->a, na) && same_end(&l->b, &c->b, nb)) ||
            (same_end(&l->b, &c->a, na) && same_end(&l->a, &c->b, nb))) {
            if (found++ == 0)
                c->link_index = (int)li;
        }
    }
    g_autofree char *a =
        c->a.sub ? g_strdup_printf("%s.%s", c->a.node, c->a.sub) : g_strdup(c->a.node);
    g_autofree char *b =
        c->b.sub ? g_strdup_printf("%s.%s", c->b.node, c->b.sub) : g_strdup(c->b.node);
    if (found == 0) {
        sim_validate_error(v, c->a.pos, "no link between %s and %s", a, b);
        c->link_index = -1;
    } else if (found > 1) {
        sim_validate_error(v, c->a.pos,
                           "%u links join %s and %s: name the interfaces or ports to pick one",
                           found, a, b);
        c->link_index = -1;
    }
}

void sim_validate_commands(SimValidate *v)
{
    for (guint i = 0; i < v->topo->cmds->len; i++) {
        SimTopoCmd *c = g_ptr_array_index(v->topo->cmds, i);
        if (c->kind == SIM_TOPO_CMD_LINK) {
            check_link_cmd(v, c);
            continue;
        }
        c->node_index = sim_validate_node(v, c->node, c->node_pos);
        if (c->node_index < 0)
            continue;
        SimTopoNode *n = node_at(v, c->node_index);
        if (c->kind == SIM_TOPO_CMD_PING || c->kind == SIM_TOPO_CMD_TRACEROUTE)
            check_probe(v, c, n, c->kind == SIM_TOPO_CMD_PING ? "ping" : "traceroute");
        else if (c->kind == SIM_TOPO_CMD_TCP_SEND || c->kind == SIM_TOPO_CMD_UDP_SEND ||
                 c->kind == SIM_TOPO_CMD_SERVICE || c->kind == SIM_TOPO_CMD_SEND ||
                 c->kind == SIM_TOPO_CMD_CHAT || c->kind == SIM_TOPO_CMD_UPLOAD)
            check_xfer(v, c, n);
        else if (c->kind == SIM_TOPO_CMD_DHCP)
            check_dhcp(v, c, n);
        else
            check_table(v, c, n);
    }
}

/* ---- warnings -------------------------------------------------------------- */

static guint uf_find(guint *parent, guint x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void warn_unconnected(SimValidate *v)
{
    if (v->topo->dropped_links)
        return; /* as below: a link line with a syntax error is a broken link */
    for (guint li = 0; li < v->topo->links->len; li++) {
        if (!v->link_ok[li])
            return; /* a broken link would make its ends look unconnected */
    }
    for (guint i = 0; i < v->topo->nodes->len; i++) {
        SimTopoNode *n = node_at(v, (int)i);
        if (sim_validate_is_l2(n)) {
            gboolean any = FALSE;
            for (guint32 p = 1; n->port_link && p <= n->ports; p++)
                any = any || n->port_link[p] >= 0;
            if (!any)
                sim_validate_warning(v, n->pos, "%s '%s' is not connected to anything", KIND(n),
                                     n->name);
            continue;
        }
        for (guint k = 0; k < n->ifaces->len; k++) {
            SimTopoIface *f = iface_at(n, (int)k);
            if (f->link >= 0 || f->vid != 0)
                continue;
            if (f->implicit && n->ifaces->len == 1)
                sim_validate_warning(v, n->pos, "host '%s' is not connected", n->name);
            else
                sim_validate_warning(v, f->pos, "interface %s.%s is not connected", n->name,
                                     f->name);
        }
    }
}

/* Path from a to b over the tree edges adj (node index lists), as names. */
static char *tree_path(SimValidate *v, GPtrArray **adj, guint a, guint b)
{
    guint nn = v->topo->nodes->len;
    int *prev = g_new(int, nn + 1);
    for (guint i = 0; i < nn; i++)
        prev[i] = -1;
    g_autoptr(GQueue) q = g_queue_new();
    prev[a] = (int)a;
    g_queue_push_tail(q, GUINT_TO_POINTER(a));
    while (!g_queue_is_empty(q) && prev[b] < 0) {
        guint x = GPOINTER_TO_UINT(g_queue_pop_head(q));
        for (guint k = 0; adj[x] && k < adj[x]->len; k++) {
            guint y = GPOINTER_TO_UINT(g_ptr_array_index(adj[x], k));
            if (prev[y] < 0) {
                prev[y] = (int)x;
                g_queue_push_tail(q, GUINT_TO_POINTER(y));
            }
        }
    }
    GString *s = g_string_new(node_at(v, (int)b)->name);
    for (guint x = b; x != a && prev[x] >= 0; x = (guint)prev[x])
        g_string_append_printf(s, " - %s", node_at(v, prev[x])->name);
    g_string_append_printf(s, " - %s", node_at(v, (int)b)->name);
    g_free(prev);
    return g_string_free(s, FALSE);
}

static void warn_loops(SimValidate *v)
{
    guint nn = v->topo->nodes->len;
    guint *parent = g_new(guint, nn + 1);
    GPtrArray **adj = g_new0(GPtrArray *, nn + 1);
    for (guint i = 0; i < nn; i++)
        parent[i] = i;
    for (guint li = 0; li < v->topo->links->len; li++) {
        SimTopoLink *l = g_ptr_array_index(v->topo->links, li);
        if (!v->link_ok[li] || !sim_validate_is_l2(node_at(v, l->a.node_index)) ||
            !sim_validate_is_l2(node_at(v, l->b.node_index)))
            continue;
        guint a = (guint)l->a.node_index, b = (guint)l->b.node_index;
        guint ra = uf_find(parent, a), rb = uf_find(parent, b);
        if (ra == rb && node_at(v, l->a.node_index)->stp != SIM_TOPO_STP_OFF &&
            node_at(v, l->b.node_index)->stp != SIM_TOPO_STP_OFF)
            continue; /* the spanning tree will block a port of this loop */
        if (ra == rb) {
            g_autofree char *path = tree_path(v, adj, a, b);
            sim_validate_warning(v, l->pos,
                                 "link closes a switch loop (%s): without STP, broadcasts will "
                                 "storm",
                                 path);
            continue;
        }
        parent[ra] = rb;
        for (int k = 0; k < 2; k++) {
            guint x = k ? b : a, y = k ? a : b;
            if (adj[x] == NULL)
                adj[x] = g_ptr_array_new();
            g_ptr_array_add(adj[x], GUINT_TO_POINTER(y));
        }
    }
    for (guint i = 0; i < nn; i++) {
        if (adj[i])
            g_ptr_array_unref(adj[i]);
    }
    g_free(adj);
    g_free(parent);
}

/* Union-find point of an endpoint: L2 devices are one point each, every
 * interface of a host or router is its own point. */
static guint point_of(SimValidate *v, const guint *base, const SimTopoEndpoint *ep)
{
    SimTopoNode *n = node_at(v, ep->node_index);
    return sim_validate_is_l2(n) ? base[ep->node_index]
                                 : base[ep->node_index] + (guint)ep->iface_index;
}

typedef struct {
    SimPrefix net;
    const SimTopoNode *node;
    const SimTopoIface *iface;
} SegSubnet;

/* A link that `at 0s link A B down` takes down is unplugged from the start
 * (a spare cable, a socket patched later): it joins no segment. */
/* Links taken down by a scenario line at 0 s, marked in one pass over the
 * scenario (asking per link was links x lines: 0.2 s of a 20,000-host
 * run's load). Caller frees. */
static bool *down_from_start(SimValidate *v)
{
    bool *down = g_new0(bool, v->topo->links->len + 1);
    for (guint i = 0; i < v->topo->cmds->len; i++) {
        const SimTopoCmd *c = g_ptr_array_index(v->topo->cmds, i);
        if (c->kind == SIM_TOPO_CMD_LINK && c->at == 0 && !c->up && c->link_index >= 0 &&
            (guint)c->link_index < v->topo->links->len)
            down[c->link_index] = true;
    }
    return down;
}

static void warn_segments(SimValidate *v)
{
    guint nn = v->topo->nodes->len, np = 0;
    guint *base = g_new(guint, nn + 1);
    for (guint i = 0; i < nn; i++) {
        SimTopoNode *n = node_at(v, (int)i);
        base[i] = np;
        np += sim_validate_is_l2(n) ? 1 : MAX(n->ifaces->len, 1);
    }
    guint *parent = g_new(guint, np + 1);
    for (guint i = 0; i < np; i++)
        parent[i] = i;
    g_autofree bool *down = down_from_start(v);
    for (guint li = 0; li < v->topo->links->len; li++) {
        SimTopoLink *l = g_ptr_array_index(v->topo->links, li);
        if (v->link_ok[li] && !down[li])
            parent[uf_find(parent, point_of(v, base, &l->a))] =
                uf_find(parent, point_of(v, base, &l->b));
    }
    /* root -> first subnet seen on that segment; (root, subnet) pairs warned */
    g_autoptr(GHashTable) first =
        g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    g_autoptr(GHashTable) warned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char a[SIM_PREFIX_STRLEN], b[SIM_PREFIX_STRLEN];
    /* A segment through a switch with VLANs is several broadcast domains:
     * two subnets on it are the point, not a mistake. */
    g_autoptr(GHashTable) vlan_seg = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < nn; i++) {
        SimTopoNode *n = node_at(v, (int)i);
        if (n->kind == SIM_TOPO_SWITCH && n->port_cfgs->len > 0)
            g_hash_table_add(vlan_seg, GUINT_TO_POINTER(uf_find(parent, base[i]) + 1));
    }
    for (guint i = 0; i < nn; i++) {
        SimTopoNode *n = node_at(v, (int)i);
        for (guint k = 0; !sim_validate_is_l2(n) && k < n->ifaces->len; k++) {
            SimTopoIface *f = iface_at(n, (int)k);
            if (!f->has_ip || f->link < 0)
                continue;
            guint root = uf_find(parent, base[i] + k);
            if (g_hash_table_contains(vlan_seg, GUINT_TO_POINTER(root + 1)))
                continue;
            SimPrefix net = {sim_prefix_network(&f->ip), f->ip.len};
            SegSubnet *s = g_hash_table_lookup(first, GUINT_TO_POINTER(root + 1));
            if (s == NULL) {
                s = g_new(SegSubnet, 1);
                *s = (SegSubnet){net, n, f};
                g_hash_table_insert(first, GUINT_TO_POINTER(root + 1), s);
                continue;
            }
            if (s->net.addr == net.addr && s->net.len == net.len)
                continue;
            char *key = g_strdup_printf("%u/%u/%u", root, net.addr, net.len);
            if (!g_hash_table_add(warned, key))
                continue;
            sim_validate_warning(v, f->ip_pos,
                                 "two subnets on one segment: %s.%s is in %s but %s.%s is in %s",
                                 n->name, f->name, sim_prefix_format(&net, a), s->node->name,
                                 s->iface->name, sim_prefix_format(&s->net, b));
        }
    }
    g_free(parent);
    g_free(base);
}

void sim_validate_warnings(SimValidate *v)
{
    /* An empty file, or one of comments only, is legal but surely not
     * what was meant; it used to check clean as "nodes: 0 ()". (With
     * errors, they are the news: a broken declaration is no device.) */
    if (v->topo->nodes->len == 0 && !sim_diag_has_errors(v->diag))
        sim_validate_warning(v, (SimTopoPos){v->topo->file, 0, 0},
                             "no devices: the file declares no host, switch, hub or router");
    warn_unconnected(v);
    warn_loops(v);
    warn_segments(v);
}
