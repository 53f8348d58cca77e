/* tables.c - live device tables as label rows (see tables.h). */
#include "viz/tables.h"

#include "sim/core/world.h"
#include "sim/l2/switch.h"
#include "sim/l3/arp.h"
#include "sim/l3/ipstack.h"
#include "sim/net/addr.h"

#include <inttypes.h>
#include <string.h>

#define MONO "Courier"
#define BOLD "Helvetica-Bold"
#define MAX_COLS 4

/* One table being built: cells row by row, ncols per row, owned. */
typedef struct {
    const char *title;
    guint ncols;
    const char *head[MAX_COLS];
    GPtrArray *cells; /* char* */
} Tab;

static void tab_init(Tab *t, const char *title, guint ncols, const char *const *head)
{
    t->title = title;
    t->ncols = ncols;
    for (guint c = 0; c < ncols; c++)
        t->head[c] = head[c];
    t->cells = g_ptr_array_new_with_free_func(g_free);
}

static guint tab_rows(const Tab *t)
{
    return t->cells->len / t->ncols;
}

static void tab_cell(Tab *t, const char *text)
{
    g_ptr_array_add(t->cells, g_strdup(text ? text : ""));
}

static void font_cell(GString *out, const char *attrs, const char *font, const char *text)
{
    g_autofree char *esc = g_markup_escape_text(text, -1);
    g_string_append_printf(out, "<TD ALIGN=\"LEFT\"%s>%s%s</FONT></TD>", attrs, font, esc);
}

/* The table as one cell (<TD>); frees the cells. */
static void tab_render(Tab *t, guint max_rows, GString *out)
{
    guint n = tab_rows(t), shown = MIN(n, max_rows);
    g_string_append(out,
                    "<TD VALIGN=\"TOP\"><TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
                    "CELLPADDING=\"1\" COLOR=\"#8c8c8c\" BGCOLOR=\"#ffffff\">");
    g_autofree char *title =
        n ? g_strdup_printf("%s (%u)", t->title, n) : g_strdup_printf("%s: empty", t->title);
    g_autofree char *span = g_strdup_printf(" COLSPAN=\"%u\" BGCOLOR=\"#eeeeee\"", t->ncols);
    g_string_append(out, "<TR>");
    font_cell(out, span, "<FONT POINT-SIZE=\"8\" FACE=\"" BOLD "\">", title);
    g_string_append(out, "</TR>");
    if (n) {
        g_string_append(out, "<TR>");
        for (guint c = 0; c < t->ncols; c++)
            font_cell(out, "", "<FONT POINT-SIZE=\"7\" COLOR=\"#777777\">", t->head[c]);
        g_string_append(out, "</TR>");
    }
    for (guint r = 0; r < shown; r++) {
        g_string_append(out, "<TR>");
        for (guint c = 0; c < t->ncols; c++)
            font_cell(out, "", "<FONT POINT-SIZE=\"8\" FACE=\"" MONO "\">",
                      g_ptr_array_index(t->cells, r * t->ncols + c));
        g_string_append(out, "</TR>");
    }
    if (shown < n) {
        g_autofree char *more = g_strdup_printf("+%u more", n - shown);
        g_autofree char *s = g_strdup_printf(" COLSPAN=\"%u\"", t->ncols);
        g_string_append(out, "<TR>");
        font_cell(out, s, "<FONT POINT-SIZE=\"7\" COLOR=\"#777777\">", more);
        g_string_append(out, "</TR>");
    }
    g_string_append(out, "</TABLE></TD>");
    g_ptr_array_unref(t->cells);
    t->cells = NULL;
}

/* ---- the tables ----------------------------------------------------------- */

static void mac_table(SimNode *node, guint max_rows, GString *out)
{
    g_autoptr(GArray) entries = sim_switch_mac_entries(node);
    SimBridge *br = sim_switch_bridge(node);
    SimTime now = sim_world_now(sim_node_world(node));
    /* The VLAN column only appears when an entry is outside VLAN 1. */
    bool vlans = false;
    for (guint i = 0; i < entries->len; i++)
        vlans |= g_array_index(entries, SimFdbEntry, i).vlan != SIM_SWITCH_DEFAULT_VLAN;
    static const char *const head[] = {"MAC", "port", "age", "VLAN"};
    Tab t;
    tab_init(&t, "MAC table", vlans ? 4 : 3, head);
    for (guint i = 0; i < entries->len; i++) {
        const SimFdbEntry *e = &g_array_index(entries, SimFdbEntry, i);
        char mac[SIM_MAC_STRLEN];
        tab_cell(&t, sim_mac_format(&e->mac, mac));
        tab_cell(&t, sim_bridge_label(br, e->port));
        /* The age as `show` prints it: whole hundredths, truncated. */
        SimTime age = now - e->last_seen;
        g_autofree char *a =
            e->is_static ? g_strdup("static")
                         : g_strdup_printf("%" PRIu64 ".%02" PRIu64 "s", (uint64_t)(age / SIM_SEC),
                                           (uint64_t)(age % SIM_SEC / (SIM_SEC / 100)));
        tab_cell(&t, a);
        if (vlans) {
            g_autofree char *v = g_strdup_printf("%u", e->vlan);
            tab_cell(&t, v);
        }
    }
    tab_render(&t, max_rows, out);
}

/* ARP and routing tables are read from the stack's own structures
 * (sim_arp_foreach, sim_fib_foreach), not parsed from `show` text, so the
 * diagram does not depend on how `show` lays its lines out. */

typedef struct {
    Tab *t;
    bool dev;
} ArpRows;

static void arp_row(const SimArpView *e, gpointer user_data)
{
    ArpRows *r = user_data;
    char ip[SIM_IPV4_STRLEN], mac[SIM_MAC_STRLEN];
    tab_cell(r->t, sim_ipv4_format(e->ip, ip));
    tab_cell(r->t, e->state == SIM_ARP_INCOMPLETE ? "(incomplete)"
                   : e->state == SIM_ARP_FAILED   ? "(failed)"
                                                  : sim_mac_format(&e->mac, mac));
    if (r->dev)
        tab_cell(r->t, sim_iface_name(e->iface));
}

/* IP, MAC, and the interface when the node has several. */
static guint arp_table(SimNode *node, guint max_rows, GString *out)
{
    if (!sim_ip_stack(node))
        return 0;
    bool dev = sim_node_n_ifaces(node) > 1;
    static const char *const head[] = {"IP", "MAC", "dev"};
    Tab t;
    tab_init(&t, "ARP", dev ? 3 : 2, head);
    sim_arp_foreach(node, arp_row, &(ArpRows){&t, dev});
    tab_render(&t, max_rows, out);
    return 1;
}

typedef struct {
    Tab *t;
    SimNode *node;
    const SimFib *fib;
} RouteRows;

static void route_row(const SimRoute *route, gboolean selected, gpointer user_data)
{
    (void)selected; /* like `ip route`, every route is listed */
    RouteRows *r = user_data;
    char p[SIM_PREFIX_STRLEN], gw[SIM_IPV4_STRLEN];
    tab_cell(r->t, sim_fib_route_dst(route, p));
    tab_cell(r->t, route->gateway ? sim_ipv4_format(route->gateway, gw) : "direct");
    int dev = sim_fib_route_dev(r->fib, route);
    SimIface *i = dev >= 0 ? sim_node_iface(r->node, (guint)dev) : NULL;
    tab_cell(r->t, i ? sim_iface_name(i) : "");
}

/* prefix, gateway ("direct" when on-link), interface. */
static guint route_table(SimNode *node, guint max_rows, GString *out)
{
    const SimFib *fib = sim_ip_fib(node);
    if (!fib)
        return 0;
    static const char *const head[] = {"prefix", "via", "dev"};
    Tab t;
    tab_init(&t, "Routes", 3, head);
    sim_fib_foreach(fib, route_row, &(RouteRows){&t, node, fib});
    tab_render(&t, max_rows, out);
    return 1;
}

guint sim_viz_table_rows(SimNode *node, guint max_rows, GString *rows)
{
    g_autoptr(GString) cells = g_string_new(NULL);
    guint n = 0;
    if (sim_node_kind(node) == SIM_NODE_SWITCH || sim_node_kind(node) == SIM_NODE_L3SWITCH) {
        mac_table(node, max_rows, cells);
        n++;
    }
    /* Hosts show their ARP cache; a host's routes are its subnet and its
     * gateway, already on the label. Routers show both. */
    n += arp_table(node, max_rows, cells);
    if (sim_node_kind(node) != SIM_NODE_HOST)
        n += route_table(node, max_rows, cells);
    /* Several tables go side by side: a wide label keeps a router's
     * octagon low, where a tall one makes it a big square. */
    if (n == 1)
        g_string_append_printf(rows, "<TR>%s</TR>", cells->str);
    else if (n > 1)
        g_string_append_printf(rows,
                               "<TR><TD><TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"3\" "
                               "CELLPADDING=\"0\"><TR>%s</TR></TABLE></TD></TR>",
                               cells->str);
    return n;
}
