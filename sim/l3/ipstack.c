/* ipstack.c - stack lifecycle, interfaces, addresses, routes, the Ethernet
 * demux and the `show` tables. See ipstack.h.
 *
 * "Is this address ours / one of our broadcasts" is asked for every packet:
 * a flat array scan while the node has at most IP_ADDR_SCAN_MAX addresses
 * (hosts), integer-keyed GHashTables past that (big routers), so it stays
 * O(1) whatever the number of interfaces.
 */
#include "sim/l3/ipstack_priv.h"
#include "sim/l3/nat_priv.h"

#include "sim/net/arp_hdr.h"
#include "sim/net/eth.h"

#include <string.h>

G_DEFINE_QUARK(sim - ip - error - quark, sim_ip_error)

SimIpStack *ip_stack_new(SimWorld *w, bool forwarding)
{
    SimIpStack *st = g_aligned_alloc0(1, sizeof(SimIpStack), 64);
    st->w = w;
    st->forwarding = forwarding;
    st->ordinal = sim_world_n_nodes(w);
    st->fib = sim_fib_new();
    st->ifs = g_ptr_array_new();
    st->next_ip_id = 1;
    st->next_port = 32768;
    return st;
}

void ip_stack_set_node(SimIpStack *st, SimNode *node)
{
    st->node = node;
    st->name = sim_node_name(node);
    /* Echo ids differ between hosts (easier to tell apart in a capture) yet
     * depend only on the name. */
    st->next_echo_id = (uint16_t)(g_str_hash(st->name) * 2654435761u >> 16);
}

void ip_stack_free(void *priv)
{
    SimIpStack *st = priv;
    if (!st)
        return;
    /* Applications first: they may unbind from the tables below. */
    if (st->adopted) {
        for (guint i = st->adopted->len; i-- > 0;) {
            IpAdopted *a = &g_array_index(st->adopted, IpAdopted, i);
            a->free_fn(a->obj);
        }
        g_array_free(st->adopted, TRUE);
    }
    reasm_free_all(st);
    nat_free(st->nat);
    for (guint i = 0; i < st->ifs->len; i++) {
        SimIpIf *ifp = g_ptr_array_index(st->ifs, i);
        arp_free(ifp);
        g_array_free(ifp->addrs, TRUE);
        g_aligned_free(ifp);
    }
    g_ptr_array_free(st->ifs, TRUE);
    if (st->local)
        g_hash_table_destroy(st->local);
    if (st->bcast)
        g_hash_table_destroy(st->bcast);
    if (st->echo)
        g_hash_table_destroy(st->echo);
    if (st->udp)
        g_hash_table_destroy(st->udp);
    if (st->protos)
        g_array_free(st->protos, TRUE);
    if (st->pmtu)
        g_hash_table_destroy(st->pmtu);
    sim_fib_free(st->fib);
    g_aligned_free(st);
}

SimNode *sim_ip_stack_node(const SimIpStack *st)
{
    return st->node;
}

SimWorld *sim_ip_stack_world(const SimIpStack *st)
{
    return st->w;
}

void sim_ip_set_drop_private(SimIpStack *st, bool on)
{
    st->drop_private = on;
}

void sim_ip_set_forwarding(SimIpStack *st, bool on)
{
    st->forwarding = on;
}

bool sim_ip_forwarding(const SimIpStack *st)
{
    return st->forwarding;
}

const SimIpStats *sim_ip_stats(const SimIpStack *st)
{
    return &st->stats;
}

void sim_ip_stack_adopt(SimIpStack *st, void *obj, GDestroyNotify free_fn)
{
    if (!st->adopted)
        st->adopted = g_array_new(FALSE, FALSE, sizeof(IpAdopted));
    IpAdopted a = {obj, free_fn};
    g_array_append_val(st->adopted, a);
}

void sim_ip_watch_link(SimIface *iface, SimIpLinkFn fn, void *user)
{
    SimIpIf *ifp = ip_if(iface);
    if (ifp) {
        ifp->link_fn = fn;
        ifp->link_user = user;
    }
}

/* ---- interfaces and addresses ------------------------------------------- */

SimIpIf *ip_if_by_index(const SimIpStack *st, int ifindex)
{
    if (ifindex < 0)
        return NULL;
    return ip_if(sim_node_iface(st->node, (guint)ifindex));
}

SimIpv4 ip_if_source_for(const SimIpIf *ifp, SimIpv4 dst)
{
    if (!ifp || ifp->addrs->len == 0)
        return 0;
    for (guint i = 0; i < ifp->addrs->len; i++) {
        const SimPrefix *p = &g_array_index(ifp->addrs, SimPrefix, i);
        if (sim_prefix_contains(p, dst))
            return p->addr;
    }
    return g_array_index(ifp->addrs, SimPrefix, 0).addr;
}

bool ip_if_is_bcast(const SimIpIf *ifp, SimIpv4 a)
{
    for (guint i = 0; i < ifp->addrs->len; i++) {
        const SimPrefix *p = &g_array_index(ifp->addrs, SimPrefix, i);
        /* /31 and /32 have no broadcast address (RFC 3021). */
        if (p->len < 31 && a == sim_prefix_broadcast(p))
            return true;
    }
    return false;
}

bool ip_is_bcast(const SimIpStack *st, SimIpv4 a)
{
    if (a == 0xffffffffu)
        return true;
    if (st->bcast)
        return g_hash_table_contains(st->bcast, GUINT_TO_POINTER(a));
    for (guint i = 0; i < st->n_addrs; i++)
        if (a && st->addr_small[i].bcast == a)
            return true;
    return false;
}

bool sim_ip_is_local(const SimIpStack *st, SimIpv4 a)
{
    if (st->local)
        return g_hash_table_contains(st->local, GUINT_TO_POINTER(a));
    for (guint i = 0; i < st->n_addrs; i++)
        if (st->addr_small[i].addr == a)
            return true;
    return false;
}

/* Records a new address in the lookup structures. */
static void add_to_sets(SimIpStack *st, const IpAddrEnt *e)
{
    g_hash_table_add(st->local, GUINT_TO_POINTER(e->addr));
    if (e->bcast)
        g_hash_table_add(st->bcast, GUINT_TO_POINTER(e->bcast));
}

/* Records a new address in the lookup structures. */
static void index_address(SimIpStack *st, const SimPrefix *addr)
{
    IpAddrEnt ent = {addr->addr, addr->len < 31 ? sim_prefix_broadcast(addr) : 0};
    st->local_bloom |= ip_addr_bloom_bit(addr->addr);
    for (guint i = 0; i < st->ifs->len; i++)
        ((SimIpIf *)g_ptr_array_index(st->ifs, i))->local_bloom = st->local_bloom;
    if (st->n_addrs < IP_ADDR_SCAN_MAX) {
        st->addr_small[st->n_addrs++] = ent;
        return;
    }
    if (!st->local) {
        st->local = g_hash_table_new(g_direct_hash, g_direct_equal);
        st->bcast = g_hash_table_new(g_direct_hash, g_direct_equal);
        for (guint i = 0; i < st->n_addrs; i++)
            add_to_sets(st, &st->addr_small[i]);
    }
    add_to_sets(st, &ent);
}

gboolean sim_ip_attach_iface(SimNode *node, SimIface *iface, GError **error)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st || sim_iface_node(iface) != node) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "%s is not an IP interface of %s",
                    sim_iface_name(iface), sim_node_name(node));
        return FALSE;
    }
    if (ip_if(iface))
        return TRUE;
    SimIpIf *ifp = g_aligned_alloc0(1, sizeof(SimIpIf), 64);
    ifp->st = st;
    ifp->w = st->w;
    ifp->iface = iface;
    ifp->local_bloom = st->local_bloom;
    ifp->addrs = g_array_new(FALSE, FALSE, sizeof(SimPrefix));
    sim_iface_set_l3(iface, ifp);
    g_ptr_array_add(st->ifs, ifp);
    return TRUE;
}

SimIface *sim_ip_add_iface(SimNode *node, const char *ifname, const SimMac *mac)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st)
        return NULL;
    SimMac local;
    if (!mac) {
        local = sim_mac_local(st->ordinal << 8 | (sim_node_n_ifaces(node) & 0xff));
        mac = &local;
    }
    SimIface *iface = sim_node_add_iface(node, ifname, mac);
    sim_ip_attach_iface(node, iface, NULL);
    return iface;
}

gboolean sim_ip_add_address(SimNode *node, SimIface *iface, const SimPrefix *addr, GError **error)
{
    SimIpStack *st = sim_ip_stack(node);
    SimIpIf *ifp = ip_if(iface);
    if (!st || !ifp || ifp->st != st) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "%s is not an IP interface of %s",
                    iface ? sim_iface_name(iface) : "(null)", sim_node_name(node));
        return FALSE;
    }
    char buf[SIM_PREFIX_STRLEN];
    if (addr->len > 32 || sim_ip_is_local(st, addr->addr)) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_INVALID, "%s: address %s %s",
                    sim_node_name(node), sim_prefix_format(addr, buf),
                    addr->len > 32 ? "has a bad prefix length" : "is already configured");
        return FALSE;
    }
    /* A second address in a subnet the interface already has adds no route
     * (Linux marks it secondary). */
    g_autoptr(GError) ferr = NULL;
    if (!sim_fib_add_connected(st->fib, addr, (int)sim_iface_index(iface), &ferr) &&
        !g_error_matches(ferr, SIM_FIB_ERROR, SIM_FIB_ERROR_EXISTS)) {
        g_propagate_error(error, g_steal_pointer(&ferr));
        return FALSE;
    }
    g_array_append_val(ifp->addrs, *addr);
    index_address(st, addr);
    return TRUE;
}

/* Rebuilds the lookup structures from every interface's addresses: a
 * removal is rare (lease expiry), so no per-entry unindexing. */
static void reindex_addresses(SimIpStack *st)
{
    g_clear_pointer(&st->local, g_hash_table_destroy);
    g_clear_pointer(&st->bcast, g_hash_table_destroy);
    st->n_addrs = 0;
    st->local_bloom = 0;
    for (guint i = 0; i < st->ifs->len; i++)
        ((SimIpIf *)g_ptr_array_index(st->ifs, i))->local_bloom = 0;
    for (guint i = 0; i < st->ifs->len; i++) {
        GArray *a = ((SimIpIf *)g_ptr_array_index(st->ifs, i))->addrs;
        for (guint k = 0; k < a->len; k++)
            index_address(st, &g_array_index(a, SimPrefix, k));
    }
}

gboolean sim_ip_del_address(SimNode *node, SimIface *iface, SimIpv4 addr)
{
    SimIpStack *st = sim_ip_stack(node);
    SimIpIf *ifp = ip_if(iface);
    if (!st || !ifp || ifp->st != st)
        return FALSE;
    guint at = ifp->addrs->len;
    for (guint k = 0; k < ifp->addrs->len; k++)
        if (g_array_index(ifp->addrs, SimPrefix, k).addr == addr)
            at = k;
    if (at == ifp->addrs->len)
        return FALSE;
    SimPrefix gone = g_array_index(ifp->addrs, SimPrefix, at);
    g_array_remove_index(ifp->addrs, at);
    reindex_addresses(st);
    SimIpv4 mask = sim_ipv4_mask(gone.len);
    for (guint k = 0; k < ifp->addrs->len; k++)
        if (((g_array_index(ifp->addrs, SimPrefix, k).addr ^ addr) & mask) == 0 &&
            g_array_index(ifp->addrs, SimPrefix, k).len == gone.len)
            return TRUE; /* the subnet is still there */
    const SimPrefix def = {0, 0};
    const SimRoute *r;
    while ((r = sim_fib_lookup(st->fib, 0)) && r->prefix.len == 0 &&
           ((r->gateway ^ addr) & mask) == 0 && r->gateway)
        sim_fib_remove(st->fib, &def, r->gateway);
    SimPrefix net = {addr & mask, gone.len};
    sim_fib_remove(st->fib, &net, 0);
    return TRUE;
}

const GArray *sim_ip_iface_addresses(const SimIface *iface)
{
    SimIpIf *ifp = ip_if(iface);
    return ifp ? ifp->addrs : NULL;
}

SimIpv4 sim_ip_iface_primary(const SimIface *iface)
{
    SimIpIf *ifp = ip_if(iface);
    return ifp && ifp->addrs->len ? g_array_index(ifp->addrs, SimPrefix, 0).addr : 0;
}

/* ---- routes ---------------------------------------------------------------- */

gboolean sim_ip_add_route(SimNode *node, const SimPrefix *dst, SimIpv4 via, SimIface *iface,
                          uint32_t metric, GError **error)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "%s has no IP stack",
                    sim_node_name(node));
        return FALSE;
    }
    SimRoute r = {
        .prefix = *dst,
        .gateway = via,
        .ifindex = iface ? (int)sim_iface_index(iface) : -1,
        .metric = metric,
        .origin = SIM_ROUTE_STATIC,
    };
    return sim_fib_add(st->fib, &r, error);
}

static void collect_default_gw(const SimRoute *r, gboolean selected, gpointer user)
{
    if (r->prefix.len == 0 && r->origin == SIM_ROUTE_STATIC)
        g_array_append_val((GArray *)user, r->gateway);
}

gboolean sim_ip_set_gateway(SimNode *node, SimIpv4 gw, GError **error)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st) {
        g_set_error(error, SIM_IP_ERROR, SIM_IP_ERROR_NOT_IP, "%s has no IP stack",
                    sim_node_name(node));
        return FALSE;
    }
    SimPrefix def = {0, 0};
    /* Replace rather than add: a host has one default gateway. */
    GArray *old = g_array_new(FALSE, FALSE, sizeof(SimIpv4));
    sim_fib_foreach(st->fib, collect_default_gw, old);
    for (guint i = 0; i < old->len; i++)
        sim_fib_remove(st->fib, &def, g_array_index(old, SimIpv4, i));
    g_array_free(old, TRUE);
    return sim_ip_add_route(node, &def, gw, NULL, 0, error);
}

gboolean sim_ip_route_lookup(SimIpStack *st, SimIpv4 dst, SimIface **out, SimIpv4 *next_hop,
                             SimIpv4 *src, GError **error)
{
    SimFibNextHop nh;
    if (!sim_fib_resolve(st->fib, dst, &nh, NULL)) {
        g_set_error_literal(error, SIM_IP_ERROR, SIM_IP_ERROR_NET_UNREACH,
                            "Network is unreachable");
        return FALSE;
    }
    SimIpIf *ifp = ip_if_by_index(st, nh.ifindex);
    if (!ifp) {
        g_set_error_literal(error, SIM_IP_ERROR, SIM_IP_ERROR_NET_UNREACH,
                            "Network is unreachable");
        return FALSE;
    }
    if (out)
        *out = ifp->iface;
    if (next_hop)
        *next_hop = nh.neighbor;
    if (src)
        *src = nh.src ? nh.src : ip_if_source_for(ifp, nh.neighbor);
    return TRUE;
}

/* ---- protocol registration ------------------------------------------------ */

IpBinding *ip_proto_binding(const SimIpStack *st, uint8_t proto)
{
    if (!st->protos)
        return NULL;
    for (guint i = 0; i < st->protos->len; i++) {
        IpProto *p = &g_array_index(st->protos, IpProto, i);
        if (p->proto == proto)
            return &p->b;
    }
    return NULL;
}

void *sim_ip_proto_user(const SimIpStack *st, uint8_t proto)
{
    const IpBinding *b = ip_proto_binding(st, proto);
    return b ? b->user : NULL;
}

gboolean sim_ip_register_proto(SimIpStack *st, uint8_t proto, SimIpProtoFn input, SimIpErrorFn err,
                               void *user)
{
    if (proto == SIM_IPPROTO_ICMP || ip_proto_binding(st, proto))
        return FALSE;
    if (!st->protos)
        st->protos = g_array_new(FALSE, FALSE, sizeof(IpProto));
    IpProto p = {proto, {(void *)input, err, user}};
    g_array_append_val(st->protos, p);
    return TRUE;
}

/* ---- frames ------------------------------------------------------------------ */

void ip_link_output(SimIpIf *ifp, const SimMac *dst, uint16_t ethertype, SimPacket *pkt)
{
    pkt = sim_packet_make_writable(pkt);
    SimEthHdr eh = {.dst = *dst, .src = *sim_iface_mac(ifp->iface), .ethertype = ethertype};
    sim_eth_encode(pkt, &eh);
    sim_iface_send(ifp->iface, pkt);
}

/* The sub-interface of `in` for VLAN vid (Linux's vlan_find_dev). A node
 * has a handful of interfaces, so a scan beats a table. */
static SimIpIf *vlan_sub_if(SimNode *node, const SimIface *in, uint16_t vid)
{
    for (guint i = 0; i < sim_node_n_ifaces(node); i++) {
        SimIface *f = sim_node_iface(node, i);
        if (sim_iface_lower(f) == in && sim_iface_vid(f) == vid)
            return ip_if(f);
    }
    return NULL;
}

void ip_node_input(SimNode *node, SimIface *in, SimPacket *pkt)
{
    SimIpIf *ifp = ip_if(in);
    /* Through the interface, so that a frame's way in never reads the node. */
    SimIpStack *st = G_LIKELY(ifp) ? ifp->st : sim_node_priv(node);
    const uint8_t *d = sim_packet_cdata(pkt);
    SimEthHdr eh;
    if (G_UNLIKELY(!ifp)) {
        SIM_TRACE(st->w, SIM_TR_DROP, SIM_DROP_NO_LISTENER, st->name, sim_iface_name(in), pkt,
                  "interface has no IP configuration");
        sim_packet_unref(pkt);
        return;
    }
    if (!sim_eth_decode(d, sim_packet_len(pkt), &eh, NULL)) {
        IP_DROP(st, ifp, pkt, SIM_DROP_MALFORMED, "truncated Ethernet header");
        sim_packet_unref(pkt);
        return;
    }
    if (eh.tagged && eh.vid != 0) { /* VID 0 is a priority tag: the untagged interface's */
        SimIpIf *sub = vlan_sub_if(node, in, eh.vid);
        if (!sub) {
            IP_DROP(st, ifp, pkt, SIM_DROP_VLAN_MISMATCH,
                    "802.1Q-tagged frame (VLAN %u) and no sub-interface %s.%u", eh.vid,
                    sim_iface_name(in), eh.vid);
            sim_packet_unref(pkt);
            return;
        }
        ifp = sub;
    }
    switch (eh.ethertype) {
    case SIM_ETHERTYPE_IPV4:
        ip_input(st, ifp, pkt, eh.hdr_len, sim_mac_is_multicast(&eh.dst));
        return;
    case SIM_ETHERTYPE_ARP:
        arp_input(st, ifp, pkt, eh.hdr_len);
        return;
    default:
        if (eh.ethertype <= SIM_ETH_MAX_8023_LEN)
            IP_DROP(st, ifp, pkt, SIM_DROP_NO_LISTENER, "IEEE 802.3/LLC frame not handled");
        else
            IP_DROP(st, ifp, pkt, SIM_DROP_NO_LISTENER, "no protocol for ethertype 0x%04x",
                    eh.ethertype);
        sim_packet_unref(pkt);
        return;
    }
}

void ip_node_link_changed(SimNode *node, SimIface *iface, bool up)
{
    SimIpStack *st = sim_node_priv(node);
    SimIpIf *ifp = ip_if(iface);
    /* The neighbours seen through a dead link may be gone or moved; so may
     * those of its VLAN sub-interfaces. */
    if (!up) {
        if (ifp)
            arp_flush(st, ifp, "link down");
        for (guint i = 0; i < sim_node_n_ifaces(node); i++) {
            SimIface *sub = sim_node_iface(node, i);
            if (sim_iface_lower(sub) == iface && ip_if(sub))
                arp_flush(st, ip_if(sub), "link down");
        }
    }
    if (ifp && ifp->link_fn)
        ifp->link_fn(ifp->link_user, iface, up);
}

/* ---- tables -------------------------------------------------------------- */

void sim_ip_show_arp(SimNode *node, GString *out)
{
    sim_arp_format(node, out);
}

static const char *fib_ifname(int ifindex, gpointer user)
{
    SimIface *i = ifindex >= 0 ? sim_node_iface(user, (guint)ifindex) : NULL;
    return i ? sim_iface_name(i) : NULL;
}

const SimFib *sim_ip_fib(SimNode *node)
{
    SimIpStack *st = sim_ip_stack(node);
    return st ? st->fib : NULL;
}

static void show_route(SimNode *node, SimFibStyle style, GString *out)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st)
        return;
    if (sim_fib_size(st->fib) == 0) {
        g_string_append(out, "(no routes)\n");
        return;
    }
    g_autofree char *s = sim_fib_format(st->fib, style, fib_ifname, node);
    g_string_append(out, s);
}

void sim_ip_show_route(SimNode *node, GString *out)
{
    show_route(node, SIM_FIB_STYLE_LINUX, out);
}

void sim_ip_show_route_cisco(SimNode *node, GString *out)
{
    show_route(node, SIM_FIB_STYLE_CISCO, out);
}

void sim_ip_show_interfaces(SimNode *node, GString *out)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st)
        return;
    g_string_append_printf(out, "%-8s %-17s %-20s %5s %-5s %10s %10s %10s %10s %6s\n", "Iface",
                           "MAC", "Address", "MTU", "State", "RX-frames", "RX-bytes", "TX-frames",
                           "TX-bytes", "Drops");
    for (guint i = 0; i < st->ifs->len; i++) {
        SimIpIf *ifp = g_ptr_array_index(st->ifs, i);
        const SimIfaceCounters *c = sim_iface_counters(ifp->iface);
        uint64_t drops = 0;
        for (int r = 0; r < SIM_DROP_N_REASONS; r++)
            drops += c->drops[r];
        char mac[SIM_MAC_STRLEN], pfx[SIM_PREFIX_STRLEN];
        const char *first = ifp->addrs->len
                                ? sim_prefix_format(&g_array_index(ifp->addrs, SimPrefix, 0), pfx)
                                : "-";
        g_string_append_printf(
            out,
            "%-8s %-17s %-20s %5u %-5s %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
            " %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT " %6" G_GUINT64_FORMAT "\n",
            sim_iface_name(ifp->iface), sim_mac_format(sim_iface_mac(ifp->iface), mac), first,
            sim_iface_mtu(ifp->iface), sim_iface_is_up(ifp->iface) ? "up" : "down", c->rx_frames,
            c->rx_bytes, c->tx_frames, c->tx_bytes, drops);
        /* Secondary addresses get a line of their own, as `ip addr` does. */
        for (guint a = 1; a < ifp->addrs->len; a++)
            g_string_append_printf(
                out, "%-8s %-17s %s\n", "", "",
                sim_prefix_format(&g_array_index(ifp->addrs, SimPrefix, a), pfx));
    }
}

void sim_ip_clear_arp(SimNode *node)
{
    SimIpStack *st = sim_ip_stack(node);
    if (!st)
        return;
    for (guint i = 0; i < st->ifs->len; i++)
        arp_flush(st, g_ptr_array_index(st->ifs, i), "ARP cache cleared");
}
