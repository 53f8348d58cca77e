/* diagram.c - builds the cgraph graph of a topology (see diagram.h).
 *
 * Everything here is a pure function of the AST and the options, so the
 * same file always gives byte-identical DOT. Per-device work is O(ifaces),
 * per-link O(1); the hop ranking is one BFS over the links. Rendering is in
 * render.c.
 */
#include "viz/diagram.h"

#include "viz/diagram_priv.h"
#include "viz/graph_ids.h"

#include "sim/core/simtime.h"
#include "viz/segments.h"
#include "viz/vlans.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#define FONT "Helvetica,Arial,Noto Sans CJK SC,sans-serif" /* CJK labels: fonts-noto-cjk */
/* A PostScript name rather than <B>: Graphviz maps it to a bold sans in
 * every renderer (font-weight in SVG), while <B> goes through
 * pango_parse_markup in the PNG renderer, whose result 2.42 never frees. */
#define BOLD "Helvetica-Bold"
#define LEGEND_PER_ROW 6
#define NBSP4 "\u00a0\u00a0\u00a0\u00a0"
/* Segments that hold no addressed interface (only switches, say). */
#define NO_SUBNET_DARK "#555555"
#define NO_SUBNET_LIGHT "#f2f2f2"

/* cgraph (2.42) takes char * everywhere; it copies every string. */
static void set(void *obj, const char *name, const char *value)
{
    agsafeset(obj, (char *)name, (char *)value, (char *)"");
}

static void set_html(void *obj, const char *name, const char *html)
{
    Agraph_t *root = agroot(obj);
    /* agxset re-interns the value by content, so it finds this HTML string
     * and keeps its HTML flag as long as we still hold a reference. */
    char *s = agstrdup_html(root, (char *)html);
    set(obj, name, s);
    agstrfree(root, s);
}

/* ---- devices ---------------------------------------------------------- */

bool sim_viz_ipv4_is_public(SimIpv4 a)
{
    static const struct {
        SimIpv4 net;
        uint8_t len;
    } special[] = {
        {0x00000000, 8},  {0x0a000000, 8},  {0x64400000, 10}, {0x7f000000, 8}, {0xa9fe0000, 16},
        {0xac100000, 12}, {0xc0000000, 24}, {0xc0a80000, 16}, {0xe0000000, 4}, {0xf0000000, 4},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(special); i++)
        if ((a & sim_ipv4_mask(special[i].len)) == special[i].net)
            return false;
    return true;
}

static bool named_as_internet(const char *name)
{
    return g_ascii_strcasecmp(name, "internet") == 0 || g_ascii_strcasecmp(name, "cloud") == 0;
}

static bool all_addresses_public(const SimTopoNode *node)
{
    guint n_ip = 0;
    for (guint i = 0; i < node->ifaces->len; i++) {
        const SimTopoIface *f = sim_topo_node_iface(node, i);
        if (!f->has_ip)
            continue;
        if (!sim_viz_ipv4_is_public(f->ip.addr))
            return false;
        n_ip++;
    }
    return n_ip > 0;
}

/* Cabled to a switch or hub: one of a LAN's hosts, whatever its address
 * (`netsim gen two-lans` numbers one LAN from 192.169/16, public space, and
 * its 40 hosts were 40 clouds in a row). O(interfaces). */
static bool on_a_lan(const SimTopo *topo, const SimTopoNode *node)
{
    for (guint i = 0; i < node->ifaces->len; i++) {
        int l = sim_topo_node_iface(node, i)->link;
        if (l < 0)
            continue;
        const SimTopoLink *link = sim_topo_link(topo, (guint)l);
        const SimTopoEndpoint *ends[2] = {&link->a, &link->b};
        for (int k = 0; k < 2; k++) {
            SimTopoNodeKind kind = sim_topo_node(topo, (guint)ends[k]->node_index)->kind;
            if (kind == SIM_TOPO_SWITCH || kind == SIM_TOPO_HUB)
                return true;
        }
    }
    return false;
}

SimVizDevice sim_viz_device(const SimTopo *topo, guint i)
{
    const SimTopoNode *node = sim_topo_node(topo, i);
    switch (node->kind) {
    case SIM_TOPO_HUB:
        return SIM_VIZ_DEV_HUB;
    case SIM_TOPO_SWITCH:
        return node->l3 ? SIM_VIZ_DEV_L3_SWITCH : SIM_VIZ_DEV_SWITCH;
    case SIM_TOPO_ROUTER:
        return named_as_internet(node->name) ? SIM_VIZ_DEV_CLOUD : SIM_VIZ_DEV_ROUTER;
    case SIM_TOPO_HOST:
        break;
    }
    if (named_as_internet(node->name) || (all_addresses_public(node) && !on_a_lan(topo, node)))
        return SIM_VIZ_DEV_CLOUD;
    return SIM_VIZ_DEV_HOST;
}

const char *sim_viz_device_name(SimVizDevice dev)
{
    static const char *const names[] = {"host", "hub", "switch", "l3-switch", "router", "cloud"};
    return (guint)dev < G_N_ELEMENTS(names) ? names[dev] : "?";
}

static void style_node(Agnode_t *n, SimVizDevice dev)
{
    static const struct {
        const char *shape, *style, *fill, *pen;
    } look[] = {
        [SIM_VIZ_DEV_HOST] = {"box", "rounded,filled", "#ffffff", "1"},
        [SIM_VIZ_DEV_HUB] = {"hexagon", "filled", "#e6e6e6", "1.2"},
        [SIM_VIZ_DEV_SWITCH] = {"box", "filled", "#cfd9e6", "1.5"},
        [SIM_VIZ_DEV_L3_SWITCH] = {"box3d", "filled", "#d5e8d4", "1.5"},
        [SIM_VIZ_DEV_ROUTER] = {"doubleoctagon", "filled", "#fff2cc", "1.2"},
        [SIM_VIZ_DEV_CLOUD] = {"ellipse", "filled", "#e8f4ff", "1.2"},
    };
    set(n, "shape", look[dev].shape);
    set(n, "style", look[dev].style);
    set(n, "fillcolor", look[dev].fill);
    set(n, "penwidth", look[dev].pen);
    set(n, "class", sim_viz_device_name(dev));
}

/* ---- labels ----------------------------------------------------------- */

/* A switch or hub with two hosts below it, or more than SIM_VIZ_PANEL_MIN
 * cables, is drawn as a port panel (two end labels under a box already
 * touched: p1p2): rows of cells, one per cabled port, in port order, and each
 * single-homed host's cable leaves from its own cell. A label per cable
 * end would pile up where dot aims all the cables at once (p7p9p8); cells
 * cannot overlap, so port labels never collide. Its uplinks keep their
 * end labels (there are few). */
static bool is_panel(const Build *b, guint i)
{
    return b->opts->layout == SIM_VIZ_LAYOUT_DOT &&
           (b->dev[i] == SIM_VIZ_DEV_SWITCH || b->dev[i] == SIM_VIZ_DEV_HUB) &&
           (b->leaves[i] >= 2 || b->degree[i] > SIM_VIZ_PANEL_MIN);
}

/* The panel's port on link l, when l is a single-homed host's cable
 * leaving panel node i downwards; 0 otherwise. */
static uint32_t panel_port(const Build *b, guint i, guint l)
{
    const SimTopoLink *link = sim_topo_link(b->topo, l);
    const SimTopoEndpoint *me = (guint)link->a.node_index == i ? &link->a : &link->b;
    const SimTopoEndpoint *other = me == &link->a ? &link->b : &link->a;
    guint o = (guint)other->node_index;
    if (!is_panel(b, i) || b->dev[o] != SIM_VIZ_DEV_HOST || b->degree[o] != 1 ||
        b->rank[o] <= b->rank[i])
        return 0;
    return me->port;
}

/* Cells per row of a panel of n cabled ports: one row up to
 * SIM_VIZ_PANEL_COLUMNS, else rows as even as they can be, as a 48-port
 * switch has two rows of 24. A 60-port panel in one row was 27 inches
 * wide and set the width of the whole drawing; the cables from an upper
 * row pass behind the cells below (edges are drawn first). */
static guint panel_columns(guint n)
{
    guint rows = (n + SIM_VIZ_PANEL_COLUMNS - 1) / SIM_VIZ_PANEL_COLUMNS;
    return rows > 1 ? (n + rows - 1) / rows : MAX(n, 1);
}

static int cmp_u32(gconstpointer a, gconstpointer b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void panel_row(const Build *b, guint i, GString *rows)
{
    g_autoptr(GArray) ports = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (guint l = 0; l < b->topo->links->len; l++) {
        const SimTopoLink *link = sim_topo_link(b->topo, l);
        if ((guint)link->a.node_index != i && (guint)link->b.node_index != i)
            continue;
        uint32_t p = panel_port(b, i, l);
        if (p)
            g_array_append_val(ports, p);
    }
    if (ports->len == 0)
        return;
    g_array_sort(ports, cmp_u32);
    guint per = panel_columns(ports->len);
    g_string_append(rows, "<TR><TD><TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"3\" "
                          "CELLPADDING=\"2\">");
    for (guint k = 0; k < ports->len; k++) {
        uint32_t p = g_array_index(ports, uint32_t, k);
        g_string_append_printf(rows,
                               "%s<TD PORT=\"p%u\" BGCOLOR=\"#ffffff\"><FONT POINT-SIZE=\"14\" "
                               "COLOR=\"#444444\">p%u</FONT></TD>%s",
                               k % per == 0 ? "<TR>" : "", p, p,
                               k % per == per - 1 || k == ports->len - 1 ? "</TR>" : "");
    }
    g_string_append(rows, "</TABLE></TD></TR>");
}

static void add_row(GString *rows, const char *point_size, const char *colour, const char *text)
{
    g_autofree char *esc = g_markup_escape_text(text, -1);
    g_string_append_printf(rows, "<TR><TD><FONT POINT-SIZE=\"%s\" COLOR=\"%s\">%s</FONT></TD></TR>",
                           point_size, colour, esc);
}

static void iface_rows(GString *rows, const SimTopoNode *node, bool show_mac)
{
    /* One interface: the address alone, as on a PC's sticker; several: the
     * interface name first, so a router's label reads like its config. */
    bool named = node->ifaces->len > 1;
    for (guint i = 0; i < node->ifaces->len; i++) {
        const SimTopoIface *f = sim_topo_node_iface(node, i);
        char ip[SIM_PREFIX_STRLEN] = "no IP";
        if (f->has_ip)
            sim_prefix_format(&f->ip, ip);
        if (f->has_ip || named) {
            g_autofree char *t = named ? g_strdup_printf("%s %s", f->name, ip) : g_strdup(ip);
            add_row(rows, "14", "#000000", t);
        }
        if (show_mac && f->has_mac) {
            char mac[SIM_MAC_STRLEN];
            sim_mac_format(&f->mac, mac);
            g_autofree char *t = named ? g_strdup_printf("%s %s", f->name, mac) : g_strdup(mac);
            add_row(rows, "14", "#555555", t);
        }
    }
}

static void label_node(Build *b, guint i, Agnode_t *n)
{
    const SimTopoNode *node = sim_topo_node(b->topo, i);
    g_autoptr(GString) rows = g_string_new(NULL);
    /* A labelled device shows its label as the title and its name (what
     * commands use) beneath it. */
    g_autofree char *name = g_markup_escape_text(node->label ? node->label : node->name, -1);
    /* U+2601 CLOUD: the shape alone cannot say "Internet". */
    g_string_append_printf(rows, "<TR><TD><FONT FACE=\"" BOLD "\">%s%s</FONT></TD></TR>",
                           b->dev[i] == SIM_VIZ_DEV_CLOUD ? "\u2601 " : "", name);
    if (node->label)
        add_row(rows, "14", "#444444", node->name);
    if (sim_topo_node_has_ifaces(node->kind))
        iface_rows(rows, node, b->opts->show_mac);
    else {
        if (node->ifaces->len) /* an L3 switch's SVIs */
            iface_rows(rows, node, b->opts->show_mac);
        /* Legends follow the locale (gettext); ids and names do not. */
        static const char *const kinds[] G_GNUC_UNUSED = {N_("switch"), N_("hub")};
        g_autofree char *t = g_strdup_printf(
            g_dngettext(GETTEXT_PACKAGE, "%s, %u port", "%s, %u ports", node->ports),
            node->l3 ? _("L3 switch") : _(sim_topo_node_kind_name(node->kind)), node->ports);
        add_row(rows, "14", "#444444", t);
        panel_row(b, i, rows);
    }
    if (b->opts->node_hook)
        b->opts->node_hook(b->topo, i, n, rows, b->opts->hook_data);
    g_autofree char *html =
        g_strdup_printf("<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
                        "CELLPADDING=\"1\">%s</TABLE>",
                        rows->str);
    set_html(n, "label", html);
}

/* "100Mbps", "1.5Gbps", "64kbps": the largest unit that is exact to three
 * decimals, as the topology language writes rates. */
static char *format_rate(uint64_t bps)
{
    static const struct {
        uint64_t f;
        const char *unit;
    } units[] = {{1000000000, "Gbps"}, {1000000, "Mbps"}, {1000, "kbps"}};
    for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
        uint64_t f = units[i].f;
        if (bps < f || bps % (f / 1000) != 0)
            continue;
        uint64_t whole = bps / f, milli = (bps % f) / (f / 1000);
        if (!milli)
            return g_strdup_printf("%" PRIu64 "%s", whole, units[i].unit);
        g_autofree char *frac = g_strdup_printf("%03" PRIu64, milli);
        for (char *e = frac + strlen(frac) - 1; e > frac && *e == '0'; e--)
            *e = 0;
        return g_strdup_printf("%" PRIu64 ".%s%s", whole, frac, units[i].unit);
    }
    return g_strdup_printf("%" PRIu64 "bps", bps);
}

/* The file's effective link defaults: `defaults link`, else built-in. */
static SimTopoLinkParams link_defaults(const SimTopo *topo)
{
    const SimTopoLinkParams *d = &topo->defaults;
    SimTopoLinkParams p = {
        .rate_bps = d->set & SIM_TOPO_LP_RATE ? d->rate_bps : SIM_TOPO_DEFAULT_RATE,
        .delay = d->set & SIM_TOPO_LP_DELAY ? d->delay : SIM_TOPO_DEFAULT_DELAY,
        .loss = d->set & SIM_TOPO_LP_LOSS ? d->loss : 0,
        .queue = d->set & SIM_TOPO_LP_QUEUE ? d->queue : SIM_TOPO_DEFAULT_QUEUE,
        .mtu = d->set & SIM_TOPO_LP_MTU ? d->mtu : SIM_TOPO_DEFAULT_MTU,
    };
    return p;
}

/* The parameters of p that differ from def, "1Gbps 5us", or "" if none.
 * all = TRUE lists rate and delay whatever they are (for the legend). */
static char *link_params_text(const SimTopoLinkParams *p, const SimTopoLinkParams *def, bool all)
{
    g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
    if (all || p->rate_bps != def->rate_bps)
        g_ptr_array_add(parts, format_rate(p->rate_bps));
    if (all || p->delay != def->delay) {
        char t[SIM_TIME_STRLEN];
        g_ptr_array_add(parts, g_strdup(sim_time_format(p->delay, t)));
    }
    if (p->loss != def->loss || (all && p->loss > 0))
        g_ptr_array_add(parts, g_strdup_printf("loss %g%%", p->loss * 100));
    if (p->mtu != def->mtu)
        g_ptr_array_add(parts, g_strdup_printf("mtu %u", p->mtu));
    if (p->queue != def->queue)
        g_ptr_array_add(parts, g_strdup_printf("queue %u", p->queue));
    g_ptr_array_add(parts, NULL);
    return g_strjoinv(" ", (char **)parts->pdata);
}

/* "eth0" for an interface, "p3" for a switch or hub port (as traces say). */
static char *endpoint_label(const SimTopo *topo, const SimTopoEndpoint *ep)
{
    const SimTopoNode *node = sim_topo_node(topo, (guint)ep->node_index);
    if (ep->iface_index >= 0)
        return g_strdup(sim_topo_node_iface(node, (guint)ep->iface_index)->name);
    return g_strdup_printf("p%u", ep->port);
}

/* ---- clusters, nodes, edges ------------------------------------------- */

static void seg_colours(const Build *b, int seg, const char **dark, const char **light)
{
    int c = seg >= 0 ? sim_viz_segments_colour(b->segs, (guint)seg) : -1;
    *dark = c >= 0 ? sim_viz_colour_dark((guint)c) : NO_SUBNET_DARK;
    *light = c >= 0 ? sim_viz_colour_light((guint)c) : NO_SUBNET_LIGHT;
}

static char *seg_subnets_text(const Build *b, guint seg)
{
    const GArray *list = sim_viz_segments_subnets_of(b->segs, seg);
    if (!list->len)
        return g_strdup("no subnet");
    GString *s = g_string_new(NULL);
    for (guint k = 0; k < list->len; k++) {
        SimPrefix p = sim_viz_segments_subnet(b->segs, g_array_index(list, guint, k));
        char buf[SIM_PREFIX_STRLEN];
        g_string_append_printf(s, "%s%s", k ? ", " : "", sim_prefix_format(&p, buf));
    }
    return g_string_free(s, FALSE);
}

/* The LAN a device is drawn inside: a switch's or hub's segment, or a
 * host's when all its interfaces are on one. Routers join segments and
 * clouds are not LANs, so they stay outside every cluster. */
static int node_segment(const Build *b, guint i)
{
    if (b->dev[i] == SIM_VIZ_DEV_SWITCH || b->dev[i] == SIM_VIZ_DEV_HUB)
        return sim_viz_segments_of_bridge(b->segs, i);
    if (b->dev[i] != SIM_VIZ_DEV_HOST)
        return -1;
    const SimTopoNode *node = sim_topo_node(b->topo, i);
    int seg = -1;
    for (guint k = 0; k < node->ifaces->len; k++) {
        int s = sim_viz_segments_of_iface(b->segs, i, k);
        if (seg >= 0 && s != seg)
            return -1;
        seg = s;
    }
    return seg;
}

static Agraph_t *cluster_for(Build *b, guint seg)
{
    if (b->clusters[seg])
        return b->clusters[seg];
    g_autofree char *name = g_strdup_printf("cluster_s%u", seg);
    Agraph_t *c = agsubg(b->g, name, 1);
    const char *dark, *light;
    seg_colours(b, (int)seg, &dark, &light);
    g_autofree char *label = seg_subnets_text(b, seg);
    set(c, "label", label);
    set(c, "style", "rounded,filled");
    set(c, "color", dark);
    set(c, "fillcolor", light);
    set(c, "fontcolor", dark);
    set(c, "fontsize", "14");
    set(c, "labeljust", "l");
    /* At the bottom: every edge into a LAN comes from above, so none can
     * cross its title. */
    set(c, "labelloc", "b");
    set(c, "penwidth", "1.2");
    b->clusters[seg] = c;
    return c;
}

/* neato draws no clusters (it only boxes them, over other nodes): there a
 * LAN's devices wear its colours instead. */
static void group_node(Build *b, Agnode_t *n, int seg)
{
    if (seg < 0)
        return;
    if (b->opts->layout != SIM_VIZ_LAYOUT_NEATO) {
        agsubnode(cluster_for(b, (guint)seg), n, 1);
        return;
    }
    const char *dark, *light;
    seg_colours(b, seg, &dark, &light);
    set(n, "color", dark);
    set(n, "fillcolor", light);
}

static void add_nodes(Build *b)
{
    for (guint i = 0; i < b->topo->nodes->len; i++) {
        const SimTopoNode *node = sim_topo_node(b->topo, i);
        Agnode_t *n = agnode(b->g, node->name, 1);
        style_node(n, b->dev[i]);
        group_node(b, n, node_segment(b, i));
        /* A switch with many cables is drawn as long as its port row, so
         * the cables and port labels spread out instead of piling up. */
        if (is_panel(b, i)) {
            char w[G_ASCII_DTOSTR_BUF_SIZE];
            guint cells = panel_columns(b->degree[i]);
            set(n, "width", g_ascii_formatd(w, sizeof w, "%.2f", 0.45 * cells));
        }
        label_node(b, i, n);
        b->nodes[i] = n;
    }
}

/* A VLAN is drawn in the colour of the subnet of the first addressed
 * interface found on one of its access links, so that VLAN 10 and
 * 192.168.10.0/24 match; a VLAN without one takes vlans.h's palette. One
 * pass over the links (and the subnets of each addressed end). */
static void vlan_colours(Build *b)
{
    const SimTopo *t = b->topo;
    /* A subnet colour goes to one VLAN only: a host with another VLAN's
     * address (a classroom mistake) must not merge the two colours. */
    g_autoptr(GHashTable) used = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint l = 0; l < t->links->len && b->vlans->len; l++) {
        SimVizLinkVlan v = sim_viz_link_vlan(t, l);
        const SimTopoLink *link = sim_topo_link(t, l);
        const SimTopoEndpoint *ends[2] = {&link->a, &link->b};
        for (int k = 0; k < 2 && v.vlan_switch && !v.trunk && !b->vlan_colour[v.vid]; k++) {
            if (ends[k]->iface_index < 0)
                continue;
            const SimTopoIface *f = sim_topo_node_iface(
                sim_topo_node(t, (guint)ends[k]->node_index), (guint)ends[k]->iface_index);
            SimPrefix net = {sim_prefix_network(&f->ip), f->ip.len};
            for (guint i = 0; f->has_ip && i < sim_viz_segments_n_subnets(b->segs); i++) {
                SimPrefix p = sim_viz_segments_subnet(b->segs, i);
                const char *c = sim_viz_colour_dark(i);
                if (p.addr == net.addr && p.len == net.len && g_hash_table_add(used, (char *)c))
                    b->vlan_colour[v.vid] = c;
            }
        }
        sim_viz_link_vlan_clear(&v);
    }
    for (guint i = 0; i < b->vlans->len; i++) {
        uint16_t vid = g_array_index(b->vlans, uint16_t, i);
        if (!b->vlan_colour[vid])
            b->vlan_colour[vid] = sim_viz_vlan_colour(b->vlans, vid);
    }
}

/* Access links take their VLAN's colour; trunks are drawn heavy and
 * labelled with the VLANs they carry. */
static void vlan_edge(Build *b, guint l, Agedge_t *e, const char *params)
{
    SimVizLinkVlan v = sim_viz_link_vlan(b->topo, l);
    if (!v.vlan_switch)
        return;
    if (v.trunk) {
        g_autofree char *t = g_strdup_printf("trunk %s%s%s", v.allowed, *params ? " " : "", params);
        set(e, "label", t);
        set(e, "penwidth", "3.5");
        set(e, "color", "#333333");
    } else {
        set(e, "color", b->vlan_colour[v.vid]);
    }
    sim_viz_link_vlan_clear(&v);
}

static void add_edge(Build *b, guint l, const SimTopoLinkParams *def)
{
    const SimTopoLink *link = sim_topo_link(b->topo, l);
    const SimTopoEndpoint *t = &link->a, *h = &link->b;
    /* Tail above head: orient each link from the Internet side down. */
    if (b->rank[t->node_index] > b->rank[h->node_index]) {
        t = &link->b;
        h = &link->a;
    }
    g_autofree char *key = g_strdup_printf("l%u", l);
    Agedge_t *e = agedge(b->g, b->nodes[t->node_index], b->nodes[h->node_index], key, 1);
    g_autofree char *tl = endpoint_label(b->topo, t);
    g_autofree char *hl = endpoint_label(b->topo, h);
    /* A cable from a port panel leaves from its port's cell, which is the
     * label of that end. */
    uint32_t panel = panel_port(b, (guint)t->node_index, l);
    if (panel) {
        g_autofree char *port = g_strdup_printf("p%u:s", panel);
        set(e, "tailport", port);
    }
    /* A cable leaving a LAN box downwards would cross its title, which
     * sits bottom left: it leaves from the device's lower right instead
     * (home.topo's modem, a hub between two routers). */
    int seg = node_segment(b, (guint)t->node_index);
    if (!panel && seg >= 0 && b->opts->layout == SIM_VIZ_LAYOUT_DOT &&
        b->rank[h->node_index] > b->rank[t->node_index] &&
        node_segment(b, (guint)h->node_index) != seg)
        set(e, "tailport", "se");
    set(e, "taillabel", panel ? "" : tl);
    set(e, "headlabel", hl);
    g_autofree char *params = link_params_text(&link->params, def, false);
    /* An xlabel, not a label: Graphviz places it after the layout where it
     * overlaps no node and no port label, where a mid-edge label sat on
     * the port names of short links. Between two devices side by side a
     * label is better: dot makes room for it between them, where an
     * xlabel crowded the port names (stp-loop's two 1Gbps cables). */
    bool flat = b->rank[t->node_index] == b->rank[h->node_index];
    if (*params && flat && b->opts->layout == SIM_VIZ_LAYOUT_DOT) {
        /* NBSPs each side: dot sizes the gap to the label, and the port
         * names at both ends need their share of it. */
        g_autofree char *padded = g_strconcat(NBSP4, params, NBSP4, NULL);
        set(e, "label", padded);
    } else if (*params) {
        set(e, "xlabel", params);
    }
    const char *dark, *light;
    seg_colours(b, sim_viz_segments_of_link(b->segs, l), &dark, &light);
    set(e, "color", dark);
    vlan_edge(b, l, e, params);
    if (flat) {
        /* Side by side; minlen 2 leaves room for both end labels. */
        set(e, "constraint", "false");
        if (b->opts->layout == SIM_VIZ_LAYOUT_DOT)
            b->minlen[l] = 2;
        /* A panel's bottom is its hosts' cables: when wrapping has hung
         * one end a tier lower, the cable leaves both by their sides
         * (enterprise's p23). Side by side, a side port made it loop
         * over the top instead. */
        bool tiers = b->hung[t->node_index] != b->hung[h->node_index];
        if (tiers && is_panel(b, (guint)t->node_index))
            set(e, "tailport", "w");
        if (tiers && is_panel(b, (guint)h->node_index))
            set(e, "headport", "w");
    } else if (*params && b->opts->layout == SIM_VIZ_LAYOUT_DOT)
        /* One rank apart, the rate sat between the two port names. */
        b->minlen[l] = MAX(b->minlen[l], 2);
    if (b->minlen[l] > 1) {
        g_autofree char *ml = g_strdup_printf("%u", b->minlen[l]);
        set(e, "minlen", ml);
    }
    if (b->opts->edge_hook)
        b->opts->edge_hook(b->topo, l, e, b->opts->hook_data);
}

/* ---- graph label: title and legend ------------------------------------ */

/* Title, then the subnets with a colour swatch each, then the link
 * defaults. A row of swatches is text in one cell: Graphviz stretches
 * table cells to the widest row (the title), which made badges uneven. */
static void legend(Build *b, const SimTopoLinkParams *def)
{
    guint n = sim_viz_segments_n_subnets(b->segs);
    GString *h = g_string_new("<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\">");
    if (b->topo->title) {
        g_autofree char *t = g_markup_escape_text(b->topo->title, -1);
        g_string_append_printf(
            h, "<TR><TD><FONT POINT-SIZE=\"24\" FACE=\"" BOLD "\">%s</FONT></TD></TR>", t);
    }
    if (b->opts->caption) {
        g_auto(GStrv) lines = g_strsplit(b->opts->caption, "\n", -1);
        for (guint i = 0; lines[i]; i++) {
            g_autofree char *t = g_markup_escape_text(lines[i], -1);
            g_string_append_printf(h, "<TR><TD><FONT POINT-SIZE=\"14\">%s</FONT></TD></TR>", t);
        }
    }
    for (guint i = 0; i < n; i++) {
        bool first = i % LEGEND_PER_ROW == 0;
        if (first)
            g_string_append(h, "<TR><TD>");
        SimPrefix p = sim_viz_segments_subnet(b->segs, i);
        char buf[SIM_PREFIX_STRLEN];
        /* U+25A0 BLACK SQUARE as the swatch; NBSPs keep entries apart. */
        g_string_append_printf(h,
                               "<FONT POINT-SIZE=\"18\" COLOR=\"%s\">%s\u25a0</FONT>"
                               "<FONT POINT-SIZE=\"14\"> %s</FONT>",
                               sim_viz_colour_dark(i), first ? "" : "&#160;&#160;&#160;",
                               sim_prefix_format(&p, buf));
        if (i % LEGEND_PER_ROW == LEGEND_PER_ROW - 1 || i == n - 1)
            g_string_append(h, "</TD></TR>");
    }
    for (guint i = 0; i < b->vlans->len; i++) {
        uint16_t vid = g_array_index(b->vlans, uint16_t, i);
        const char *name = sim_viz_vlan_name(b->topo, vid);
        g_autofree char *t = g_markup_escape_text(name ? name : "", -1);
        g_string_append_printf(h,
                               "%s<FONT POINT-SIZE=\"14\" COLOR=\"%s\">%s\u2501</FONT>"
                               "<FONT POINT-SIZE=\"14\"> VLAN %u%s%s</FONT>%s",
                               i == 0 ? "<TR><TD>" : "", b->vlan_colour[vid],
                               i ? "&#160;&#160;&#160;" : "", vid, *t ? " " : "", t,
                               i == b->vlans->len - 1 ? "</TD></TR>" : "");
    }
    g_autofree char *d = link_params_text(def, def, true);
    g_autofree char *links = g_strdup_printf(_("links are %s unless labelled"), d);
    g_string_append_printf(h,
                           "<TR><TD><FONT POINT-SIZE=\"14\" COLOR=\"#555555\">"
                           "%s</FONT></TD></TR></TABLE>",
                           links);
    set_html(b->g, "label", h->str);
    g_string_free(h, TRUE);
}

static void graph_attrs(Build *b)
{
    Agraph_t *g = b->g;
    set(g, "fontname", FONT);
    set(g, "labelloc", "t");
    set(g, "pad", "0.2");
    set(g, "bgcolor", "white");
    set(g, "forcelabels", "true"); /* draw every xlabel, even if crowded */
    /* Declared here because gvLayout declares it on cgraph's prototype
     * graph: later graphs of the process would otherwise differ. */
    agattr(g, AGNODE, "label", "\\N");
    agattr(g, AGNODE, "fontname", FONT);
    agattr(g, AGNODE, "fontsize", "16");
    agattr(g, AGNODE, "margin", "0.08,0.04");
    agattr(g, AGEDGE, "fontname", FONT);
    agattr(g, AGEDGE, "fontsize", "14");
    agattr(g, AGEDGE, "labelfontsize", "14");
    agattr(g, AGEDGE, "labelfontcolor", "#444444");
    agattr(g, AGEDGE, "penwidth", "1.5");
    agattr(g, AGEDGE, "constraint", "true");
    agattr(g, AGEDGE, "minlen", "1");
    if (b->opts->layout == SIM_VIZ_LAYOUT_DOT) {
        set(g, "rankdir", "TB");
        set(g, "ranksep", "0.75"); /* room for both 14 pt port labels */
        /* Rank the whole graph at once: dot's default ranks each cluster
         * on its own and then places it as a block, which ignores the
         * minlen of edges entering a LAN, so wrapped LANs stayed side by
         * side (enterprise.topo was 3993 pixels wide). */
        set(g, "newrank", "true");
        /* Nodes over edges: a cable from a panel's upper row of cells
         * passes behind the row below instead of across its labels. */
        set(g, "outputorder", "edgesfirst");
        set(g, "nodesep", "0.25");
    } else {
        set(g, "overlap", "false");
        set(g, "splines", "true");
        set(g, "sep", "+12");
    }
}

Agraph_t *sim_viz_graph(const SimTopo *topo, const SimVizOptions *opts)
{
    static const SimVizOptions defaults = {0};
    guint nn = topo->nodes->len, nl = topo->links->len;
    Build b = {
        .topo = topo,
        .opts = opts ? opts : &defaults,
        .segs = sim_viz_segments_new(topo),
        .dev = g_new(SimVizDevice, nn ? nn : 1),
        .rank = g_new(int, nn ? nn : 1),
        .minlen = g_new(guint, nl ? nl : 1),
        .nodes = g_new0(Agnode_t *, nn ? nn : 1),
        .degree = g_new0(guint, nn ? nn : 1),
        .leaves = g_new0(guint, nn ? nn : 1),
        .hung = g_new0(bool, nn ? nn : 1),
        .vlans = sim_viz_vlans(topo),
        .vlan_colour = g_new0(const char *, 4096),
    };
    for (guint l = 0; l < nl; l++) {
        b.degree[sim_topo_link(topo, l)->a.node_index]++;
        b.degree[sim_topo_link(topo, l)->b.node_index]++;
    }
    b.clusters = g_new0(Agraph_t *, MAX(1, sim_viz_segments_count(b.segs)));
    for (guint i = 0; i < nn; i++)
        b.dev[i] = sim_viz_device(topo, i);
    sim_viz_layout_ranks(&b);
    sim_viz_layout_rows(&b);
    vlan_colours(&b);

    b.g = sim_viz_graph_open("netsim");
    graph_attrs(&b);
    SimTopoLinkParams def = link_defaults(topo);
    legend(&b, &def);
    add_nodes(&b);
    for (guint l = 0; l < nl; l++)
        add_edge(&b, l, &def);

    sim_viz_segments_free(b.segs);
    g_free(b.dev);
    g_free(b.rank);
    g_free(b.minlen);
    g_free(b.degree);
    g_free(b.leaves);
    g_free(b.hung);
    g_array_unref(b.vlans);
    g_free(b.vlan_colour);
    g_free(b.clusters);
    g_free(b.nodes);
    return b.g;
}
